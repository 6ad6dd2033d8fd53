import type { RemoveResult } from '../../core/protocol';
import { UserError } from '../../core/jobs/types';
import { type AgentContext, optionalBoolean, optionalStringArray, paramsObject } from './context';

export async function remove(ctx: AgentContext, raw: unknown): Promise<RemoveResult> {
  const p = paramsObject(raw);
  const ids = optionalStringArray(p, 'ids') ?? [];
  const finished = optionalBoolean(p, 'finished') ?? false;
  if (ids.length === 0 && !finished) throw new UserError('nothing to remove: give ids or finished: true');
  const engine = ctx.engine();
  const removed = ids.length ? await engine.remove(ids) : [];
  if (finished) removed.push(...(await engine.removeFinished()).filter((id) => !removed.includes(id)));
  ctx.jobsTouched();
  return { removed };
}
