// The other hosts as the agent (and the CLI) sees them: one lazily made RemoteAgent per host,
// its status (HostStatus), reconnection with backoff once the host has been asked for, the
// remote agent's job lists relayed with `host` set, and requests forwarded with `host` removed.
// Nothing connects until something asks for that host; after that the host stays connected
// (and its changes pushed) until the pool is disposed.
import type { AttachCommand, JobRecord } from '../jobs/types';
import { WatchProgressNotification } from '../protocol';
import { UserError } from '../jobs/types';
import type { HostEntry } from './hostList';
import type { AgentBundle } from './bundle';
import { HostFailure, RemoteAgent, runSsh } from './remoteAgent';
import { sshAttachArgv, sshExitMasterArgv, type SshOptions } from './sshArgv';
import type { HostInfo, HostStatus } from './types';

export interface HostPoolOptions {
  ssh: SshOptions;
  /** Loaded once, lazily (reading the bundle is only needed at the first connection). */
  bundle: () => AgentBundle;
  /** The settings to give each remote agent. */
  settings: () => Record<string, unknown>;
  /** The host list now (this host first); re-read on each HostsRequest. */
  hosts: () => HostEntry[];
  onHostsChanged?(hosts: HostInfo[]): void;
  onJobs?(host: string, jobs: JobRecord[]): void;
  /** Reconnect backoff bounds (ms). */
  backoff?: { first: number; max: number };
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  log?(line: string): void;
}

interface Slot {
  status: HostStatus;
  agent: RemoteAgent | null;
  connecting: Promise<RemoteAgent> | null;
  /** Asked for at least once: keep it connected, reconnect after a drop. */
  wanted: boolean;
  retryMs: number;
  timer: NodeJS.Timeout | null;
}

export class HostPool {
  private readonly slots = new Map<string, Slot>();
  private disposed = false;
  /** The client's progress watch, passed on to every agent, also to the ones that connect later. */
  private watching = false;

  constructor(private readonly o: HostPoolOptions) {}

  private slot(host: string): Slot {
    let s = this.slots.get(host);
    if (!s) {
      s = { status: { kind: 'idle' }, agent: null, connecting: null, wanted: false, retryMs: this.o.backoff?.first ?? 1000, timer: null };
      this.slots.set(host, s);
    }
    return s;
  }

  /** Every host with its status; hosts never asked for are idle. */
  infos(): HostInfo[] {
    return this.o.hosts().map((h) => ({
      name: h.name, label: h.label, source: h.source,
      status: h.name === null ? { kind: 'local' } : (this.slots.get(h.name)?.status ?? { kind: 'idle' }),
    }));
  }

  status(host: string): HostStatus { return this.slot(host).status; }

  private setStatus(host: string, s: Slot, status: HostStatus): void {
    if (JSON.stringify(s.status) === JSON.stringify(status)) return;
    s.status = status;
    this.o.onHostsChanged?.(this.infos());
  }

  /** The live agent for host, connecting now if needed. Throws UserError when it cannot be reached. */
  async agent(host: string): Promise<RemoteAgent> {
    if (this.disposed) throw new UserError('shutting down', 'failed');
    const s = this.slot(host);
    s.wanted = true;
    if (s.agent?.alive) return s.agent;
    if (s.status.kind === 'refused') throw new UserError(`${host}: ${s.status.reason}`, 'failed');
    try {
      return await this.connect(host, s);
    } catch (e) {
      if (e instanceof HostFailure) throw new UserError(`${host} is ${e.kind}: ${e.message}`, 'failed');
      throw e;
    }
  }

  private connect(host: string, s: Slot): Promise<RemoteAgent> {
    if (s.connecting) return s.connecting;
    if (s.timer) { clearTimeout(s.timer); s.timer = null; }
    this.setStatus(host, s, { kind: 'connecting' });
    const p = RemoteAgent.connect({
      host, ssh: this.o.ssh, bundle: this.o.bundle(), settings: this.o.settings(),
      heartbeatMs: this.o.heartbeatMs, heartbeatTimeoutMs: this.o.heartbeatTimeoutMs, log: this.o.log,
      onJobs: (jobs) => this.o.onJobs?.(host, jobs),
      onClose: (reason) => this.dropped(host, s, reason),
    });
    s.connecting = p;
    p.then((a) => {
      s.connecting = null;
      if (this.disposed) { void a.close(); return; }
      s.agent = a;
      if (this.watching) a.notify(WatchProgressNotification.method, { visible: true });
      s.retryMs = this.o.backoff?.first ?? 1000;
      this.setStatus(host, s, { kind: 'connected', agentVersion: a.version });
    }, (e: unknown) => {
      s.connecting = null;
      const f = e instanceof HostFailure ? e : new HostFailure('unreachable', e instanceof Error ? e.message : String(e));
      this.setStatus(host, s, f.kind === 'refused' ? { kind: 'refused', reason: f.message } : { kind: 'unreachable', reason: f.message, since: new Date().toISOString() });
      if (f.kind === 'unreachable') this.scheduleRetry(host, s);
    });
    return p;
  }

  private dropped(host: string, s: Slot, reason: string): void {
    s.agent = null;
    if (this.disposed) return;
    this.o.log?.(`${host}: connection lost: ${reason}`);
    this.setStatus(host, s, { kind: 'unreachable', reason, since: new Date().toISOString() });
    // A master on a silent network stays "up" until TCP gives up (minutes, retransmissions backing
    // off to 2 min each): end it, so the next attempt makes a fresh connection as soon as the host
    // is back. It only asks the local master over its socket, so it does not hang on the network.
    const exit = sshExitMasterArgv(this.o.ssh, host);
    const retry = () => this.scheduleRetry(host, s);
    if (exit) void runSsh(exit, null, 5000).then(retry, retry);
    else retry();
  }

  private scheduleRetry(host: string, s: Slot): void {
    if (!s.wanted || this.disposed || s.timer) return;
    const wait = s.retryMs;
    s.retryMs = Math.min(s.retryMs * 2, this.o.backoff?.max ?? 30_000);
    s.timer = setTimeout(() => {
      s.timer = null;
      if (!this.disposed && !s.agent && !s.connecting) this.connect(host, s).catch(() => { /* status says it */ });
    }, wait);
    s.timer.unref?.();
  }

  /** Try now (HostRetryRequest), also a refused host (it may have been cleaned up meanwhile). */
  async retry(host: string): Promise<HostInfo> {
    const s = this.slot(host);
    s.wanted = true;
    s.retryMs = this.o.backoff?.first ?? 1000;
    if (!s.agent?.alive) await this.connect(host, s).catch(() => { /* status says it */ });
    const info = this.infos().find((h) => h.name === host);
    return info ?? { name: host, label: host, source: 'setting', status: s.status };
  }

  /** Forwards one request: `host` removed from the params; records coming back carry it. */
  async request<R>(host: string, method: string, params: Record<string, unknown>): Promise<R> {
    const { host: _drop, ...rest } = params;
    const a = await this.agent(host);
    const r = await a.request<unknown>(method, rest);
    return withHost(r, host) as R;
  }

  /** What a local terminal runs to attach to a job (or foreign session) on host: a real `ssh -t`. */
  attachArgv(host: string, a: AttachCommand): AttachCommand {
    return { argv: sshAttachArgv(this.o.ssh, host, a), detachHint: a.detachHint };
  }

  /** The view became visible or hidden: the hosts' agents read progress only while it is. */
  watchProgress(visible: boolean): void {
    this.watching = visible;
    for (const s of this.slots.values()) s.agent?.notify(WatchProgressNotification.method, { visible });
  }

  /** The settings changed: the connected agents get them now, later ones at their start. */
  settingsChanged(): void {
    const settings = this.o.settings();
    for (const s of this.slots.values()) s.agent?.updateSettings(settings);
  }

  /** Connected agents (for memory accounting and tests). */
  connected(): string[] { return [...this.slots].filter(([, s]) => s.agent?.alive).map(([h]) => h); }

  async dispose(opts: { exitMasters?: boolean } = {}): Promise<void> {
    this.disposed = true;
    const closing: Promise<void>[] = [];
    for (const [host, s] of this.slots) {
      if (s.timer) clearTimeout(s.timer);
      if (s.agent) closing.push(s.agent.close());
      if (opts.exitMasters) {
        const argv = sshExitMasterArgv(this.o.ssh, host);
        if (argv) closing.push(runSsh(argv, null, 5000).then(() => undefined));
      }
    }
    await Promise.all(closing);
  }
}

/** Sets `host` on a JobRecord, on each of a list's jobs, on {jobs, foreign}. Other results pass as they are. */
export function withHost(r: unknown, host: string): unknown {
  const isRecord = (x: unknown): x is JobRecord => typeof x === 'object' && x !== null && 'id' in x && 'argv' in x && 'state' in x;
  if (isRecord(r)) return { ...r, host };
  if (typeof r === 'object' && r !== null && Array.isArray((r as { jobs?: unknown }).jobs)) {
    const l = r as { jobs: unknown[] };
    return { ...l, jobs: l.jobs.map((j) => (isRecord(j) ? { ...j, host } : j)) };
  }
  return r;
}
