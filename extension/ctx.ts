// Ctx owns the agent client, the last known job list, the extension's log and both cleanup
// scopes (extension lifetime vs. one client instance). Everything else asks Ctx.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  JobsChangedNotification, ListRequest,
  type ForeignSession, type JobRecord,
} from '../core/protocol';
import { createAgentClient } from './agent';
import { agentSettings, requiresAgentRestart } from './config';
import { AgentDownError, reportError } from './errors';

export type AgentState = 'starting' | 'running' | 'down';

export interface JobsSnapshot {
  jobs: readonly JobRecord[];
  foreign: readonly ForeignSession[];
  /** True for the first list after activation (the "what happened while nobody watched" list). */
  initial: boolean;
}

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private readonly extCleanup: vscode.Disposable[] = [];
  private jobsList: readonly JobRecord[] = [];
  private foreignList: readonly ForeignSession[] = [];
  private gotFirstList = false;
  private agent: AgentState = 'starting';

  private readonly jobsEmitter = new vscode.EventEmitter<JobsSnapshot>();
  /** Fires with every new job list (push from the agent, or after a (re)connect). */
  readonly onDidChangeJobs = this.jobsEmitter.event;
  private readonly agentEmitter = new vscode.EventEmitter<AgentState>();
  readonly onDidChangeAgentState = this.agentEmitter.event;

  constructor(readonly extCtx: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Linger', { log: true });
    this.pushExtCleanup(this.log, this.jobsEmitter, this.agentEmitter);
    this.pushExtCleanup(vscode.workspace.onDidChangeConfiguration((e) => {
      if (requiresAgentRestart(e)) void this.restartAgent();
    }));
  }

  get jobs(): readonly JobRecord[] { return this.jobsList; }
  get foreign(): readonly ForeignSession[] { return this.foreignList; }
  get agentState(): AgentState { return this.agent; }
  get hasFirstList(): boolean { return this.gotFirstList; }

  pushExtCleanup(...d: vscode.Disposable[]): void { this.extCleanup.push(...d); }

  /** Starts the agent without blocking activation; failures are logged and shown once. */
  startAgent(): void {
    void this.doStart();
  }

  private async doStart(): Promise<void> {
    const client = createAgentClient(this.extCtx, this.log);
    this.client = client;
    this.setAgent('starting');
    client.onNotification(JobsChangedNotification, (p) => {
      this.acceptJobs(p.jobs, this.foreignList);
    });
    client.onDidChangeState((e) => {
      if (client !== this.client) return;
      if (e.newState === State.Running) {
        this.setAgent('running');
        // After every (re)start the push stream has a gap: fetch the full list once.
        void this.refresh();
      } else if (e.newState === State.Stopped) {
        this.setAgent('down');
      } else {
        this.setAgent('starting');
      }
    });
    try {
      await client.start();
      this.log.info(`agent started (state dir: ${agentSettings().stateDirectory || 'default'})`);
    } catch (err) {
      this.setAgent('down');
      this.log.error(`agent failed to start: ${err instanceof Error ? err.message : String(err)}`);
      void reportError(this, 'start the agent', new AgentDownError(String(err)));
    }
  }

  async restartAgent(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    if (old) {
      try { await old.stop(2000); } catch (err) { this.log.warn(`stopping agent: ${String(err)}`); }
      await old.dispose(2000).catch(() => undefined);
    }
    await this.doStart();
  }

  private setAgent(s: AgentState): void {
    if (s === this.agent) return;
    this.agent = s;
    this.log.info(`agent ${s}`);
    this.agentEmitter.fire(s);
  }

  /** The client, or AgentDownError with a message that names the next step. */
  requireClient(): LanguageClient {
    const c = this.client;
    if (!c || c.state === State.Stopped) {
      throw new AgentDownError('The Linger agent is not running. Run "Linger: Restart Agent" or see the "Linger" output.');
    }
    return c;
  }

  /** Full list from the agent (also foreign sessions, which the push does not carry). */
  async refresh(): Promise<void> {
    try {
      const res = await this.requireClient().sendRequest(ListRequest, { all: true });
      this.acceptJobs(res.jobs, res.foreign);
    } catch (err) {
      this.log.warn(`listing jobs failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private acceptJobs(jobs: readonly JobRecord[], foreign: readonly ForeignSession[]): void {
    const initial = !this.gotFirstList;
    this.gotFirstList = true;
    this.jobsList = jobs;
    this.foreignList = foreign;
    this.jobsEmitter.fire({ jobs, foreign, initial });
  }

  findJob(id: string): JobRecord | undefined {
    return this.jobsList.find((j) => j.id === id);
  }

  async dispose(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    for (const d of this.extCleanup.splice(0).reverse()) {
      try { d.dispose(); } catch { /* best effort during shutdown */ }
    }
    if (c) await c.dispose(2000).catch(() => undefined);
  }
}
