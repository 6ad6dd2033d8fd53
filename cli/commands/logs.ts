// `linger logs`: the job's log bytes as they are on disk (byte-exact), or a tail, or followed.
import { closeSync, constants as fsConstants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Engine } from '../../core/jobs/engine';
import type { Parsed } from '../args';
import { UserError } from '../../core/jobs/types';
import { isRunning } from '../../core/jobs/state';
import { one, verbSpec, type Command } from '../command';

/** Log files are opened without following a link planted in the job dir. */
const openLog = (f: string): number => openSync(f, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);

/** Writes bytes [from, end) of log.1+log to stdout; returns the new end. Raw bytes: byte-exact. */
function copyRange(files: string[], from: number): number {
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
        process.stdout.write(Buffer.from(buf.subarray(0, n)));
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
  const [old, cur] = await e.logFiles(r.id);
  if (tail !== undefined) {
    const c = await e.readLog(r.id, { tailLines: +tail });
    process.stdout.write(c.text);
    if (!p.flags.follow) return 0;
    return follow(e, r.id, old, cur, 0, true);
  }
  if (!p.flags.follow) { copyRange([old, cur], 0); return 0; }
  return follow(e, r.id, old, cur, 0, false);
}

/** Follows `log` by inode: when the pump rotates it, the rest of the old file is read first. */
async function follow(e: Engine, id: string, _old: string, cur: string, _from: number, fromEnd: boolean): Promise<number> {
  let fd: number | null = null;
  let pos = 0;
  const buf = Buffer.alloc(1 << 16);
  const open = (atEnd: boolean) => {
    try { fd = openLog(cur); pos = atEnd ? fstatSync(fd).size : 0; } catch { fd = null; pos = 0; }
  };
  if (!fromEnd) { copyRange([_old], 0); }
  open(fromEnd);
  let endedAt = 0;
  for (;;) {
    let got = 0;
    if (fd !== null) {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        process.stdout.write(Buffer.from(buf.subarray(0, n)));
        pos += n; got += n;
      }
      let rotated = false;
      try { rotated = statSync(cur).ino !== fstatSync(fd).ino; } catch { rotated = true; }
      if (rotated) { closeSync(fd); fd = null; open(false); continue; }
    } else open(false);
    if (!got) {
      const r = await e.get(id);
      if (!isRunning(r)) {
        if (!endedAt) endedAt = Date.now();
        if (existsSync(cur.replace(/log$/, 'log.done')) || Date.now() - endedAt > 2000) break;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  if (fd !== null) closeSync(fd);
  return 0;
}

export const logs: Command = { spec: verbSpec({ follow: { kind: 'bool', short: 'f' }, tail: { kind: 'string', short: 'n' } }), run: cmdLogs };
