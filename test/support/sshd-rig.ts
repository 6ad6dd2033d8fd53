// A private sshd on 127.0.0.1 for tests (recipe: shared/notes/sshd-rig.md), optionally inside a
// network namespace the test creates, so the network can be dropped with iptables without
// touching the host. Everything it starts is stopped by stop(), and by an exit hook as a last resort.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive, delay, until } from './proc';
import { authorize, isRoot, type TestUser } from './users';

export const SSHD = '/usr/sbin/sshd';
const SSH = '/usr/bin/ssh';

function run(argv: string[]): { code: number; out: string } {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  return { code: r.status ?? 128, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

function must(argv: string[]): string {
  const r = run(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}): ${r.out}`);
  return r.out;
}

/** Why a rig cannot run here (the reason a test skips with), or null. */
export function rigSkipReason(opts: { netns?: boolean } = {}): string | null {
  if (!isRoot()) return 'needs root: creates Unix users, runs a private sshd and runuser';
  for (const bin of [SSHD, SSH, '/usr/bin/ssh-keygen']) if (!existsSync(bin)) return `${bin} not installed (openssh-server/openssh-client)`;
  if (opts.netns) {
    const ns = `linger-probe-${randomBytes(3).toString('hex')}`;
    const add = run(['ip', 'netns', 'add', ns]);
    if (add.code !== 0) return `ip netns unavailable here: ${add.out || `exit ${add.code}`}`;
    const ipt = run(['ip', 'netns', 'exec', ns, 'iptables', '-L', 'INPUT', '-n']);
    run(['ip', 'netns', 'del', ns]);
    if (ipt.code !== 0) return `iptables unusable inside a network namespace: ${ipt.out}`;
  }
  return null;
}

// ---- client key (one per test process) ------------------------------------------------------

let keyDir: string | null = null;
function clientKey(): { priv: string; pub: string } {
  if (!keyDir) {
    keyDir = mkdtempSync(join(tmpdir(), 'linger-sshkey-'));
    must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'linger-test', '-f', join(keyDir, 'userkey')]);
  }
  return { priv: join(keyDir, 'userkey'), pub: readFileSync(join(keyDir, 'userkey.pub'), 'utf8') };
}

// ---- rig -------------------------------------------------------------------------------------

export interface RigOptions {
  user: TestUser;
  /** 127.0.0.1 port; inside a namespace the port space is private but stays in our range anyway. */
  port: number;
  /** Run sshd (and every client) inside a fresh network namespace `linger-<random>`. */
  netns?: boolean;
  clientAliveInterval?: number;
  clientAliveCountMax?: number;
}

export interface SshSession {
  child: ChildProcess;
  pid: number;
  /** stdout+stderr so far (a tty session mixes them anyway). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<SshdRig>();

export class SshdRig {
  readonly dir: string;
  readonly ns: string | null;
  private sshd: ChildProcess | null = null;
  private sshdLog = '';
  private clients = new Set<ChildProcess>();
  private stopped = false;

  private constructor(readonly opts: RigOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'linger-sshd-'));
    this.ns = opts.netns ? `linger-${randomBytes(4).toString('hex')}` : null;
  }

  get port(): number { return this.opts.port; }
  get user(): TestUser { return this.opts.user; }
  log(): string { return this.sshdLog; }

  static async start(opts: RigOptions): Promise<SshdRig> {
    const rig = new SshdRig(opts);
    live.add(rig);
    try { await rig.boot(); } catch (e) { await rig.stop(); throw e; }
    return rig;
  }

  /** argv prefix that runs a program in the rig's network (the namespace, or the host). */
  inNet(argv: string[]): string[] { return this.ns ? ['ip', 'netns', 'exec', this.ns, ...argv] : argv; }

  private async boot(): Promise<void> {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    if (this.ns) {
      must(['ip', 'netns', 'add', this.ns]);
      must(['ip', '-n', this.ns, 'link', 'set', 'lo', 'up']);
    }
    const hostKey = join(this.dir, 'hostkey');
    must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    authorize(this.user, [clientKey().pub]);
    const conf = join(this.dir, 'sshd_config');
    const lines = [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      'PidFile none',
      'AuthorizedKeysFile .ssh/authorized_keys',
      'UsePAM no',
      'StrictModes yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      'PrintMotd no',
      'PrintLastLog no',
      'LogLevel VERBOSE',
      // sshd's default MaxStartups (10:30:100) can refuse parallel connects from one test.
      'MaxStartups 100',
      'MaxSessions 100',
    ];
    if (this.opts.clientAliveInterval != null) lines.push(`ClientAliveInterval ${this.opts.clientAliveInterval}`);
    if (this.opts.clientAliveCountMax != null) lines.push(`ClientAliveCountMax ${this.opts.clientAliveCountMax}`);
    writeFileSync(conf, lines.join('\n') + '\n', { mode: 0o600 });

    // Absolute path: sshd refuses to re-exec otherwise. `ip netns exec` execs, so the child is sshd.
    const argv = this.inNet([SSHD, '-f', conf, '-D', '-e']);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.sshd = child;
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { this.sshdLog += d; });
    let exited: string | null = null;
    child.on('exit', (code, sig) => { exited = `sshd exited ${code ?? sig}`; });
    await until(`sshd listening on ${this.port}`, () => {
      if (exited) throw new Error(`${exited} before listening:\n${this.sshdLog}`);
      return /Server listening on 127\.0\.0\.1 port \d+/.test(this.sshdLog);
    }, 10_000, 50);
  }

  /** ssh argv (inside the namespace when there is one). */
  sshArgv(cmd: string, opts: { tty?: boolean } = {}): string[] {
    return this.inNet([SSH, '-F', '/dev/null', '-i', clientKey().priv, '-o', 'IdentitiesOnly=yes',
      '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
      '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10', opts.tty ? '-tt' : '-T',
      '-p', String(this.port), `${this.user.name}@127.0.0.1`, cmd]);
  }

  /**
   * Starts `ssh [-tt] user@127.0.0.1 CMD`. The client's stdin stays open (a pipe we never end),
   * like a user's terminal: the session lasts until CMD ends or the connection is cut.
   */
  ssh(cmd: string, opts: { tty?: boolean } = {}): SshSession {
    const argv = this.sshArgv(cmd, opts);
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.clients.add(child);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { out += d; });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
      child.on('close', (code, signal) => { this.clients.delete(child); res({ code, signal }); });
    });
    if (!child.pid) throw new Error(`could not start ${argv.join(' ')}`);
    return { child, pid: child.pid, output: () => out, exited };
  }

  /** Runs CMD over ssh to completion. */
  async sshRun(cmd: string, opts: { tty?: boolean; timeoutMs?: number } = {}): Promise<{ code: number | null; output: string }> {
    const s = this.ssh(cmd, opts);
    s.child.stdin!.end();
    const t = setTimeout(() => s.child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    const r = await s.exited;
    clearTimeout(t);
    return { code: r.code, output: s.output() };
  }

  /** Silently drops every packet to and from the sshd port, inside the namespace only. */
  dropNetwork(): void {
    if (!this.ns) throw new Error('dropNetwork needs a rig started with netns: true');
    must(['ip', 'netns', 'exec', this.ns, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', String(this.port), '-j', 'DROP']);
    must(['ip', 'netns', 'exec', this.ns, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--sport', String(this.port), '-j', 'DROP']);
  }

  restoreNetwork(): void {
    if (this.ns) run(['ip', 'netns', 'exec', this.ns, 'iptables', '-F', 'INPUT']);
  }

  /** Kills clients and sshd (by pid), deletes the namespace. Idempotent; never throws. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.clients) c.kill('SIGKILL');
    const sshd = this.sshd;
    if (sshd?.pid && sshd.exitCode === null && sshd.signalCode === null) {
      sshd.kill('SIGTERM');
      await until('sshd to exit', () => !alive(sshd.pid), 3_000).catch(() => sshd.kill('SIGKILL'));
    }
    this.cleanupSync();
  }

  /** The synchronous part of stop(), also used by the exit hook. */
  cleanupSync(): void {
    for (const c of this.clients) c.kill('SIGKILL');
    if (this.sshd?.pid && alive(this.sshd.pid)) this.sshd.kill('SIGKILL');
    if (this.ns) {
      this.restoreNetwork();
      run(['ip', 'netns', 'del', this.ns]);
    }
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

/** Waits until sshd's log says the session of the killed/dropped client is over. */
export async function waitForLog(rig: SshdRig, re: RegExp, timeoutMs = 15_000): Promise<void> {
  await until(`sshd log ${re}`, () => re.test(rig.log()), timeoutMs, 100);
}

process.on('exit', () => {
  for (const rig of [...live]) rig.cleanupSync();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

export { delay };
