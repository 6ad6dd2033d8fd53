import type { JobRecord } from '../../core/jobs/types';
import { type AgentContext, paramsObject, requireString } from './context';

export async function restart(ctx: AgentContext, raw: unknown): Promise<JobRecord> {
  const job = await ctx.engine().restart(requireString(paramsObject(raw), 'id'));
  ctx.jobsTouched();
  return job;
}
