// The agent's side of "many hosts": the host list (HostsRequest), retry, Install CLI, ping, and
// the forwarding of any linger/* request whose params name a host to that host's agent through
// the HostPool. Pushes hostsChanged and each remote host's jobsChanged (with `host` set).
import type { Connection } from 'vscode-languageserver/node';
import { listHosts, type HostEntry } from '../core/hosts/hostList';
import { loadBundle, type AgentBundle } from '../core/hosts/bundle';
import { installCli } from '../core/hosts/installCli';
import { HostPool } from '../core/hosts/pool';
import { remoteAgentSettings, sshConfigFileFrom, sshOptionsFor } from '../core/hosts/setup';
import { LINGER_VERSION } from '../core/hosts/version';
import type { AttachCommand } from '../core/jobs/types';
import { UserError } from '../core/jobs/types';
import {
  AttachRequest, ForeignAttachRequest, HostRetryRequest, HostsChangedNotification, HostsRequest, InstallCliRequest,
  JobsChangedNotification, PingRequest, type HostsResult, type InstallCliResult,
} from '../core/protocol';
import { guarded, logError } from './errors';
import { paramsObject, requireString } from './handlers/context';
import type { LingerSettings } from './settings';

/** The host a request's params name, or null for this host. */
export function hostParam(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const h = (raw as { host?: unknown }).host;
  if (h === undefined || h === null || h === '') return null;
  if (typeof h !== 'string') throw new UserError(`'host' must be a string`);
  return h;
}

export class HostsService {
  private pool: HostPool | null = null;
  private poolKey = '';
  private bundle: AgentBundle | null = null;

  constructor(private readonly connection: Connection, private readonly settings: () => LingerSettings) {}

  register(): void {
    const c = this.connection;
    c.onRequest(HostsRequest, () => guarded(HostsRequest.method, (): HostsResult => {
      const hosts = this.current().infos();
      this.lastHosts = JSON.stringify(hosts);
      return { hosts };
    }));
    c.onRequest(HostRetryRequest, (p: unknown) => guarded(HostRetryRequest.method, () => {
      const host = requireString(paramsObject(p), 'host');
      this.known(host);
      return this.current().retry(host);
    }));
    c.onRequest(InstallCliRequest, (p: unknown) => guarded(InstallCliRequest.method, async (): Promise<InstallCliResult> => {
      const host = hostParam(p);
      if (host === null) return installCli();
      return this.forward(InstallCliRequest.method, host, paramsObject(p));
    }));
    c.onRequest(PingRequest, () => ({ version: LINGER_VERSION }));
  }

  /** The client's view is visible or not: the other hosts' agents push progress only while it is. */
  watchProgress(visible: boolean): void {
    this.watching = visible;
    this.pool?.watchProgress(visible);
  }

  private watching = false;

  /** Settings changed: a new ssh config or state dir means a new pool (the old connections end). */
  settingsChanged(): void {
    if (!this.pool) return;
    if (this.key() !== this.poolKey) {
      const old = this.pool;
      this.pool = null;
      void old.dispose().catch((e: unknown) => logError('hosts dispose', e));
    }
    // linger.hosts / hiddenHosts only change the list: the connections stay.
    this.listCache = null;
    this.pool?.settingsChanged();
    const hosts = this.current().infos();
    const text = JSON.stringify(hosts);
    if (text !== this.lastHosts) {
      this.lastHosts = text;
      void this.connection.sendNotification(HostsChangedNotification, { hosts }).catch((e: unknown) => logError('hostsChanged', e));
    }
  }

  private lastHosts = '';
  private listCache: { at: number; list: HostEntry[] } | null = null;

  /** The ssh config is read again at most every 2 s (forwarded requests check their host against it). */
  private hostList(configFile: string | null): HostEntry[] {
    const now = Date.now();
    if (this.listCache && now - this.listCache.at < 2000) return this.listCache.list;
    const s = this.settings();
    const list = listHosts({ configFile, extra: s.hosts, hidden: s.hiddenHosts });
    this.listCache = { at: now, list };
    return list;
  }

  /** What the pool's connections depend on: the ssh config file and where our sockets live. */
  private key(): string {
    const s = this.settings();
    return JSON.stringify([sshConfigFileFrom(s.sshConfigFile), s.stateDir]);
  }

  private current(): HostPool {
    if (this.pool) return this.pool;
    const s = this.settings();
    const configFile = sshConfigFileFrom(s.sshConfigFile);
    this.poolKey = this.key();
    this.pool = new HostPool({
      ssh: sshOptionsFor({ configFile, stateDir: s.stateDir }),
      bundle: () => (this.bundle ??= loadBundle()),
      settings: () => remoteAgentSettings(this.settings()),
      hosts: () => this.hostList(configFile),
      onHostsChanged: (hosts) => {
        this.lastHosts = JSON.stringify(hosts);
        void this.connection.sendNotification(HostsChangedNotification, { hosts }).catch((e: unknown) => logError('hostsChanged', e));
      },
      onJobs: (host, jobs) => void this.connection.sendNotification(JobsChangedNotification, { host, jobs }).catch((e: unknown) => logError('jobsChanged', e)),
      log: (line) => process.stderr.write(`[linger-agent] ${line}\n`),
    });
    if (this.watching) this.pool.watchProgress(true);
    return this.pool;
  }

  /** A request not in the host list is refused: the host word reaches ssh, so only listed ones may. */
  private known(host: string): void {
    if (!this.current().infos().some((h) => h.name === host)) {
      throw new UserError(`unknown host '${host}': not a Host entry of the ssh config nor in linger.hosts`, 'invalid');
    }
  }

  /** Forwards one request to host's agent; attach commands come back as a local `ssh -t`. */
  async forward<R>(method: string, host: string, params: Record<string, unknown>): Promise<R> {
    this.known(host);
    const pool = this.current();
    const r = await pool.request<unknown>(host, method, params);
    if (method === AttachRequest.method || method === ForeignAttachRequest.method) return pool.attachArgv(host, r as AttachCommand) as R;
    return r as R;
  }

  dispose(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    return p ? p.dispose() : Promise.resolve();
  }
}
