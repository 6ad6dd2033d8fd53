// One file per verb; this table routes each linger/* request constant to its handler.
// The `Verb` record type makes a missing verb a compile error (the drift guard).
import type { Connection } from 'vscode-languageserver/node';
import {
  AttachRequest, DoctorRequest, ForeignAttachRequest, GroupPauseRequest, GroupResumeRequest, GroupSetRequest, GroupsRequest,
  KillRequest, ListRequest, LogsRequest, RemoveRequest, RestartRequest, RunRequest, ShowRequest,
} from '../../core/protocol';
import { guarded } from '../errors';
import { attach } from './attach';
import { attachForeign } from './attachForeign';
import type { AgentContext } from './context';
import { doctor } from './doctor';
import { groupPause, groupSet, groups } from './groups';
import { kill } from './kill';
import { list } from './list';
import { logs } from './logs';
import { remove } from './remove';
import { restart } from './restart';
import { run } from './run';
import { show } from './show';

type Verb = 'run' | 'list' | 'show' | 'attach' | 'attachForeign' | 'logs' | 'kill' | 'restart' | 'remove' | 'doctor'
  | 'groups' | 'groupSet' | 'groupPause' | 'groupResume';

export function registerJobHandlers(connection: Connection, ctx: AgentContext): void {
  // Params are typed `unknown` on purpose: they are checked inside each handler.
  const routes: Record<Verb, (c: Connection) => void> = {
    run: (c) => c.onRequest(RunRequest, (p: unknown) => guarded(RunRequest.method, () => run(ctx, p))),
    list: (c) => c.onRequest(ListRequest, (p: unknown) => guarded(ListRequest.method, () => list(ctx, p))),
    show: (c) => c.onRequest(ShowRequest, (p: unknown) => guarded(ShowRequest.method, () => show(ctx, p))),
    attach: (c) => c.onRequest(AttachRequest, (p: unknown) => guarded(AttachRequest.method, () => attach(ctx, p))),
    attachForeign: (c) => c.onRequest(ForeignAttachRequest,
      (p: unknown) => guarded(ForeignAttachRequest.method, () => attachForeign(ctx, p))),
    logs: (c) => c.onRequest(LogsRequest, (p: unknown) => guarded(LogsRequest.method, () => logs(ctx, p))),
    kill: (c) => c.onRequest(KillRequest, (p: unknown) => guarded(KillRequest.method, () => kill(ctx, p))),
    restart: (c) => c.onRequest(RestartRequest, (p: unknown) => guarded(RestartRequest.method, () => restart(ctx, p))),
    remove: (c) => c.onRequest(RemoveRequest, (p: unknown) => guarded(RemoveRequest.method, () => remove(ctx, p))),
    doctor: (c) => c.onRequest(DoctorRequest, (p: unknown) => guarded(DoctorRequest.method, () => doctor(ctx, p))),
    groups: (c) => c.onRequest(GroupsRequest, (p: unknown) => guarded(GroupsRequest.method, () => groups(ctx, p))),
    groupSet: (c) => c.onRequest(GroupSetRequest, (p: unknown) => guarded(GroupSetRequest.method, () => groupSet(ctx, p))),
    groupPause: (c) => c.onRequest(GroupPauseRequest, (p: unknown) => guarded(GroupPauseRequest.method, () => groupPause(ctx, p, true))),
    groupResume: (c) => c.onRequest(GroupResumeRequest, (p: unknown) => guarded(GroupResumeRequest.method, () => groupPause(ctx, p, false))),
  };
  for (const register of Object.values(routes)) register(connection);
}
