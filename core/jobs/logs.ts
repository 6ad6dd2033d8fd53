// Reading a job's capped log (log.1 + log, see README "Logs").
import { closeSync, constants as fsConstants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LogChunk { text: string; /** Log size in bytes after this read (offset for the next read). */ size: number }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The job's log files, oldest first (log.1 holds the older half after rotation). */
export function logFilesOf(dir: string): string[] { return [join(dir, 'log.1'), join(dir, 'log')]; }

/** After the job ended, its log pump drains the last output: wait for its log.done, at most maxMs. */
export async function logSettled(dir: string, maxMs: number): Promise<void> {
  const done = join(dir, 'log.done');
  const t0 = Date.now();
  while (!existsSync(done) && Date.now() - t0 < maxMs) await sleep(10);
}

/** Reads a byte range over several files as if concatenated (missing files are empty). */
export function readLogFiles(files: string[], opts: { tailLines?: number; fromByte?: number }): LogChunk {
  const sizes = files.map((f) => { try { return statSync(f).size; } catch { return 0; } });
  const total = sizes.reduce((a, b) => a + b, 0);
  const range = (start: number, end: number): Buffer => {
    const parts: Buffer[] = [];
    let base = 0;
    files.forEach((f, i) => {
      const s = Math.max(start, base), e = Math.min(end, base + sizes[i]);
      if (e > s) {
        let fd: number | null = null;
        try {
          fd = openSync(f, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
          const len = Math.min(e - s, fstatSync(fd).size - (s - base));
          if (len > 0) { const b = Buffer.alloc(len); const n = readSync(fd, b, 0, len, s - base); parts.push(b.subarray(0, n)); }
        } catch { /* rotated under us */ } finally { if (fd !== null) closeSync(fd); }
      }
      base += sizes[i];
    });
    return Buffer.concat(parts);
  };
  if (opts.tailLines !== undefined) {
    const want = Math.max(0, opts.tailLines);
    if (want === 0) return { text: '', size: total };
    let start = total;
    let buf = Buffer.alloc(0);
    while (start > 0) {
      const s = Math.max(0, start - 65536);
      buf = Buffer.concat([range(s, start), buf]);
      start = s;
      let nl = 0;
      // A trailing newline ends the last line; it does not start another.
      for (let i = buf.length - 2; i >= 0; i--) if (buf[i] === 10 && ++nl >= want) { return { text: buf.subarray(i + 1).toString('utf8'), size: total }; }
    }
    return { text: buf.toString('utf8'), size: total };
  }
  const from = Math.min(Math.max(0, opts.fromByte ?? 0), total);
  return { text: range(from, total).toString('utf8'), size: total };
}
