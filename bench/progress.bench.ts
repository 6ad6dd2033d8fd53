// The cost of reading progress (core/jobs/progressReader.ts) on a job that prints 8 MB/s, beside
// the job's own cost, in one run. A real job (setsid backend: wrapper, `script` pty, log pump)
// runs a python3 writer that prints `step i/N` lines at 8 MB/s; while it runs, this process reads
// its progress the way the agent does while the view is visible (every 1.5 s), at 10× that rate,
// not at all (the view hidden), and, for comparison, the naive way (every new byte read). CPU is
// user+system time: the reader's from process.cpuUsage() around its calls, the job's from /proc
// (every process of the job, pump included). Prints a markdown section.
//   node --import tsx bench/progress.bench.ts
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Engine } from '../core/jobs/engine';
import { parseProgress } from '../core/jobs/progress';
import type { JobRecord } from '../core/jobs/types';
import { useHermeticHome } from '../test/support/hermetic-home.cjs';

useHermeticHome();

const RATE = 8 * 1024 * 1024;
const WINDOW_MS = 6000;
const log = (s: string) => process.stderr.write(`  progress.bench: ${s}\n`);
const sleep = (t: number) => new Promise<void>((r) => setTimeout(r, t));
const TICK = 100; // clock ticks per second (USER_HZ on Linux)

function python(): string {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(d, 'python3');
    try { statSync(p); } catch { continue; }
    if (spawnSync(p, ['-c', 'pass']).status === 0) return p;
  }
  throw new Error('python3 not found');
}

// 100-byte lines, a progress counter in each, written in 80 KB chunks every 10 ms (8 MB/s).
const WRITER = `
import sys, time
out = sys.stdout.buffer
n = 0
chunk_lines = ${Math.round(RATE / 100 / 100)}
t = time.monotonic()
while True:
    buf = []
    for _ in range(chunk_lines):
        n += 1
        line = b"step %d/100000000 loss=0.%06d " % (n, n % 1000000)
        buf.append(line + b"x" * (99 - len(line)) + b"\\n")
    out.write(b"".join(buf)); out.flush()
    t += 0.01
    d = t - time.monotonic()
    if d > 0: time.sleep(d)
`;

/** user+system clock ticks of every process whose command line names dir, and their descendants. */
function jobTicks(dir: string): number {
  const table = new Map<number, { ppid: number; ticks: number; cmd: string }>();
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const st = readFileSync(`/proc/${n}/stat`, 'latin1');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      table.set(+n, { ppid: +f[1]!, ticks: +f[11]! + +f[12]! + +f[13]! + +f[14]!, cmd: readFileSync(`/proc/${n}/cmdline`, 'latin1') });
    } catch { /* gone */ }
  }
  const ours = new Set<number>();
  for (const [pid, p] of table) if (p.cmd.includes(dir) && pid !== process.pid) ours.add(pid);
  for (let grew = true; grew;) { grew = false; for (const [pid, p] of table) if (!ours.has(pid) && ours.has(p.ppid)) { ours.add(pid); grew = true; } }
  let t = 0;
  for (const pid of ours) t += table.get(pid)!.ticks;
  return t;
}

function cpuMs(): number { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }

interface Row { name: string; readerMsPerS: number; jobMsPerS: number; bytesPerS: number; calls: number; last: string }

/** Runs `look` every periodMs for the window; the reader's CPU (only inside look) and the job's. */
async function measure(name: string, dir: string, periodMs: number | null, look: () => { bytes: number; text: string }): Promise<Row> {
  const j0 = jobTicks(dir);
  const t0 = Date.now();
  let reader = 0, bytes = 0, calls = 0, last = '-';
  while (Date.now() - t0 < WINDOW_MS) {
    if (periodMs !== null) {
      const c = cpuMs();
      const r = look();
      reader += cpuMs() - c;
      bytes += r.bytes; calls++; last = r.text;
    }
    await sleep(periodMs ?? 500);
  }
  const secs = (Date.now() - t0) / 1000;
  const jobMs = ((jobTicks(dir) - j0) * 1000) / TICK;
  return { name, readerMsPerS: reader / secs, jobMsPerS: jobMs / secs, bytesPerS: bytes / secs, calls, last };
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'lgpb-'));
  const e = new Engine({ home, logCapBytes: 256 * 1024 * 1024 });
  let job: JobRecord | null = null;
  try {
    job = await e.run({ argv: [python(), '-c', WRITER], backend: 'setsid', name: 'bench-8mbs' });
    const dir = join(home, 'jobs', job.id);
    const logFile = join(dir, 'log');
    // Warm up: the writer at full rate.
    await sleep(1500);
    const g0 = statSync(logFile).size;
    const tg = Date.now();
    await sleep(2000);
    const rate = (statSync(logFile).size - g0) / ((Date.now() - tg) / 1000);
    log(`job writes ${(rate / 1e6).toFixed(2)} MB/s into its log`);

    const rows: Row[] = [];
    rows.push(await measure('not watched (view hidden): nothing read', dir, null, () => ({ bytes: 0, text: '-' })));
    const tracker = e.progressTracker();
    const viaTracker = () => {
      const before = tracker.bytesRead;
      tracker.update([job!]);
      return { bytes: tracker.bytesRead - before, text: tracker.get(job!.id)?.text ?? '-' };
    };
    rows.push(await measure('watched, every 1.5 s (the agent)', dir, 1500, viaTracker));
    rows.push(await measure('watched, every 150 ms (10× the agent)', dir, 150, viaTracker));
    // Naive: read every byte the log grew by, then parse its end.
    let offset = statSync(logFile).size;
    const naive = () => {
      const fd = openSync(logFile, 'r');
      try {
        const size = statSync(logFile).size;
        const buf = Buffer.alloc(Math.max(0, size - offset));
        let n = 0;
        while (n < buf.length) { const k = readSync(fd, buf, n, buf.length - n, offset + n); if (!k) break; n += k; }
        offset = size;
        return { bytes: n, text: parseProgress(buf.subarray(0, n))?.text ?? '-' };
      } finally { closeSync(fd); }
    };
    rows.push(await measure('comparison: read every new byte, every 1.5 s', dir, 1500, naive));

    const agent = rows[1]!;
    const lines = [
      `## Progress reading on a job printing ${(rate / 1e6).toFixed(1)} MB/s (bench/progress.bench.ts)`,
      '',
      `A real job (setsid backend, python3 writing \`step i/N\` lines at 8 MB/s through the pty and the log pump); ${WINDOW_MS / 1000} s per row. CPU = user+system time per second of wall time: the reader's (this process, inside the reads only) and the job's (every process of the job, pump included).`,
      '',
      '| reader | reader CPU | job\'s own CPU | reader / job | bytes read per s | last progress read |',
      '|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.name} | ${r.readerMsPerS.toFixed(3)} ms/s | ${r.jobMsPerS.toFixed(0)} ms/s | ${r.jobMsPerS ? ((r.readerMsPerS / r.jobMsPerS) * 100).toFixed(3) : '-'} % | ${(r.bytesPerS / 1024).toFixed(1)} KiB | ${r.last.slice(0, 40)} |`),
      '',
      `The agent's reading (every 1.5 s, only while the view is visible) costs ${agent.readerMsPerS.toFixed(3)} ms of CPU per second, ${((agent.readerMsPerS / agent.jobMsPerS) * 100).toFixed(3)} % of what the job itself spends; hidden, it reads nothing. It reads at most the parser's 8 KiB tail per look, whatever the job printed in between, where reading every new byte costs ${(rows[3]!.readerMsPerS / Math.max(agent.readerMsPerS, 1e-6)).toFixed(0)}× as much.`,
    ];
    console.log(lines.join('\n'));
  } finally {
    if (job) { try { await e.kill(job.id, { graceMs: 200 }); } catch { /* gone */ } }
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
