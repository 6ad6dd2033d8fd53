// Progress of running jobs at the cost of what their logs grew by: per job, the offset read so
// far and the last progress found. Each look stats the log and reads only the bytes added since
// the last look, and of those never more than the parser's tail (a job printing 8 MB/s costs one
// stat and one 8 KB read per look, not 8 MB). Output without progress keeps the last progress
// found (a training loop's validation lines do not erase its bar). A rotation (the pump moved
// `log` to `log.1`) or a new file starts over from the new log's tail.
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseProgress, PROGRESS_TAIL_BYTES, type CompiledPattern } from './progress';
import type { JobProgress, JobRecord } from './types';

/** The part of the last update that may still grow (after its last \r or \n), kept for the next look. */
const CARRY_BYTES = 1024;

interface Tracked { ino: number; offset: number; carry: Buffer; last: JobProgress | null }

/** Reads `length` bytes at `pos` of an open file (short at its end). */
function readAt(fd: number, pos: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  let n = 0;
  while (n < length) {
    const k = readSync(fd, b, n, length - n, pos + n);
    if (k === 0) break;
    n += k;
  }
  return b.subarray(0, n);
}

function openLog(path: string): number | null {
  try { return openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK); } catch { return null; }
}

/**
 * The last `max` bytes of log.1 + log (the log's whole kept tail as one stream), for a one-off
 * look (`linger ls`). Links are not followed.
 */
export function readLogTail(dir: string, max = PROGRESS_TAIL_BYTES): Buffer {
  const parts: Buffer[] = [];
  let want = max;
  for (const name of ['log', 'log.1']) {
    if (want <= 0) break;
    const fd = openLog(join(dir, name));
    if (fd === null) continue;
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) continue;
      const n = Math.min(want, st.size);
      parts.unshift(readAt(fd, st.size - n, n));
      want -= n;
    } finally { closeSync(fd); }
  }
  return Buffer.concat(parts);
}

/** The progress the end of a job's log shows now (one look, no state). */
export function progressOfDir(dir: string, patterns: readonly CompiledPattern[] = []): JobProgress | null {
  return parseProgress(readLogTail(dir), patterns);
}

function sameProgress(a: JobProgress | null, b: JobProgress | null): boolean {
  return a === b || (!!a && !!b && a.fraction === b.fraction && a.eta === b.eta && a.text === b.text && a.source === b.source);
}

export class ProgressTracker {
  private readonly jobs = new Map<string, Tracked>();
  /** Bytes read from logs so far (the bench reports it). */
  bytesRead = 0;

  constructor(private readonly dirOf: (id: string) => string, private patterns: readonly CompiledPattern[] = []) {}

  setPatterns(p: readonly CompiledPattern[]): void {
    this.patterns = p;
    // Earlier results were read with other patterns: read each tail once more.
    this.jobs.clear();
  }

  /**
   * Looks at the logs of the running jobs among `jobs` (only what they grew by); forgets the
   * others. True when any job's progress changed.
   */
  update(jobs: readonly JobRecord[]): boolean {
    let changed = false;
    const live = new Set<string>();
    for (const j of jobs) {
      if (j.state !== 'running') continue;
      live.add(j.id);
      const before = this.jobs.get(j.id)?.last ?? null;
      const after = this.look(j.id);
      if (!sameProgress(before, after)) changed = true;
    }
    for (const id of [...this.jobs.keys()]) if (!live.has(id)) { this.jobs.delete(id); changed = true; }
    return changed;
  }

  /** The last progress found for a job, or null. */
  get(id: string): JobProgress | null { return this.jobs.get(id)?.last ?? null; }

  /** Copies of the records with `progress` set where some was found (running jobs only). */
  attach(jobs: readonly JobRecord[]): JobRecord[] {
    return jobs.map((j) => {
      const p = j.state === 'running' ? this.get(j.id) : null;
      if (p) return { ...j, progress: p };
      if (j.progress) { const { progress: _dropped, ...rest } = j; return rest; }
      return j;
    });
  }

  forgetAll(): void { this.jobs.clear(); }

  private look(id: string): JobProgress | null {
    const dir = this.dirOf(id);
    const fd = openLog(join(dir, 'log'));
    let t = this.jobs.get(id);
    if (fd === null) return t?.last ?? null;
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return t?.last ?? null;
      let chunk: Buffer;
      if (!t || t.ino !== st.ino || st.size < t.offset) {
        // First look, or the log rotated: its tail (log.1's too when the new log is short).
        chunk = t ? readAt(fd, Math.max(0, st.size - PROGRESS_TAIL_BYTES), Math.min(st.size, PROGRESS_TAIL_BYTES)) : readLogTail(dir);
        t = { ino: st.ino, offset: st.size, carry: Buffer.alloc(0), last: t?.last ?? null };
        this.jobs.set(id, t);
      } else {
        if (st.size === t.offset) return t.last;
        const start = Math.max(t.offset, st.size - PROGRESS_TAIL_BYTES);
        const fresh = readAt(fd, start, st.size - start);
        // Bytes skipped in between: the carried partial update is no longer the one that goes on.
        chunk = start > t.offset ? fresh : Buffer.concat([t.carry, fresh]);
        t.offset = start + fresh.length;
      }
      this.bytesRead += chunk.length;
      const found = parseProgress(chunk, this.patterns);
      if (found) t.last = found;
      let cut = -1;
      for (let i = chunk.length - 1; i >= 0; i--) if (chunk[i] === 0x0a || chunk[i] === 0x0d) { cut = i; break; }
      const rest = chunk.subarray(cut + 1);
      t.carry = Buffer.from(rest.length > CARRY_BYTES ? rest.subarray(rest.length - CARRY_BYTES) : rest);
      return t.last;
    } catch {
      return t?.last ?? null;
    } finally {
      closeSync(fd);
    }
  }
}
