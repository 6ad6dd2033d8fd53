// Reading a job's capped log (log.1 + log, see README "Logs"): the terminal stream as the log
// holds it (raw), or the program's bytes (the terminal's "\r\n" undone, logDecode.ts).
import { closeSync, constants as fsConstants, existsSync, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTerminal } from './logDecode';
import type { JobRecord } from './types';

export interface LogChunk {
  /** Raw: the log's bytes; else the program's bytes (the terminal's "\r\n" undone, see logDecode.ts). */
  data: Buffer;
  /** Offset in the log's bytes for the next read (the log size, less a "\r" held back). */
  size: number;
}

export interface LogRead { tailLines?: number; fromByte?: number; raw?: boolean }

/** How long after a job's end a log whose pump never finished (killed) is taken as final. */
const UNDRAINED_FINAL_MS = 5000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The job's log files, oldest first (log.1 holds the older half after rotation). */
export function logFilesOf(dir: string): string[] { return [join(dir, 'log.1'), join(dir, 'log')]; }

/**
 * Whether the pump has written log.done: a regular file (it writes through temp + rename), not
 * whatever a link planted in the job dir under that name points to.
 */
export function logDrained(dir: string): boolean {
  try { return lstatSync(join(dir, 'log.done')).isFile(); } catch { return false; }
}

/** After the job ended, its log pump drains the last output: wait for its log.done, at most maxMs. */
export async function logSettled(dir: string, maxMs: number): Promise<void> {
  const t0 = Date.now();
  while (!logDrained(dir) && Date.now() - t0 < maxMs) await sleep(10);
}

/** False when the job's output did not go through a terminal (no `script`): the log is the program's bytes as is. */
export function logIsTerminal(dir: string): boolean { return !existsSync(join(dir, 'log.plain')); }

/**
 * Bytes of log.1 + log: the program's (default) or, raw, the terminal stream as the log holds
 * it. tailLines: only the last N lines. fromByte: from that offset of the log's bytes (when the
 * returned size is smaller than a previous one, the log rotated). While the job runs, a "\r" at
 * the end is held back in the program's bytes (size stops before it) until the next byte says
 * whether it was the terminal's.
 */
export function readJobLog(dir: string, r: Pick<JobRecord, 'state' | 'endedAt'>, opts: LogRead, now = Date.now()): LogChunk {
  const chunk = readLogFiles(logFilesOf(dir), opts);
  if (opts.raw || !logIsTerminal(dir)) return chunk;
  // Final once the pump drained the log (log.done), or well after the end if it never could (killed).
  const ended = r.state !== 'running' ? Date.parse(r.endedAt ?? '') : NaN;
  const final = !Number.isNaN(ended) && (logDrained(dir) || now - ended > UNDRAINED_FINAL_MS);
  const { data, used } = decodeTerminal(chunk.data, final);
  return { data, size: chunk.size - (chunk.data.length - used) };
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
    if (want === 0) return { data: Buffer.alloc(0), size: total };
    let start = total;
    let buf = Buffer.alloc(0);
    while (start > 0) {
      const s = Math.max(0, start - 65536);
      buf = Buffer.concat([range(s, start), buf]);
      start = s;
      let nl = 0;
      // A trailing newline ends the last line; it does not start another.
      for (let i = buf.length - 2; i >= 0; i--) if (buf[i] === 10 && ++nl >= want) { return { data: buf.subarray(i + 1), size: total }; }
    }
    return { data: buf, size: total };
  }
  const from = Math.min(Math.max(0, opts.fromByte ?? 0), total);
  return { data: range(from, total), size: total };
}
