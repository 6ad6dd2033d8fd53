// Attach to a setsid job: there is no terminal server, so the CLI itself relays. Keystrokes go
// into the job's stdin FIFO (the `script` pty reads it); the log is what the job's pty printed.
import { isRunning } from '../core/jobs/state';
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../core/jobs/engine';
import type { JobRecord } from '../core/jobs/types';
import { UserError } from '../core/jobs/types';

const DETACH = 0x1d; // Ctrl-]

export async function attachSetsid(e: Engine, r: JobRecord): Promise<number> {
  const dir = await e.jobDir(r.id);
  const fifo = join(dir, 'in');
  if (!existsSync(fifo)) throw new UserError(`job ${r.id} has no input channel`);
  // O_RDWR|O_NONBLOCK never blocks on a FIFO; the job holds it open read-write as well.
  // Read-write (a FIFO then never blocks the open), and never through a link planted as `in`.
  const inFd = openSync(fifo, constants.O_RDWR | constants.O_NOFOLLOW);
  if (!fstatSync(inFd).isFIFO()) { closeSync(inFd); throw new UserError(`job ${r.id} has no input channel (its 'in' is not a FIFO)`); }
  const log = join(dir, 'log');
  process.stderr.write(`Attached to ${r.id}. Detach: Ctrl-] (job keeps running)\r\n`);
  // Show the recent screen: last 4 KiB of the log.
  let fd: number | null = null;
  let pos = 0;
  const openLog = (): number => openSync(log, constants.O_RDONLY | constants.O_NOFOLLOW);
  try { fd = openLog(); pos = Math.max(0, fstatSync(fd).size - 4096); } catch { /* not yet */ }
  const stdin = process.stdin;
  if (stdin.isTTY) stdin.setRawMode(true);
  let done = false;
  const send = (b: Buffer) => { try { writeSync(inFd, b); } catch { /* job not reading (FIFO full): drop */ } };
  stdin.on('data', (d: Buffer) => {
    const i = d.indexOf(DETACH);
    if (i >= 0) { if (i > 0) send(d.subarray(0, i)); done = true; return; }
    send(d);
  });
  stdin.resume();
  const buf = Buffer.alloc(1 << 16);
  let endedAt = 0;
  while (!done) {
    let got = 0;
    if (fd === null) { try { fd = openLog(); pos = 0; } catch { /* not yet */ } }
    if (fd !== null) {
      for (;;) { const n = readSync(fd, buf, 0, buf.length, pos); if (n <= 0) break; process.stdout.write(Buffer.from(buf.subarray(0, n))); pos += n; got += n; }
      try { if (statSync(log).ino !== fstatSync(fd).ino) { closeSync(fd); fd = null; } } catch { /* rotating */ }
    }
    if (!got) {
      const cur = await e.get(r.id);
      if (!isRunning(cur)) { if (!endedAt) endedAt = Date.now(); else if (Date.now() - endedAt > 500) break; }
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  closeSync(inFd);
  if (fd !== null) closeSync(fd);
  const cur = await e.get(r.id);
  process.stderr.write(`\r\n${done ? 'Detached from' : 'Job ended:'} ${r.id} (${cur.state})\r\n`);
  return 0;
}
