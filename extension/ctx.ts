// Ctx owns the agent connection, the last known job list, the extension's log and two cleanup
// scopes: the extension's lifetime, and the current agent connection's (as rust-analyzer's
// pushClientCleanup): what is tied to one connection goes when that connection does, so
// restarting the agent does not pile up subscriptions. Everything else asks Ctx. The connection module (and with it the
// LSP libraries) is a separate bundle loaded after activation, so activating stays cheap.
import * as vscode from 'vscode';
import type { ForeignSession, HostInfo, JobRecord } from '../core/protocol';
import { join } from 'node:path';
import type { AgentConnection, ConnectionState } from './agent_api';
import { agentSettings, requiresAgentRestart } from './config';
import { AgentDownError, reportError } from './errors';
import { parseKey, THIS_HOST, type HostName } from './host_keys';

/** Hosts this workspace used (ran, expanded, attached, retried): connected again at start. */
const USED_HOSTS_KEY = 'linger.usedHosts';
/** Where terminals.ts and watch.ts keep job keys; a host named there is needed at start too. */
const KEYED_STATE = ['linger.attachedJobs', 'linger.seenRunning'];

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
  /** Whose list just arrived (null = this host). */
  host: HostName;
  /** That host's jobs. */
  hostJobs: readonly JobRecord[];
  /** Every host's jobs (what the status bar counts). */
  jobs: readonly JobRecord[];
  foreign: readonly ForeignSession[];
  /**
   * True for the first list of that host after activation, and for a remote host's first list
   * after it was unreachable: the "what happened while nobody watched" list.
   */
  initial: boolean;
}

/** '' stands for this host in maps (null is not a good Map key across JSON). */
const mapKey = (h: HostName | undefined): string => h ?? '';

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private conn: AgentConnection | undefined;
  private readonly extCleanup: vscode.Disposable[] = [];
  private readonly clientCleanup: vscode.Disposable[] = [];
  private jobsList: readonly JobRecord[] = [];
  private readonly byHost = new Map<string, readonly JobRecord[]>();
  private foreignList: readonly ForeignSession[] = [];
  /** Hosts whose next list is an "initial" one (never listed yet, or back from unreachable). */
  private readonly catchingUp = new Set<string>(['']);
  private hostsList: readonly HostInfo[] = [THIS_HOST];
  private agentStateValue: AgentState = 'starting';
  private disposed = false;
  /** Whether the view is visible: the agent reads progress only then (linger/watchProgress). */
  private progressVisible = false;

  private readonly jobsEmitter = new vscode.EventEmitter<JobsSnapshot>();
  /** Fires with every new job list (push from the agent, or after a (re)connect). */
  readonly onDidChangeJobs = this.jobsEmitter.event;
  private readonly agentEmitter = new vscode.EventEmitter<AgentState>();
  readonly onDidChangeAgentState = this.agentEmitter.event;
  private readonly hostsEmitter = new vscode.EventEmitter<readonly HostInfo[]>();
  /** The host list or a host's status changed. */
  readonly onDidChangeHosts = this.hostsEmitter.event;

  constructor(readonly extCtx: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Linger', { log: true });
    this.pushExtCleanup(this.log, this.jobsEmitter, this.agentEmitter, this.hostsEmitter);
    this.pushExtCleanup(vscode.workspace.onDidChangeConfiguration((e) => {
      if (requiresAgentRestart(e)) void this.restartAgent();
    }));
  }

  get jobs(): readonly JobRecord[] { return this.jobsList; }
  get foreign(): readonly ForeignSession[] { return this.foreignList; }
  /** This host first, then the other (not hidden) hosts as the agent lists them. */
  get hosts(): readonly HostInfo[] { return this.hostsList; }
  /** Last known jobs of one host (a remote host's stay while it is unreachable). */
  jobsOn(host: HostName): readonly JobRecord[] { return this.byHost.get(mapKey(host)) ?? []; }
  hostInfo(host: HostName): HostInfo | undefined { return this.hostsList.find((h) => h.name === host); }
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
    this.pushClientCleanup(conn.onJobsChanged((host, jobs) => { if (this.conn === conn) this.acceptJobs(host, jobs, host ? [] : this.foreignList); }));
    this.pushClientCleanup(conn.onHostsChanged((hosts) => { if (this.conn === conn) this.acceptHosts(hosts); }));
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

  /**
   * Full lists from the agent: this host's (also foreign sessions, which the push does not
   * carry), the host list, and every connected host's jobs.
   */
  async refresh(): Promise<void> {
    try {
      const res = await this.agent().list(true);
      this.acceptJobs(null, res.jobs, res.foreign);
    } catch (err) {
      this.log.warn(`listing jobs failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    let hosts: HostInfo[];
    try {
      hosts = await this.agent().hosts();
    } catch (err) {
      // An agent without hosts support (or none running): this host only.
      this.log.info(`listing hosts failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.acceptHosts(hosts);
    // Hosts connect when asked for (never every ssh_config entry by itself: that would install an
    // agent on hosts the user never used Linger on). Asked for: connected already, named in
    // linger.hosts, used in this workspace, or holding a job this window had a terminal on or saw
    // running (its reattach and "finished while away" need its list).
    const wanted = this.wantedHosts();
    await Promise.all(this.hostsList
      .filter((h) => h.name && (h.status.kind === 'connected' || (h.status.kind === 'idle' && wanted.has(h.name))))
      .map((h) => this.listHost(h.name)));
  }

  private wantedHosts(): Set<string> {
    const st = this.extCtx.workspaceState;
    const out = new Set(st.get<string[]>(USED_HOSTS_KEY, []));
    // Listing a host for Linger by name (also one ssh_config has) is asking for it.
    const listed = vscode.workspace.getConfiguration('linger').get<unknown>('hosts');
    if (Array.isArray(listed)) for (const h of listed) if (typeof h === 'string' && h.trim()) out.add(h.trim());
    for (const key of KEYED_STATE) {
      for (const k of st.get<string[]>(key, [])) { const h = parseKey(k).host; if (h) out.add(h); }
    }
    return out;
  }

  /** The user did something on host: connect it again in this workspace's next windows. */
  markUsed(host: HostName): void {
    if (!host) return;
    const used = this.extCtx.workspaceState.get<string[]>(USED_HOSTS_KEY, []);
    if (!used.includes(host)) void this.extCtx.workspaceState.update(USED_HOSTS_KEY, [...used, host]);
  }

  /** One remote host's list; asking an idle host is what connects it. False when it failed. */
  async listHost(host: HostName): Promise<boolean> {
    if (!host) { await this.refresh(); return true; }
    this.markUsed(host);
    try {
      const res = await this.agent().list(false, host);
      this.acceptJobs(host, res.jobs, []);
      return true;
    } catch (err) {
      this.log.warn(`listing jobs on ${host} failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  private acceptHosts(raw: readonly HostInfo[]): void {
    const local = raw.find((h) => h.name === null) ?? THIS_HOST;
    const hosts = [local, ...raw.filter((h) => h.name !== null)];
    const before = new Map(this.hostsList.map((h) => [mapKey(h.name), h.status.kind]));
    const back: string[] = [];
    for (const h of hosts) {
      const was = before.get(mapKey(h.name));
      // A host that dropped: its next list (after it is back) says what happened meanwhile.
      if (h.name && was === 'connected' && h.status.kind !== 'connected') this.catchingUp.add(mapKey(h.name));
      if (h.name && was !== 'connected' && h.status.kind === 'connected') back.push(h.name);
      if (h.name && was !== h.status.kind) this.log.info(`host ${h.name}: ${h.status.kind}${'reason' in h.status ? ` (${h.status.reason})` : ''}`);
    }
    // A host that is gone from the list (config edited, hidden) takes its jobs with it.
    const names = new Set(hosts.map((h) => mapKey(h.name)));
    for (const k of [...this.byHost.keys()]) if (!names.has(k)) this.byHost.delete(k);
    this.hostsList = hosts;
    this.rebuildJobs();
    this.hostsEmitter.fire(hosts);
    // A host that (re)connected: its full list now (pushes only come on changes).
    for (const h of back) void this.listHost(h);
  }

  private rebuildJobs(): void {
    this.jobsList = this.hostsList.flatMap((h) => this.byHost.get(mapKey(h.name)) ?? []);
  }

  private acceptJobs(host: HostName, raw: readonly JobRecord[], foreign: readonly ForeignSession[]): void {
    const k = mapKey(host);
    // Records from another host carry `host`; make sure of it, every key depends on it.
    const jobs = host ? raw.map((j) => (j.host === host ? j : { ...j, host })) : raw;
    const initial = this.catchingUp.delete(k) || !this.byHost.has(k);
    this.byHost.set(k, jobs);
    if (!host) this.foreignList = foreign;
    // A list from a host the agent did not announce (yet) is kept but not shown: rebuildJobs
    // walks the announced hosts only.
    this.rebuildJobs();
    this.jobsEmitter.fire({ host, hostJobs: jobs, jobs: this.jobsList, foreign: this.foreignList, initial });
  }

  /** A job by id on one host (absent host: this host's, then any host's). */
  findJob(id: string, host?: HostName): JobRecord | undefined {
    if (host !== undefined) return this.jobsOn(host).find((j) => j.id === id);
    return this.jobsOn(null).find((j) => j.id === id) ?? this.jobsList.find((j) => j.id === id);
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
