import type { LogsResult } from '../../core/protocol';
import { type AgentContext, optionalNonNegInt, paramsObject, requireString } from './context';

export async function logs(ctx: AgentContext, raw: unknown): Promise<LogsResult> {
  const p = paramsObject(raw);
  const chunk = await ctx.engine().readLog(requireString(p, 'id'), {
    tailLines: optionalNonNegInt(p, 'tailLines'),
    fromByte: optionalNonNegInt(p, 'fromByte'),
  });
  return { text: chunk.text, size: chunk.size };
}
