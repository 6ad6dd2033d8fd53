// The queue's files in the state dir (see core/jobs/README.md, "Queue"):
//   HOME/queue.lock          flock(2)ed by every advance step; the only mutual exclusion
//   HOME/queue/pending/<id>  empty marker per queued job: lets a job's wrapper see with one glob,
//                            no process, whether there is anything to advance at all
//   HOME/queue/groups.json   { name: { parallel, paused } }, written under the lock
//   HOME/queue/hook          the node binary and CLI bundle the wrappers run the advance step with
import { closeSync, constants, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mkdirp, writeAtomic } from './store';
import { UserError } from './errors';
import type { GroupSettings } from './queue';
import { which } from './backends';

export const queueDir = (home: string): string => join(home, 'queue');
const pendingDir = (home: string): string => join(home, 'queue', 'pending');

/** Whether any job waits in the queue (a readdir; no lock: the advance step re-reads under it). */
export function hasPending(home: string): boolean {
  try { return readdirSync(pendingDir(home)).length > 0; } catch { return false; }
}

export function pendingIds(home: string): string[] {
  try { return readdirSync(pendingDir(home)).filter((n) => /^[0-9a-z]{10}$/.test(n)); } catch { return []; }
}

/** An empty file (nothing to tear): an O_EXCL create, no temp and rename. */
export function addPending(home: string, id: string): void {
  const p = join(pendingDir(home), id);
  let fd: number;
  try { fd = openSync(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw e;
    mkdirp(pendingDir(home));
    fd = openSync(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  }
  closeSync(fd);
}

export function removePending(home: string, id: string): void {
  rmSync(join(pendingDir(home), id), { force: true });
}

export function readGroups(home: string): Record<string, GroupSettings> {
  try {
    const o = JSON.parse(readFileSync(join(queueDir(home), 'groups.json'), 'utf8')) as Record<string, Partial<GroupSettings>>;
    const out: Record<string, GroupSettings> = {};
    for (const [k, v] of Object.entries(o ?? {})) {
      if (!v || typeof v !== 'object') continue;
      out[k] = { parallel: typeof v.parallel === 'number' && v.parallel >= 1 ? Math.floor(v.parallel) : null, paused: v.paused === true };
    }
    return out;
  } catch { return {}; }
}

export function writeGroups(home: string, g: Record<string, GroupSettings>): void {
  mkdirp(queueDir(home));
  writeAtomic(join(queueDir(home), 'groups.json'), JSON.stringify(g) + '\n');
}

/**
 * Records how a job's wrapper starts the advance step: this node and this CLI bundle (newest
 * submitter wins: an updated extension's bundle). The wrapper checks the file is ours and both
 * paths still exist before it runs them; both live in places only the user can write.
 */
export function writeHook(home: string, node: string, bundle: string | null): void {
  if (!bundle) return;
  const p = join(queueDir(home), 'hook');
  const body = `${node}\n${bundle}\n`;
  try { if (readFileSync(p, 'utf8') === body) return; } catch { /* none yet */ }
  mkdirp(queueDir(home));
  writeAtomic(p, body);
}

/**
 * Runs fn holding an exclusive flock(2) on HOME/queue.lock. Node has no flock of its own: the
 * lock file is opened here and handed to `flock -x 3` as its fd 3; flock locks the open file
 * description, which this process shares, and exits; the lock then lasts until this process
 * closes its descriptor (or dies: the kernel releases it, so a crashed advance never leaves the
 * queue locked). Node opens with O_CLOEXEC, so no backend started under the lock inherits it.
 */
export async function withQueueLock<T>(home: string, fn: () => Promise<T> | T): Promise<T> {
  const bin = which('flock');
  if (!bin) throw new UserError('the queue needs flock(1) (util-linux) on this host', 'noBackend');
  mkdirp(home);
  const fd = openSync(join(home, 'queue.lock'), constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    await new Promise<void>((resolve, reject) => {
      const c = spawn(bin, ['-x', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd] });
      let err = '';
      c.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
      c.on('error', reject);
      c.on('exit', (code) => (code === 0 ? resolve() : reject(new UserError(`cannot lock the queue: ${err.trim() || `flock exited ${code}`}`, 'stateDir'))));
    });
    return await fn();
  } finally { closeSync(fd); }
}
