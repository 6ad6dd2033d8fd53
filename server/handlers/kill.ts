import type { JobRecord } from '../../core/jobs/types';
import { killGraceMs } from '../../core/settings';
import { type AgentContext, optionalNonNegInt, optionalString, paramsObject, requireString } from './context';

export async function kill(ctx: AgentContext, raw: unknown): Promise<JobRecord> {
  const p = paramsObject(raw);
  const graceMs = optionalNonNegInt(p, 'graceMs') ?? killGraceMs(ctx.settings().killGraceSeconds);
  const job = await ctx.engine().kill(requireString(p, 'id'), { signal: optionalString(p, 'signal'), graceMs });
  ctx.jobsTouched();
  return job;
}
