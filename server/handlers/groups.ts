import type { GroupInfo } from '../../core/jobs/types';
import type { GroupsResult } from '../../core/protocol';
import { UserError } from '../../core/jobs/types';
import { type AgentContext, paramsObject, requireString } from './context';

export async function groups(ctx: AgentContext, _raw: unknown): Promise<GroupsResult> {
  return { groups: await ctx.engine().groups() };
}

/** `parallel`: a whole number ≥ 1, or null for unlimited (required: absent is a client bug). */
export async function groupSet(ctx: AgentContext, raw: unknown): Promise<GroupInfo> {
  const p = paramsObject(raw);
  const v = p.parallel;
  if (v !== null && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) throw new UserError('parallel must be a whole number of at least 1, or null (unlimited)');
  const g = await ctx.engine().setGroup(requireString(p, 'name'), { parallel: v });
  ctx.jobsTouched();
  return g;
}

export async function groupPause(ctx: AgentContext, raw: unknown, paused: boolean): Promise<GroupInfo> {
  const g = await ctx.engine().setGroup(requireString(paramsObject(raw), 'name'), { paused });
  ctx.jobsTouched();
  return g;
}
