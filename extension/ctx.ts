// Ctx owns the agent connection, the last known job list, the extension's log and two cleanup
// scopes: the extension's lifetime, and the current agent connection's (as rust-analyzer's
// pushClientCleanup): what is tied to one connection goes when that connection does, so
// restarting the agent does not pile up subscriptions. Everything else asks Ctx. The connection module (and with it the
// LSP libraries) is a separate bundle loaded after activation, so activating stays cheap.
import * as vscode from 'vscode';
import type { ForeignSession, JobRecord } from '../core/protocol';
import { join } from 'node:path';
import type { AgentConnection, ConnectionState } from './agent_api';
import { agentSettings, requiresAgentRestart } from './config';
import { AgentDownError, reportError } from './errors';

export type AgentState = ConnectionState;

/**
 * The connection module is its own bundle (dist/extension-agent.js, see esbuild.mjs): the LSP
 * libraries are 90% of the extension's code, and a separate file is neither parsed nor run
 * while VS Code waits for activate(). The path is non-literal so esbuild leaves it alone.
 */
function loadAgentApi(): typeof import('./agent_api') {
  const file = join(__dirname, 'extension-agent.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as typeof import('./agent_api');
}

export interface JobsSnapshot {
  jobs: readonly JobRecord[];
  foreign: readonly ForeignSession[];
  /** True for the first list after activation (the "what happened while nobody watched" list). */
  initial: boolean;
}

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private conn: AgentConnection | undefined;
  private readonly extCleanup: vscode.Disposable[] = [];
  private readonly clientCleanup: vscode.Disposable[] = [];
  private jobsList: readonly JobRecord[] = [];
  private foreignList: readonly ForeignSession[] = [];
  private gotFirstList = false;
  private agentStateValue: AgentState = 'starting';
  private disposed = false;
  /** Whether the view is visible: the agent reads progress only then (linger/watchProgress). */
  private progressVisible = false;

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
  get agentState(): AgentState { return this.agentStateValue; }

  pushExtCleanup(...d: vscode.Disposable[]): void { this.extCleanup.push(...d); }
  /** Disposed with the current agent connection (stop, restart, deactivation). */
  pushClientCleanup(...d: vscode.Disposable[]): void { this.clientCleanup.push(...d); }

  private disposeClientCleanup(): void {
    for (const d of this.clientCleanup.splice(0).reverse()) {
      try { d.dispose(); } catch { /* best effort: the connection is going anyway */ }
    }
  }

  /** How many disposables the current connection holds (tests check restarts do not grow it). */
  get clientCleanupCount(): number { return this.clientCleanup.length; }

  /** Starts the agent on a later tick, without blocking activation; failures are logged and shown. */
  startAgent(): void {
    setTimeout(() => void this.doStart(), 0);
  }

  private async doStart(): Promise<void> {
    if (this.disposed) return;
    this.setAgent('starting');
    let conn: AgentConnection;
    try {
      const { AgentConnection } = loadAgentApi();
      conn = new AgentConnection(this.extCtx, this.log);
    } catch (err) {
      this.setAgent('down');
      void reportError(this, 'start the agent', new AgentDownError(`loading the client failed: ${String(err)}`));
      return;
    }
    this.disposeClientCleanup();
    this.conn = conn;
    this.pushClientCleanup(conn.onJobsChanged((jobs) => { if (this.conn === conn) this.acceptJobs(jobs, this.foreignList); }));
    this.pushClientCleanup(conn.onState((s) => {
      if (this.conn !== conn) return;
      this.setAgent(s);
      // After every (re)start the push stream had a gap: fetch the full list once; a new agent
      // process does not know whether the view is visible.
      if (s === 'running') { this.sendProgressWatch(); void this.refresh(); }
    }));
    try {
      await conn.start();
      this.log.info(`agent started (state dir: ${agentSettings().stateDirectory || 'default'})`);
      this.setAgent(conn.state);
    } catch (err) {
      this.setAgent('down');
      this.log.error(`agent failed to start: ${err instanceof Error ? err.message : String(err)}`);
      void reportError(this, 'start the agent', new AgentDownError(String(err)));
    }
  }

  async restartAgent(): Promise<void> {
    const old = this.conn;
    this.conn = undefined;
    this.disposeClientCleanup();
    if (old) {
      try { await old.stop(); } catch (err) { this.log.warn(`stopping agent: ${String(err)}`); }
    }
    await this.doStart();
  }

  private setAgent(s: AgentState): void {
    if (s === this.agentStateValue) return;
    this.agentStateValue = s;
    this.log.info(`agent ${s}`);
    this.agentEmitter.fire(s);
  }

  /** The view became visible or hidden: the agent reads jobs' progress only while it is visible. */
  setProgressVisible(visible: boolean): void {
    if (visible === this.progressVisible) return;
    this.progressVisible = visible;
    this.sendProgressWatch();
  }

  private sendProgressWatch(): void {
    const c = this.conn;
    if (c && c.state === 'running') c.watchProgress(this.progressVisible).catch((err: unknown) => this.log.warn(`watchProgress: ${String(err)}`));
  }

  /** The agent connection, or AgentDownError with a message that names the next step. */
  agent(): AgentConnection {
    const c = this.conn;
    if (!c || c.state === 'down') {
      throw new AgentDownError('The Linger agent is not running. Run "Linger: Restart Agent" or see the "Linger" output.');
    }
    return c;
  }

  /** Full list from the agent (also foreign sessions, which the push does not carry). */
  async refresh(): Promise<void> {
    try {
      const res = await this.agent().list(true);
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
    this.disposed = true;
    const c = this.conn;
    this.conn = undefined;
    this.disposeClientCleanup();
    for (const d of this.extCleanup.splice(0).reverse()) {
      try { d.dispose(); } catch { /* best effort during shutdown */ }
    }
    if (c) await c.stop().catch(() => undefined);
  }
}
