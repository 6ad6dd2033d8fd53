import type { LogsResult } from '../../core/protocol';
import { UserError } from '../../core/jobs/types';
import { type AgentContext, optionalBoolean, optionalNonNegInt, optionalString, paramsObject, requireString } from './context';

export async function logs(ctx: AgentContext, raw: unknown): Promise<LogsResult> {
  const p = paramsObject(raw);
  const encoding = optionalString(p, 'encoding') ?? 'utf8';
  if (encoding !== 'utf8' && encoding !== 'base64') throw new UserError(`'encoding' must be 'utf8' or 'base64'`);
  const chunk = await ctx.engine().readLog(requireString(p, 'id'), {
    tailLines: optionalNonNegInt(p, 'tailLines'),
    fromByte: optionalNonNegInt(p, 'fromByte'),
    raw: optionalBoolean(p, 'raw') ?? false,
  });
  return { text: chunk.data.toString(encoding), size: chunk.size, encoding };
}
