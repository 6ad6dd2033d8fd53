// One live agent on another host: bootstrap (bootstrap.ts) over the user's ssh, then our own
// JSON-RPC protocol over that ssh's stdio. Argv, cwd and env only ever travel inside JSON-RPC
// messages: the ssh command line carries our constant scripts and nothing else.
import { spawn, type ChildProcess } from 'node:child_process';
import { Transform, type TransformCallback } from 'node:stream';
import {
  createProtocolConnection, DidChangeConfigurationNotification, InitializedNotification, InitializeRequest, StreamMessageReader, StreamMessageWriter,
  type InitializeResult, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { JobsChangedNotification, PingRequest } from '../protocol';
import type { JobRecord } from '../jobs/types';
import type { AgentBundle } from './bundle';
import {
  installScript, newerAgent, NO_NODE_REASON, parseProbe, probeScript, RUN_MARKER, runScript,
} from './bootstrap';
import { sshCommandArgv, sshConfigDumpArgv, type SshOptions } from './sshArgv';
import { compareVersions } from './version';

/** Why a host cannot be used: unreachable (ssh or the agent failed) or refused (its agent is newer). */
export class HostFailure extends Error {
  constructor(readonly kind: 'unreachable' | 'refused', reason: string) { super(reason); }
}

export interface SshResult { code: number | null; stdout: string; stderr: string; timedOut: boolean }

/** Runs one ssh (argv[0] on PATH), feeding `input` to its stdin; kills it after timeoutMs. */
export function runSsh(argv: string[], input: Buffer | null, timeoutMs: number): Promise<SshResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < 1 << 20) stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 1 << 16) stderr += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { stderr += `${e.message}\n`; });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, timedOut }); });
    child.stdin.on('error', () => { /* ssh exited before reading everything: its status says why */ });
    child.stdin.end(input ?? undefined);
  });
}

/** ssh's last words, which say why (skipping the multiplexing chatter that is not the cause). */
export function lastSshLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^(ControlSocket .* already exists|mux_client_|Warning: Permanently added)/.test(l));
  return lines[lines.length - 1] ?? '';
}

export interface Keepalive {
  /** Seconds after which ssh itself gives up on a silent server (null: effectively never). */
  deadPeerSeconds: number | null;
  connectTimeout: number | null;
}

/** ssh's own effective ServerAlive settings and ConnectTimeout for the host (`ssh -G`). */
export async function sshKeepalive(o: SshOptions, host: string): Promise<Keepalive> {
  const r = await runSsh(sshConfigDumpArgv(o, host), null, 10_000);
  const get = (k: string) => new RegExp(`^${k} (\\S+)$`, 'm').exec(r.stdout)?.[1];
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? +v : null);
  const interval = num(get('serveraliveinterval')) ?? 0;
  const count = num(get('serveralivecountmax')) ?? 3;
  return { deadPeerSeconds: interval > 0 ? interval * (count + 1) : null, connectTimeout: num(get('connecttimeout')) };
}

export interface RemoteAgentOptions {
  host: string;
  ssh: SshOptions;
  bundle: AgentBundle;
  /** initializationOptions.settings for the remote agent (no local paths: its state dir is its own). */
  settings: Record<string, unknown>;
  onJobs(jobs: JobRecord[]): void;
  /** The connection ended (once); reason for people. */
  onClose(reason: string): void;
  /** Deadline for each bootstrap step (ssh's own ConnectTimeout ends a dead connect sooner); default 30 s. */
  stepTimeoutMs?: number;
  /** Our own liveness check for hosts whose ssh_config has no ServerAlive: a ping every heartbeatMs… */
  heartbeatMs?: number;
  /** …that must be answered within this, or the connection is dropped. */
  heartbeatTimeoutMs?: number;
  /** Progress for logs (bootstrap steps). */
  log?(line: string): void;
}

/** Drops stdout up to and including the run marker line (a chatty login script's output). */
class AfterMarker extends Transform {
  private head = Buffer.alloc(0);
  private passed = false;
  constructor(private readonly onMarker: () => void) { super(); }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.passed) { cb(null, chunk); return; }
    this.head = Buffer.concat([this.head, chunk]);
    const m = Buffer.from(`${RUN_MARKER}\n`);
    let i = this.head.indexOf(m);
    while (i > 0 && this.head[i - 1] !== 0x0a) i = this.head.indexOf(m, i + 1);
    if (i < 0) { if (this.head.length > 1 << 16) this.head = this.head.subarray(-m.length); cb(); return; }
    this.passed = true;
    this.onMarker();
    const rest = this.head.subarray(i + m.length);
    this.head = Buffer.alloc(0);
    cb(null, rest);
  }
}

export class RemoteAgent {
  private closed = false;
  private beat: NodeJS.Timeout | null = null;
  private pinging = false;
  private stderrTail = '';

  private constructor(
    readonly host: string,
    readonly version: string,
    private readonly child: ChildProcess,
    private readonly conn: ProtocolConnection,
    private readonly opts: RemoteAgentOptions,
  ) {}

  /** Probe, install when needed, run, initialize. Throws HostFailure. */
  static async connect(o: RemoteAgentOptions): Promise<RemoteAgent> {
    const log = o.log ?? (() => {});
    // ssh -G beside the probe, not before it: it only tunes the heartbeat.
    const keepP = sshKeepalive(o.ssh, o.host).catch(() => null);
    const step = o.stepTimeoutMs ?? 30_000;
    const fail = (r: SshResult, what: string): never => {
      throw new HostFailure('unreachable', r.timedOut ? `${what}: no answer within ${Math.round(step / 1000)} s` : lastSshLine(r.stderr) || `${what}: ssh exited with status ${r.code}`);
    };
    const probe = await runSsh(sshCommandArgv(o.ssh, o.host, probeScript(o.bundle)), null, step);
    const found = probe.code === 0 ? parseProbe(probe.stdout) : null;
    if (!found) fail(probe, 'probe');
    const p = found!;
    const newer = newerAgent(p.have, o.bundle.version);
    if (newer) throw new HostFailure('refused', newerReason(o.host, newer, o.bundle.version));
    if (!p.node) throw new HostFailure('unreachable', NO_NODE_REASON);
    if (p.sum !== o.bundle.sha256) {
      log(`${o.host}: installing the agent (${o.bundle.folder})`);
      const inst = await runSsh(sshCommandArgv(o.ssh, o.host, installScript(o.bundle)), o.bundle.pack(), step);
      if (inst.code !== 0 || !/^LINGER-INSTALLED$/m.test(inst.stdout)) {
        const bad = /^LINGER-BADSUM (.*)$/m.exec(inst.stdout);
        throw new HostFailure('unreachable', bad ? `the agent copy arrived damaged (sha256 ${bad[1]}); try again` : `installing the agent failed: ${lastSshLine(inst.stderr) || `status ${inst.code}`}`);
      }
    }
    return RemoteAgent.start(o, await keepP, step);
  }

  private static start(o: RemoteAgentOptions, keep: Keepalive | null, step: number): Promise<RemoteAgent> {
    const argv = sshCommandArgv(o.ssh, o.host, runScript(o.bundle));
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-4096); });
    return new Promise<RemoteAgent>((resolve, reject) => {
      let settled = false;
      let conn: ProtocolConnection | null = null;
      const early = (why: string, kind: HostFailure['kind'] = 'unreachable') => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        try { conn?.dispose(); } catch { /* already */ }
        reject(new HostFailure(kind, why));
      };
      const timer = setTimeout(() => early(`starting the agent: no answer within ${Math.round(step / 1000)} s`), step);
      child.on('error', (e) => early(`cannot run ssh: ${e.message}`));
      child.on('exit', (code) => early(lastSshLine(stderr) || `the agent exited at start (status ${code})`));
      child.stdin!.on('error', () => { /* the exit handler reports */ });
      const log = o.log ?? (() => {});
      const out = child.stdout!.pipe(new AfterMarker(() => log(`${o.host}: agent started`)));
      const c = createProtocolConnection(new StreamMessageReader(out), new StreamMessageWriter(child.stdin!));
      conn = c;
      c.listen();
      const init = c.sendRequest(InitializeRequest.type, {
        processId: null, rootUri: null, capabilities: {}, initializationOptions: { settings: o.settings },
      }) as Promise<InitializeResult>;
      init.then((res) => {
        if (settled) return;
        const version = res.serverInfo?.version ?? '0.0.0';
        if (compareVersions(version, o.bundle.version) > 0) {
          early(newerReason(o.host, version, o.bundle.version), 'refused');
          return;
        }
        settled = true;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        const agent = new RemoteAgent(o.host, version, child, c, o);
        agent.stderrTail = stderr;
        agent.wire(keep);
        void c.sendNotification(InitializedNotification.type, {});
        resolve(agent);
      }, (e: unknown) => early(lastSshLine(stderr) || `the agent did not initialize: ${e instanceof Error ? e.message : String(e)}`));
    });
  }

  private wire(keep: Keepalive | null): void {
    this.conn.onNotification(JobsChangedNotification, (p) => {
      const jobs = Array.isArray(p?.jobs) ? p.jobs : [];
      this.opts.onJobs(jobs.map((j) => ({ ...j, host: this.host })));
    });
    this.child.stderr!.removeAllListeners('data');
    this.child.stderr!.on('data', (d: string) => { this.stderrTail = (this.stderrTail + d).slice(-4096); });
    this.child.on('exit', (code) => this.drop(lastSshLine(this.stderrTail) || `connection closed (ssh status ${code})`));
    this.conn.onClose(() => this.drop(lastSshLine(this.stderrTail) || 'connection closed'));
    this.conn.onError(() => { /* a broken message: the close that follows says it */ });
    const every = this.opts.heartbeatMs ?? 5000;
    // ssh gives up on a silent server by itself after deadPeerSeconds; the heartbeat covers the
    // hosts whose config has no ServerAlive (ssh would wait for TCP: ~15 minutes).
    const within = this.opts.heartbeatTimeoutMs ?? Math.min(15_000, Math.max(6_000, (keep?.deadPeerSeconds ?? 10) * 1000));
    this.beat = setInterval(() => void this.ping(within), every);
    this.beat.unref();
  }

  private async ping(within: number): Promise<void> {
    if (this.pinging || this.closed) return;
    this.pinging = true;
    const t = setTimeout(() => this.drop(`no answer from ${this.host} for ${Math.round(within / 1000)} s`), within);
    try {
      await this.conn.sendRequest(PingRequest, {});
    } catch { /* an older agent without ping answers MethodNotFound: alive all the same */ }
    finally { clearTimeout(t); this.pinging = false; }
  }

  get alive(): boolean { return !this.closed; }

  async request<R>(method: string, params: unknown): Promise<R> {
    if (this.closed) throw new HostFailure('unreachable', `connection to ${this.host} closed`);
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  /** A notification for that agent (the client's, passed on: the view's progress watch). */
  notify(method: string, params: unknown): void {
    if (this.closed) return;
    void this.conn.sendNotification(method, params).catch(() => { /* closing */ });
  }

  /** New settings for that agent (it reads them as the extension's pushed configuration). */
  updateSettings(settings: Record<string, unknown>): void {
    if (this.closed) return;
    void this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { linger: settings } }).catch(() => { /* closing */ });
  }

  private drop(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.beat) clearInterval(this.beat);
    try { this.conn.dispose(); } catch { /* already */ }
    this.child.kill('SIGKILL');
    this.opts.onClose(reason);
  }

  /** Ends the session: EOF to the agent (it exits), then the ssh client. The master stays (ControlPersist). */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    if (this.beat) clearInterval(this.beat);
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.child.kill('SIGKILL'); }, 2000);
      this.child.once('exit', () => { clearTimeout(t); resolve(); });
      if (this.child.exitCode !== null || this.child.signalCode !== null) { clearTimeout(t); resolve(); return; }
      try { this.conn.dispose(); } catch { /* already */ }
      this.child.stdin!.end();
    });
  }
}

function newerReason(host: string, theirs: string, ours: string): string {
  return `${host} has a newer Linger agent (${theirs}) than this Linger (${ours}): update Linger here; nothing on ${host} was changed`;
}
