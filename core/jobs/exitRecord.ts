// The exit record's reserve: the job's exit status is the one thing never to lose, also when its
// log has filled the disk. The engine makes JOBDIR/exit.res before the start, non-empty so it
// already holds a data block; whoever records the end (the wrapper, or kill for a wrapper that
// died) writes the status over its start in place (no new block) and renames it to `exit` (no new
// block either, and a link planted at `exit` is replaced, not followed).
import { closeSync, constants, fstatSync, ftruncateSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createExclusive, writeAtomic } from './fsafe';

/** A status line fits many times over. The wrapper cannot truncate: readers take the first line. */
const RESERVE = '\n'.repeat(64);

export function reserveExit(dir: string): void {
  createExclusive(join(dir, 'exit.res'), RESERVE);
}

/** Records `line` as the job's exit: through the reserve when it is usable, else temp + rename. */
export function recordExit(dir: string, line: string): void {
  const res = join(dir, 'exit.res');
  let fd: number | null = null;
  try {
    fd = openSync(res, constants.O_WRONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    const b = Buffer.from(`${line}\n`);
    if (st.isFile() && st.nlink === 1 && st.size >= b.length && writeSync(fd, b, 0, b.length, 0) === b.length) {
      try { ftruncateSync(fd, b.length); } catch { /* padding stays: readers take the first line */ }
      closeSync(fd); fd = null;
      renameSync(res, join(dir, 'exit'));
      return;
    }
  } catch { /* no usable reserve */ } finally { if (fd !== null) closeSync(fd); }
  writeAtomic(join(dir, 'exit'), `${line}\n`);
}
