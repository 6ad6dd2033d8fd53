// `linger logs`: the program's bytes (the terminal's "\r\n" undone as they stream by), or with
// --raw the terminal stream as the log holds it; all of it, a tail, or followed.
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Engine } from '../../core/jobs/engine';
import type { Parsed } from '../args';
import { UserError } from '../../core/jobs/types';
import { isFinished } from '../../core/jobs/state';
import { isLive } from '../../core/jobs/types';
import { termSafe } from '../escape';
import { TerminalDecoder } from '../../core/jobs/logDecode';
import { logDrained } from '../../core/jobs/logs';
import { dirname } from 'node:path';
import { one, verbSpec, type Command } from '../command';

/** Log files are opened without following a link planted in the job dir. */
const openLog = (f: string): number => openSync(f, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);

type Sink = (b: Buffer) => void;

/** Writes bytes [from, end) of log.1+log to the sink; returns the new end. */
function copyRange(files: string[], from: number, sink: Sink): number {
  let base = 0;
  for (const f of files) {
    let fd: number;
    try { fd = openLog(f); } catch { continue; }
    try {
      const size = fstatSync(fd).size;
      let pos = Math.max(0, from - base);
      const buf = Buffer.alloc(1 << 16);
      while (pos < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
        if (n <= 0) break;
        sink(Buffer.from(buf.subarray(0, n)));
        pos += n;
      }
      base += size;
    } finally { closeSync(fd); }
  }
  return Math.max(base, from);
}

async function cmdLogs(e: Engine, p: Parsed): Promise<number> {
  const ref = one('logs', p);
  const tail = p.flags.tail as string | undefined;
  if (tail !== undefined && !/^\d+$/.test(tail)) throw new UserError(`logs: --tail wants a number of lines, got '${tail}'`);
  const r = await e.get(ref);
  const task = p.flags.task as string | undefined;
  // The program's bytes unless --raw: the terminal's "\r\n" undone as the bytes stream by (a "\r"
  // at a chunk's end waits for the next byte).
  const write: Sink = (b) => { if (b.length) process.stdout.write(b); };
  if (task === undefined && r.slurm?.options.array !== undefined && !p.flags.follow) {
    // A Slurm job array without --task: every task's log, each under a header line.
    for (const t of r.slurm.tasks ?? []) {
      write(Buffer.from(`==> task ${termSafe(t.task)} (${termSafe(t.state)}) <==\n`));
      const c = await e.readLog(r.id, { task: t.task, raw: p.flags.raw === true, ...(tail !== undefined ? { tailLines: +tail } : {}) });
      write(c.data);
    }
    return 0;
  }
  const [old, cur] = await e.logFiles(r.id, task);
  const dec = p.flags.raw || !e.logIsTerminal(r.id, task) ? null : new TerminalDecoder();
  const sink: Sink = dec ? (b) => write(dec.push(b)) : write;
  if (tail !== undefined) {
    const c = await e.readLog(r.id, { tailLines: +tail, raw: true, task });
    sink(c.data);
    if (p.flags.follow) await follow(e, r.id, old, cur, true, sink, task);
  } else if (!p.flags.follow) copyRange([old, cur], 0, sink);
  else await follow(e, r.id, old, cur, false, sink, task);
  if (dec) write(dec.end());
  return 0;
}

/** Follows `log` by inode: when the pump rotates it, the rest of the old file is read first. */
export async function follow(e: Engine, id: string, old: string, cur: string, fromEnd: boolean, sink: Sink, task?: string): Promise<void> {
  let fd: number | null = null;
  let pos = 0;
  const buf = Buffer.alloc(1 << 16);
  const open = (atEnd: boolean) => {
    try { fd = openLog(cur); pos = atEnd ? fstatSync(fd).size : 0; } catch { fd = null; pos = 0; }
  };
  if (!fromEnd) copyRange([old], 0, sink);
  open(fromEnd);
  let endedAt = 0;
  for (;;) {
    let got = 0;
    if (fd !== null) {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        sink(Buffer.from(buf.subarray(0, n)));
        pos += n; got += n;
      }
      let rotated = false;
      try { rotated = statSync(cur).ino !== fstatSync(fd).ino; } catch { rotated = true; }
      if (rotated) { closeSync(fd); fd = null; open(false); continue; }
    } else open(false);
    if (!got) {
      const r = await e.get(id);
      // An array task ends on its own, before the array does.
      const t = task === undefined ? undefined : r.slurm?.tasks?.find((x) => x.task === task);
      if (t ? !isLive(t.state) : isFinished(r)) {
        if (!endedAt) endedAt = Date.now();
        if (logDrained(dirname(cur)) || Date.now() - endedAt > 2000) break;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  if (fd !== null) closeSync(fd);
}

export const logs: Command = { spec: verbSpec({ follow: { kind: 'bool', short: 'f' }, tail: { kind: 'string', short: 'n' }, raw: { kind: 'bool' }, task: { kind: 'string' } }), run: cmdLogs };
