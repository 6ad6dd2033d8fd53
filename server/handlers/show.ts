import type { JobRecord } from '../../core/jobs/types';
import { type AgentContext, paramsObject, requireString } from './context';

export function show(ctx: AgentContext, raw: unknown): Promise<JobRecord> {
  return ctx.engine().get(requireString(paramsObject(raw), 'id'));
}
