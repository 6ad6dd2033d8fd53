// Where Linger keeps its state, and where the job wrapper script lives on disk.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic } from './fsafe';

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LINGER_HOME) return env.LINGER_HOME;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'linger');
  return join(env.HOME || homedir(), '.local', 'state', 'linger');
}

/** Candidate locations of a file shipped next to the bundle (dist/) or in the source tree. */
function shipped(names: string[]): string | null {
  const dirs = [__dirname, join(__dirname, '..', '..', 'dist'), join(__dirname, '..', 'dist')];
  for (const dir of dirs) for (const n of names) { const p = join(dir, n); if (existsSync(p)) return p; }
  return null;
}

/**
 * The wrapper is copied into the state dir under a content-hashed name: running jobs keep reading
 * it (sh reads scripts lazily), so it must not change or vanish when the extension is updated.
 */
export function installWrapper(home: string): string {
  const src = shipped(['linger-wrap.sh', 'wrapper.sh', join('..', 'core', 'jobs', 'wrapper.sh')]);
  if (!src) throw new Error('linger: job wrapper script not found next to the program');
  const body = readFileSync(src);
  const hash = createHash('sha1').update(body).digest('hex').slice(0, 12);
  const dir = join(home, 'lib');
  const dest = join(dir, `wrap-${hash}.sh`);
  if (!existsSync(dest)) {
    try { mkdirSync(dir, { mode: 0o700 }); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; }
    // A fresh temp name renamed over (never through a link), removed if the write fails.
    writeAtomic(dest, body);
  }
  return dest;
}

/** The CLI bundle (used as the attach program for setsid jobs). */
export function cliPath(): string | null {
  return shipped(['linger.js']);
}
