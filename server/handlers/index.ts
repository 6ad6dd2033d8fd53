// One file per verb; this table routes each linger/* request constant to its handler.
// The `Verb` record type makes a missing verb a compile error (the drift guard).
import type { Connection, RequestType } from 'vscode-languageserver/node';
import {
  AttachRequest, DoctorRequest, ForeignAttachRequest, GroupPauseRequest, GroupResumeRequest, GroupSetRequest, GroupsRequest,
  KillRequest, ListRequest, LogsRequest, RemoveRequest, RestartRequest, RunRequest, ShowRequest,
} from '../../core/protocol';
import { guarded } from '../errors';
import { attach } from './attach';
import { attachForeign } from './attachForeign';
import { type AgentContext, paramsObject } from './context';
import { hostParam } from '../hosts';
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
  // Params are typed `unknown` on purpose: they are checked inside each handler. A request whose
  // params name a host goes to that host's agent unchanged (minus `host`): the checks happen there.
  const on = <P, R>(type: RequestType<P, R, void>, handler: (ctx: AgentContext, p: unknown) => R | Promise<R>) => (c: Connection) => {
    c.onRequest(type.method, (p: unknown) => guarded(type.method, () => {
      const host = hostParam(p);
      return host === null ? handler(ctx, p) : ctx.forward<R>(type.method, host, paramsObject(p));
    }));
  };
  const routes: Record<Verb, (c: Connection) => void> = {
    run: on(RunRequest, run),
    list: on(ListRequest, list),
    show: on(ShowRequest, show),
    attach: on(AttachRequest, attach),
    attachForeign: on(ForeignAttachRequest, attachForeign),
    logs: on(LogsRequest, logs),
    kill: on(KillRequest, kill),
    restart: on(RestartRequest, restart),
    remove: on(RemoveRequest, remove),
    doctor: on(DoctorRequest, doctor),
    groups: on(GroupsRequest, groups),
    groupSet: on(GroupSetRequest, groupSet),
    groupPause: on(GroupPauseRequest, (c, p) => groupPause(c, p, true)),
    groupResume: on(GroupResumeRequest, (c, p) => groupPause(c, p, false)),
  };
  for (const register of Object.values(routes)) register(connection);
}
