import type { AttachCommand, ForeignSession } from '../../core/jobs/types';
import { UserError } from '../../core/jobs/types';
import { type AgentContext, paramsObject, requireString } from './context';

export async function attachForeign(ctx: AgentContext, raw: unknown): Promise<AttachCommand> {
  const s = paramsObject(paramsObject(raw).session);
  const backend = requireString(s, 'backend');
  if (backend !== 'tmux' && backend !== 'screen') throw new UserError(`foreign sessions are tmux or screen, not '${backend}'`);
  const session: ForeignSession = {
    backend,
    session: requireString(s, 'session'),
    socket: requireString(s, 'socket'),
    attached: s.attached === true,
    createdAt: typeof s.createdAt === 'string' ? s.createdAt : null,
  };
  return ctx.engine().foreignAttachCommand(session);
}
