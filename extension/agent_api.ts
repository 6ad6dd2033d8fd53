// The only module that loads vscode-languageclient and the protocol constants. It is a bundle of
// its own (dist/extension-agent.js) required after activate() has returned (extension/ctx.ts),
// because parsing and evaluating the LSP libraries costs more than the whole activation budget. Each method is one linger/* request from core/protocol.ts.
// `host` (null/absent = this host) is passed through on every request: the agent forwards a named
// host's requests to the agent there over the user's ssh.
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import {
  AttachRequest, DoctorRequest, ForeignAttachRequest, HostRetryRequest, HostsChangedNotification, HostsRequest,
  InstallCliRequest, JobsChangedNotification, KillRequest, ListRequest, LogsRequest, RemoveRequest, RestartRequest,
  RunRequest, ShowRequest, USER_ERROR_CODE, WatchProgressNotification,
  type AttachCommand, type DoctorReport, type ForeignSession, type HostInfo, type InstallCliResult, type JobRecord,
  type KillParams, type ListResult, type LogsParams, type LogsResult, type RemoveParams, type RemoveResult, type RunParams,
} from '../core/protocol';
import { createAgentClient } from './agent';
import { USER_ERROR_CODE_MIRROR } from './codes';

if (USER_ERROR_CODE !== USER_ERROR_CODE_MIRROR) throw new Error('extension/codes.ts is out of date with core/protocol.ts');

export type ConnectionState = 'starting' | 'running' | 'down';
/** null = this host. */
export type HostName = string | null;

/** Only a named host goes on the wire: an absent `host` is what older agents understand. */
const on = (host: HostName | undefined): { host?: string } => (host ? { host } : {});

export class AgentConnection {
  private readonly client;

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    this.client = createAgentClient(context, log);
  }

  get state(): ConnectionState {
    switch (this.client.state) {
      case State.Running: return 'running';
      case State.Starting: return 'starting';
      default: return 'down';
    }
  }

  onState(cb: (s: ConnectionState) => void): vscode.Disposable {
    return this.client.onDidChangeState(() => cb(this.state));
  }

  /** Push from the agent: one host's full list; the handler survives the client's own restarts. */
  onJobsChanged(cb: (host: HostName, jobs: JobRecord[]) => void): vscode.Disposable {
    return this.client.onNotification(JobsChangedNotification, (p) => cb(p.host ?? null, p.jobs));
  }

  onHostsChanged(cb: (hosts: HostInfo[]) => void): vscode.Disposable {
    return this.client.onNotification(HostsChangedNotification, (p) => cb(p.hosts));
  }

  start(): Promise<void> { return this.client.start(); }
  async stop(): Promise<void> { await this.client.stop(2000); await this.client.dispose(2000).catch(() => undefined); }

  list(all = true, host: HostName = null): Promise<ListResult> { return this.client.sendRequest(ListRequest, { all, ...on(host) }); }
  run(p: RunParams): Promise<JobRecord> { return this.client.sendRequest(RunRequest, { ...p, host: undefined, ...on(p.host) }); }
  show(id: string, host: HostName = null): Promise<JobRecord> { return this.client.sendRequest(ShowRequest, { id, ...on(host) }); }
  attach(id: string, host: HostName = null): Promise<AttachCommand> { return this.client.sendRequest(AttachRequest, { id, ...on(host) }); }
  attachForeign(session: ForeignSession): Promise<AttachCommand> { return this.client.sendRequest(ForeignAttachRequest, { session }); }
  logs(p: LogsParams): Promise<LogsResult> { return this.client.sendRequest(LogsRequest, { ...p, host: undefined, ...on(p.host) }); }
  kill(p: KillParams): Promise<JobRecord> { return this.client.sendRequest(KillRequest, { ...p, host: undefined, ...on(p.host) }); }
  restart(id: string, host: HostName = null): Promise<JobRecord> { return this.client.sendRequest(RestartRequest, { id, ...on(host) }); }
  remove(p: RemoveParams): Promise<RemoveResult> { return this.client.sendRequest(RemoveRequest, { ...p, host: undefined, ...on(p.host) }); }
  doctor(host: HostName = null): Promise<DoctorReport> { return this.client.sendRequest(DoctorRequest, on(host)); }
  hosts(): Promise<HostInfo[]> { return this.client.sendRequest(HostsRequest, {}).then((r) => r.hosts); }
  retryHost(host: string): Promise<HostInfo> { return this.client.sendRequest(HostRetryRequest, { host }); }
  installCli(host: HostName): Promise<InstallCliResult> { return this.client.sendRequest(InstallCliRequest, on(host)); }
  /** Whether anyone looks at the view (the agent reads progress only then). */
  watchProgress(visible: boolean): Promise<void> { return this.client.sendNotification(WatchProgressNotification, { visible }); }
}
