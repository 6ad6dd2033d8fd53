import type { DoctorReport } from '../../core/jobs/types';
import type { AgentContext } from './context';

export function doctor(ctx: AgentContext, _raw: unknown): Promise<DoctorReport> {
  return ctx.engine().doctor();
}
