// Real Unix test users (lingeru, lingerv, …) for the survival and privacy tests. Each test file
// leases a user with a lock, so two files running at once never pkill each other's processes.
// Users are created once and kept (useradd is slow and racy); their processes and Linger state are
// wiped when a lease starts and when it ends.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STARTUP_FILES } from './hermetic-home.cjs';
import { alive, delay, procsOfUid } from './proc';

export interface TestUser { name: string; uid: number; gid: number; home: string }

const LOCK_ROOT = '/run/linger-test-locks';

function sh(argv: string[]): { code: number; out: string } {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  return { code: r.status ?? 128, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export function isRoot(): boolean { return process.getuid?.() === 0; }

function lookup(name: string): TestUser | null {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const f = line.split(':');
  return { name, uid: +f[2], gid: +f[3], home: f[5] };
}

/** Creates the user if missing; unlocks it for key login with UsePAM no ('*' = no password, not locked). */
export function ensureUser(name: string): TestUser {
  if (!lookup(name)) {
    const r = sh(['useradd', '-m', '-s', '/bin/bash', name]);
    // Another process may have created it between our look and useradd (exit 9 = exists).
    if (r.code !== 0 && r.code !== 9) throw new Error(`useradd ${name} failed (${r.code}): ${r.out}`);
  }
  const r = sh(['usermod', '-p', '*', name]);
  if (r.code !== 0) throw new Error(`usermod -p '*' ${name} failed: ${r.out}`);
  const u = lookup(name);
  if (!u) throw new Error(`user ${name} missing after useradd`);
  if (!existsSync(u.home)) { mkdirSync(u.home, { mode: 0o750 }); chownSync(u.home, u.uid, u.gid); }
  emptyStartupFiles(u);
  return u;
}

/**
 * useradd -m copied the machine's /etc/skel: the user's login shell (sshd sessions, `$SHELL -lc`
 * jobs) would run whatever this machine puts there. The tests control it: every startup file empty.
 */
function emptyStartupFiles(u: TestUser): void {
  for (const f of STARTUP_FILES) {
    const p = join(u.home, f);
    writeFileSync(`${p}.tmp`, '', { mode: 0o600 });
    chownSync(`${p}.tmp`, u.uid, u.gid);
    renameSync(`${p}.tmp`, p);
  }
}

/** Installs exactly these public keys as the user's authorized_keys (StrictModes-proof modes). */
export function authorize(u: TestUser, pubKeys: string[]): void {
  const dir = join(u.home, '.ssh');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chownSync(dir, u.uid, u.gid);
  const file = join(dir, 'authorized_keys');
  writeFileSync(file, pubKeys.map((k) => k.trim()).join('\n') + '\n', { mode: 0o600 });
  chownSync(file, u.uid, u.gid);
}

/** SIGKILLs every process of the user until none is left (tmux/screen servers, jobs, sessions). */
export async function killUserProcesses(u: TestUser, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (procsOfUid(u.uid).length) {
    sh(['pkill', '-KILL', '-u', String(u.uid)]);
    if (Date.now() > end) throw new Error(`processes of ${u.name} survive pkill: ${procsOfUid(u.uid).map((p) => `${p.pid} ${p.args.join(' ')}`).join('; ')}`);
    await delay(100);
  }
}

function killUserProcessesSync(u: TestUser): void {
  for (let i = 0; i < 50 && procsOfUid(u.uid).length; i++) {
    sh(['pkill', '-KILL', '-u', String(u.uid)]);
    spawnSync('sleep', ['0.1']);
  }
}

/** Removes what Linger and the backends leave in the user's home and /tmp (a clean start per lease). */
export function wipeUserState(u: TestUser): void {
  for (const p of [join(u.home, '.local', 'state', 'linger'), join(u.home, '.linger'), `/tmp/tmux-${u.uid}`, `/run/screen/S-${u.name}`]) {
    rmSync(p, { recursive: true, force: true });
  }
}

// ---- leases ----------------------------------------------------------------------------------

const held = new Map<string, { user: TestUser; count: number }>();

async function lock(name: string, timeoutMs: number): Promise<void> {
  mkdirSync(LOCK_ROOT, { recursive: true, mode: 0o700 });
  const dir = join(LOCK_ROOT, name);
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = 0;
      try { owner = +readFileSync(join(dir, 'pid'), 'utf8'); } catch { /* being written or removed */ }
      // A dead owner (crashed test run) leaves a stale lock; a lock without pid file for >5 s too.
      if (owner && !alive(owner)) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > end) throw new Error(`test user ${name} is leased by pid ${owner || '?'} for too long`);
      else await delay(200);
    }
  }
}

/**
 * Leases a test user for this process (re-entrant): creates it if needed, kills its leftover
 * processes and wipes its Linger state. Pair every lease with release().
 */
export async function leaseUser(name: string, timeoutMs = 180_000): Promise<TestUser> {
  const h = held.get(name);
  if (h) { h.count++; return h.user; }
  await lock(name, timeoutMs);
  const user = ensureUser(name);
  await killUserProcesses(user);
  wipeUserState(user);
  held.set(name, { user, count: 1 });
  return user;
}

/**
 * A machine-wide lease on a named resource (the fleet rig's fixed netns and user names), across
 * test processes: the same lock the user leases use. Pair with releaseLock().
 */
export async function acquireLock(name: string, timeoutMs = 600_000): Promise<void> { await lock(`res-${name}`, timeoutMs); }
export function releaseLock(name: string): void { rmSync(join(LOCK_ROOT, `res-${name}`), { recursive: true, force: true }); }

export async function releaseUser(name: string): Promise<void> {
  const h = held.get(name);
  if (!h) return;
  if (--h.count > 0) return;
  held.delete(name);
  try {
    await killUserProcesses(h.user);
    wipeUserState(h.user);
  } finally {
    rmSync(join(LOCK_ROOT, name), { recursive: true, force: true });
  }
}

// Last resort when the test process exits without its after() hooks (crash, uncaught error).
process.on('exit', () => {
  for (const [name, h] of held) {
    killUserProcessesSync(h.user);
    rmSync(join(LOCK_ROOT, name), { recursive: true, force: true });
  }
});
