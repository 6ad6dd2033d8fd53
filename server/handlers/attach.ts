import type { AttachCommand } from '../../core/jobs/types';
import { type AgentContext, paramsObject, requireString } from './context';

export function attach(ctx: AgentContext, raw: unknown): Promise<AttachCommand> {
  return ctx.engine().attachCommand(requireString(paramsObject(raw), 'id'));
}
