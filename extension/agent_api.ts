// The only module that loads vscode-languageclient and the protocol constants. It is a bundle of
// its own (dist/extension-agent.js) required after activate() has returned (extension/ctx.ts),
// because parsing and evaluating the LSP libraries costs more than the whole activation budget. Each method is one linger/* request from core/protocol.ts.
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import {
  AttachRequest, DoctorRequest, ForeignAttachRequest, JobsChangedNotification, KillRequest, ListRequest,
  LogsRequest, RemoveRequest, RestartRequest, RunRequest, ShowRequest, USER_ERROR_CODE, WatchProgressNotification,
  type AttachCommand, type DoctorReport, type ForeignSession, type JobRecord, type KillParams, type ListResult,
  type LogsParams, type LogsResult, type RemoveParams, type RemoveResult, type RunParams,
} from '../core/protocol';
import { createAgentClient } from './agent';
import { USER_ERROR_CODE_MIRROR } from './codes';

if (USER_ERROR_CODE !== USER_ERROR_CODE_MIRROR) throw new Error('extension/codes.ts is out of date with core/protocol.ts');

export type ConnectionState = 'starting' | 'running' | 'down';

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

  /** Push from the agent; the handler survives the client's own restarts (not a new connection). */
  onJobsChanged(cb: (jobs: JobRecord[]) => void): vscode.Disposable {
    return this.client.onNotification(JobsChangedNotification, (p) => cb(p.jobs));
  }

  start(): Promise<void> { return this.client.start(); }
  async stop(): Promise<void> { await this.client.stop(2000); await this.client.dispose(2000).catch(() => undefined); }

  list(all = true): Promise<ListResult> { return this.client.sendRequest(ListRequest, { all }); }
  run(p: RunParams): Promise<JobRecord> { return this.client.sendRequest(RunRequest, p); }
  show(id: string): Promise<JobRecord> { return this.client.sendRequest(ShowRequest, { id }); }
  attach(id: string): Promise<AttachCommand> { return this.client.sendRequest(AttachRequest, { id }); }
  attachForeign(session: ForeignSession): Promise<AttachCommand> { return this.client.sendRequest(ForeignAttachRequest, { session }); }
  logs(p: LogsParams): Promise<LogsResult> { return this.client.sendRequest(LogsRequest, p); }
  kill(p: KillParams): Promise<JobRecord> { return this.client.sendRequest(KillRequest, p); }
  restart(id: string): Promise<JobRecord> { return this.client.sendRequest(RestartRequest, { id }); }
  remove(p: RemoveParams): Promise<RemoveResult> { return this.client.sendRequest(RemoveRequest, p); }
  doctor(): Promise<DoctorReport> { return this.client.sendRequest(DoctorRequest, {}); }
  /** Whether anyone looks at the view (the agent reads progress only then). */
  watchProgress(visible: boolean): Promise<void> { return this.client.sendNotification(WatchProgressNotification, { visible }); }
}
