import type { ListResult } from '../../core/protocol';
import { type AgentContext, optionalBoolean, paramsObject } from './context';

export async function list(ctx: AgentContext, raw: unknown): Promise<ListResult> {
  const all = optionalBoolean(paramsObject(raw), 'all') ?? false;
  const engine = ctx.engine();
  const [jobs, foreign] = await Promise.all([engine.list(), all ? engine.foreign((line) => process.stderr.write(`[linger-agent] ${line}\n`)) : Promise.resolve([])]);
  return { jobs: ctx.withProgress(jobs), foreign };
}
