// Several real ssh hosts on this machine for the multi-host tests (issue 16): h1..hN, each a
// private sshd in a network namespace of its own, with its own user (lfI, own home, so its own
// Linger state) and a generated ssh_config with a real known_hosts (StrictHostKeyChecking yes).
// The script beside this file is the verified recipe from shared/notes/fleet-rig.md:
//   h3 has no Node at all; h4 has Node only where VS Code's server leaves it.
// The rig's names are fixed (lf-hI, lfI, 198.18.I.0/24), so one rig per machine: fleetUp()
// takes a machine-wide lease that waits for any other test process holding it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, isRoot, releaseLock } from './users';

const SCRIPT = join(__dirname, 'fleet-rig.sh');

export interface FleetHost {
  /** ssh_config Host alias: h1, h2, … */
  name: string;
  /** The remote user (lfI) and its home on that host. */
  user: string;
  uid: number;
  home: string;
}

export interface Fleet {
  /** The rig directory (short: ControlPath DIR/cm/%C must fit sun_path). */
  dir: string;
  /** The generated client config: give it to ssh with -F (or to Linger as the ssh config file). */
  sshConfig: string;
  /** A directory whose ssh/scp/sftp wrappers add `-F sshConfig`: put it first on PATH to make it "the user's ssh". */
  binDir: string;
  hosts: FleetHost[];
  /** VS Code server's node path on h4 (absent when N < 4). */
  vscodeNode: string | null;
  /** Take a host off the network: `drop` = silent black hole, `link` = its interface down. */
  cut(host: string, kind?: 'drop' | 'link'): void;
  heal(host: string): void;
  /** Kills everything of the rig and removes its namespaces, users and directory. Idempotent. */
  down(): Promise<void>;
}

/** Why the fleet rig cannot run here (the reason a test skips with), or null. */
export function fleetSkipReason(): string | null {
  if (!isRoot()) return 'needs root: network namespaces, users, overlay mounts';
  for (const bin of ['/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/sbin/ip', '/usr/sbin/iptables']) {
    if (!existsSync(bin) && !existsSync(bin.replace('/usr/sbin/', '/sbin/'))) return `${bin} not installed`;
  }
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.status !== 0) return `ip netns unavailable here: ${probe.stderr.trim()}`;
  return null;
}

function script(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`fleet-rig.sh ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return r.stdout.trim();
}

const LOCK = 'fleet-rig';
const live = new Set<string>();

/**
 * Brings up hosts h1..hN (N ≤ 9). `serverAlive` = [interval, count] written into the config
 * (default 2 3: a dead master is noticed in ~8 s); null writes none (ssh's own defaults).
 */
export async function fleetUp(n: number, opts: { serverAlive?: [number, number] | null; connectTimeout?: number | null } = {}): Promise<Fleet> {
  await acquireLock(LOCK);
  // Short on purpose: DIR/cm/%C plus ssh's temp suffix must fit 108 bytes.
  const dir = mkdtempSync('/tmp/lf-');
  rmSync(dir, { recursive: true, force: true });
  live.add(dir);
  const env: Record<string, string> = {};
  if (opts.serverAlive !== undefined) env.LF_SERVER_ALIVE = opts.serverAlive ? opts.serverAlive.join(' ') : '';
  if (opts.connectTimeout !== undefined) env.LF_CONNECT_TIMEOUT = opts.connectTimeout === null ? '' : String(opts.connectTimeout);
  try {
    // A crashed earlier run may have left the fixed names behind: its rig dir is gone, so sweep by name.
    sweepLeftovers();
    script(['up', dir, String(n)], env);
  } catch (e) {
    try { script(['down', dir]); } catch { /* best effort */ }
    live.delete(dir);
    releaseLock(LOCK);
    throw e;
  }
  const rigEnv = readFileSync(join(dir, 'rig.env'), 'utf8');
  const val = (k: string) => (new RegExp(`^${k}=(.*)$`, 'm').exec(rigEnv) ?? [])[1] ?? '';
  const hosts: FleetHost[] = [];
  for (let i = 1; i <= n; i++) hosts.push({ name: `h${i}`, user: `lf${i}`, uid: +val(`UID_${i}`), home: `/home/lf${i}` });
  let downed = false;
  return {
    dir,
    sshConfig: join(dir, 'ssh_config'),
    binDir: join(dir, 'bin'),
    hosts,
    vscodeNode: val('VSCODE_NODE') || null,
    cut: (host, kind = 'drop') => { script(['cut', dir, host, kind]); },
    heal: (host) => { script(['heal', dir, host]); },
    down: async () => {
      if (downed) return;
      downed = true;
      try { script(['down', dir]); } finally { live.delete(dir); releaseLock(LOCK); }
    },
  };
}

/** Removes a previous crashed run's namespaces and users (names are fixed; the lease says no one else uses them). */
function sweepLeftovers(): void {
  const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (let i = 1; i <= 9; i++) {
    if (!new RegExp(`\\blf-h${i}\\b`).test(ns)) continue;
    spawnSync('sh', ['-c', `ip netns pids lf-h${i} | xargs -r kill -9; ip netns del lf-h${i}; ip link del lf-h${i}`]);
    spawnSync('sh', ['-c', `pkill -9 -u lf${i}; userdel -r lf${i}`]);
  }
}

// Last resort when the test process exits without its after() hooks.
process.on('exit', () => {
  for (const dir of live) {
    spawnSync('bash', [SCRIPT, 'down', dir]);
    releaseLock(LOCK);
  }
});
