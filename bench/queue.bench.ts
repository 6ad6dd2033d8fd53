// Linger's queue beside task-spooler (tsp) and nq, in one run: enqueue latency (CLI, and the
// agent's in-process enqueue), 100 submissions (run --batch vs 100 tsp / nq calls), the hand-off
// from a job's end to the next queued job's start, and the memory 100 queued jobs hold on the
// host. Prints a markdown section. Skips tsp/nq (with a line saying so) when they are missing
// (Debian: task-spooler, nq; scripts/setup-host.sh installs them).
//   node --import tsx bench/queue.bench.ts        (needs dist/linger.js: npm run build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Engine } from '../core/jobs/engine';
import { members } from '../core/jobs/proc';
import { useHermeticHome } from '../test/support/hermetic-home.cjs';

useHermeticHome();

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'linger.js');
const out: string[] = [];
const dirs: string[] = [];
const log = (s: string) => process.stderr.write(`  queue.bench: ${s}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x: number) => `${x.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const sleep = (t: number) => new Promise<void>((r) => setTimeout(r, t));
function dir(prefix: string): string { const d = mkdtempSync(join(tmpdir(), prefix)); dirs.push(d); return d; }
function which(b: string): string | null { const r = spawnSync('sh', ['-c', `command -v ${b}`], { encoding: 'utf8' }); return r.status === 0 ? r.stdout.trim() : null; }
async function until(what: string, fn: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) { if (Date.now() > end) throw new Error(`timed out waiting for ${what}`); await sleep(5); }
}

// tsp on Debian: /usr/bin/tsp (ts is moreutils' timestamper on some systems).
const TSP = which('tsp');
const NQ = which('nq');

interface Tool {
  name: string;
  /** Environment that gives the tool a private queue under d. */
  env(d: string): NodeJS.ProcessEnv;
  /** Sets the queue to one job at a time (nq is always one at a time: each waits for all before it). */
  serial(d: string): void;
  /** argv that enqueues `argv`. */
  submit(d: string, argv: string[]): string[];
  stop(d: string): void;
}

const linger: Tool = {
  name: 'linger run --group',
  env: (d) => ({ ...process.env, LINGER_HOME: d }),
  serial: (d) => { spawnSync(process.execPath, [CLI, 'group', 'set', 'g', '--parallel', '1'], { env: linger.env(d), stdio: 'ignore' }); },
  submit: (_d, argv) => [process.execPath, CLI, 'run', '--group', 'g', '--', ...argv],
  stop: (d) => {
    spawnSync('tmux', ['-S', join(d, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
    try {
      for (const id of readdirSync(join(d, 'jobs'))) {
        const pids = ['wpid', 'cpid'].map((f) => { try { return parseInt(readFileSync(join(d, 'jobs', id, f), 'utf8'), 10); } catch { return 0; } });
        for (const p of members(pids)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
      }
    } catch { /* none */ }
  },
};
const tsp: Tool = {
  name: 'tsp',
  env: (d) => ({ ...process.env, TS_SOCKET: join(d, 'ts.sock'), TMPDIR: d, TS_MAXFINISHED: '1000' }),
  serial: (d) => { spawnSync(TSP!, ['-S', '1'], { env: tsp.env(d), stdio: 'ignore' }); },
  submit: (_d, argv) => [TSP!, ...argv],
  stop: (d) => { spawnSync(TSP!, ['-K'], { env: tsp.env(d), stdio: 'ignore' }); },
};
const nq: Tool = {
  name: 'nq',
  env: (d) => ({ ...process.env, NQDIR: join(d, 'nq') }),
  serial: (d) => { mkdirSync(join(d, 'nq'), { recursive: true }); },
  submit: (_d, argv) => [NQ!, '-q', ...argv],
  stop: (d) => {
    // nq's waiting jobs are processes holding flocks on files in NQDIR.
    for (const p of procsWithEnv(`NQDIR=${join(d, 'nq')}`)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  },
};

function procsWithEnv(needle: string): number[] {
  const pids: number[] = [];
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n) || +n === process.pid) continue;
    try { if (readFileSync(`/proc/${n}/environ`, 'latin1').split('\0').includes(needle)) pids.push(+n); } catch { /* gone */ }
  }
  return pids;
}
function pss(pid: number): number {
  try { const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1')); if (m) return +m[1]; } catch { /* gone */ }
  return 0;
}
const envKey = (t: Tool, d: string): string => (t === linger ? `LINGER_HOME=${d}` : t === tsp ? `TS_SOCKET=${join(d, 'ts.sock')}` : `NQDIR=${join(d, 'nq')}`);

const gateJob = (gate: string) => ['sh', '-c', 'while [ ! -e "$0" ]; do sleep 0.05; done', gate];
function run(argv: string[], env: NodeJS.ProcessEnv): number {
  const t = now();
  const r = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${argv.slice(0, 3).join(' ')} exited ${r.status}: ${r.stderr}`);
  return now() - t;
}

const tools = (): Tool[] => [linger, ...(TSP ? [tsp] : []), ...(NQ ? [nq] : [])];

/** Median time of one enqueue while the queue is blocked (nothing starts: the pure enqueue). */
async function enqueueLatency(): Promise<void> {
  log('enqueue latency');
  const N = 20;
  const rows: Array<[string, number]> = [];
  for (const t of tools()) {
    const d = dir('lgq-'); const env = t.env(d); t.serial(d);
    const gate = join(d, 'gate');
    run(t.submit(d, gateJob(gate)), env);
    const xs: number[] = [];
    for (let i = 0; i < N; i++) xs.push(run(t.submit(d, ['true']), env));
    rows.push([t.name, median(xs)]);
    writeFileSync(gate, '');
    t.stop(d);
  }
  // The agent's in-process enqueue: Engine.run of a grouped job in a live process.
  const d = dir('lgq-'); const e = new Engine({ home: d });
  await e.setGroup('g', { parallel: 1 });
  const gate = join(d, 'gate');
  await e.run({ argv: gateJob(gate), group: 'g', waitForPid: false });
  const xs: number[] = [];
  for (let i = 0; i < N; i++) { const t0 = now(); await e.run({ argv: ['true'], group: 'g', waitForPid: false }); xs.push(now() - t0); }
  rows.push(['Engine.run({group}) in-process (agent)', median(xs)]);
  writeFileSync(gate, '');
  linger.stop(d);
  const floor = rows.find((r) => r[0] === 'tsp')?.[1] ?? null;
  out.push('### Enqueue latency (queue blocked: the job is only queued; median of 20)', '', '| submitter | latency | vs tsp |', '|---|---|---|');
  for (const [n, v] of rows) out.push(`| ${n} | ${ms(v)} | ${floor ? ratio(v, floor) : '-'} |`);
  out.push('');
}

/** 100 submissions: one `linger run --batch` vs 100 tsp / nq calls from a loop. */
async function hundred(): Promise<void> {
  log('100 submissions');
  const rows: Array<[string, number]> = [];
  {
    const d = dir('lgq-'); const env = linger.env(d); linger.serial(d);
    const gate = join(d, 'gate');
    run(linger.submit(d, gateJob(gate)), env);
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ argv: ['true', String(i)], group: 'g' })).join('\n');
    const t0 = now();
    const r = spawnSync(process.execPath, [CLI, 'run', '--batch'], { env, input: lines, stdio: ['pipe', 'ignore', 'pipe'] });
    const t = now() - t0;
    if (r.status !== 0) throw new Error(`run --batch: ${r.stderr}`);
    rows.push(['linger run --batch (100 lines, one process)', t]);
    writeFileSync(gate, ''); linger.stop(d);
  }
  for (const t of tools().filter((x) => x !== linger)) {
    const d = dir('lgq-'); const env = t.env(d); t.serial(d);
    const gate = join(d, 'gate');
    run(t.submit(d, gateJob(gate)), env);
    const t0 = now();
    for (let i = 0; i < 100; i++) run(t.submit(d, ['true', String(i)]), env);
    rows.push([`100 × ${t.name}`, now() - t0]);
    writeFileSync(gate, ''); t.stop(d);
  }
  {
    // What a new user's shell loop costs: 100 × `linger run --group` (10 measured, ×10).
    const d = dir('lgq-'); const env = linger.env(d); linger.serial(d);
    const gate = join(d, 'gate');
    run(linger.submit(d, gateJob(gate)), env);
    const xs: number[] = [];
    for (let i = 0; i < 10; i++) xs.push(run(linger.submit(d, ['true', String(i)]), env));
    rows.push(['100 × linger run --group (10 timed, ×10)', xs.reduce((a, b) => a + b, 0) * 10]);
    writeFileSync(gate, ''); linger.stop(d);
  }
  const floor = rows.find((r) => r[0] === '100 × tsp')?.[1] ?? null;
  out.push('### 100 submissions', '', '| how | total | vs 100 × tsp |', '|---|---|---|');
  for (const [n, v] of rows) out.push(`| ${n} | ${ms(v)} | ${floor ? ratio(v, floor) : '-'} |`);
  out.push('');
}

/**
 * Hand-off: one at a time, each job writes its start and its end (date +%s.%N); the gap between
 * a job's end and the next one's start, median over a chain of 12 jobs.
 */
async function handoff(): Promise<void> {
  log('hand-off');
  const N = 12;
  const rows: Array<[string, number, number]> = [];
  for (const t of tools()) {
    const d = dir('lgq-'); const env = t.env(d); t.serial(d);
    const o = join(d, 'o'); mkdirSync(o);
    const gate = join(d, 'gate');
    // A blocker first, so every measured job is queued before any of them runs.
    run(t.submit(d, gateJob(gate)), env);
    for (let i = 0; i < N; i++) run(t.submit(d, ['sh', '-c', 'date +%s%N >"$0.s"; date +%s%N >"$0.e"', join(o, String(i))]), env);
    writeFileSync(gate, '');
    await until(`${t.name}: the chain to end`, () => existsSync(join(o, `${N - 1}.e`)));
    const num = (f: string) => Number(readFileSync(join(o, f), 'utf8').trim()) / 1e6;
    const gaps = Array.from({ length: N - 1 }, (_, i) => num(`${i + 1}.s`) - num(`${i}.e`));
    rows.push([t.name, median(gaps), Math.max(...gaps)]);
    t.stop(d);
  }
  const floor = rows.find((r) => r[0] === 'tsp')?.[1] ?? null;
  out.push(`### Hand-off: a job's end → the next queued job's start (one at a time; median of ${N - 1})`, '', '| queue | median | max | vs tsp |', '|---|---|---|---|');
  for (const [n, v, mx] of rows) out.push(`| ${n} | ${ms(v)} | ${ms(mx)} | ${floor ? ratio(v, floor) : '-'} |`);
  out.push('');
}

/** PSS of every process of the queue (found by its environment) with 100 jobs waiting behind a blocker, minus the blocker. */
async function memory(): Promise<void> {
  log('memory of 100 queued jobs');
  const rows: Array<[string, number, number]> = [];
  for (const t of tools()) {
    const d = dir('lgq-'); const env = t.env(d); t.serial(d);
    const gate = join(d, 'gate');
    run(t.submit(d, gateJob(gate)), env);
    await sleep(300);
    const measure = () => { const ps = procsWithEnv(envKey(t, d)); return { kb: ps.reduce((a, p) => a + pss(p), 0), n: ps.length }; };
    const base = measure();
    for (let i = 0; i < 100; i++) run(t.submit(d, ['true', String(i)]), env);
    await sleep(500);
    const m = measure();
    rows.push([t.name, Math.max(0, m.kb - base.kb), m.n - base.n]);
    writeFileSync(gate, ''); t.stop(d);
  }
  const floor = rows.find((r) => r[0] === 'tsp')?.[1] ?? null;
  out.push('### Memory of 100 queued jobs on the host (PSS of the queue\'s processes, minus the one running job)', '', '| queue | PSS | processes | vs tsp |', '|---|---|---|---|');
  for (const [n, kb, p] of rows) out.push(`| ${n} | ${(kb / 1024).toFixed(2)} MB | ${p} | ${floor ? (floor > 0 ? ratio(kb, floor) : '-') : '-'} |`);
  out.push('', 'A queued Linger job is files only (job dir, spec, environ, a pending marker): no process waits for it; tsp keeps its server plus one waiting client per job, nq one waiting process per job.', '');
}

async function main(): Promise<void> {
  out.push('## Queue (bench/queue.bench.ts)', '');
  if (!TSP) out.push('_task-spooler (tsp) not installed: its columns are skipped (Debian: apt-get install task-spooler)._', '');
  if (!NQ) out.push('_nq not installed: its rows are skipped (Debian: apt-get install nq)._', '');
  try {
    await enqueueLatency();
    await hundred();
    await handoff();
    await memory();
  } finally {
    for (const d of dirs) {
      for (const t of tools()) { try { t.stop(d); } catch { /* best effort */ } }
      // A queue's last job may still be writing its output file: retry briefly.
      for (let i = 0; i < 20; i++) { try { rmSync(d, { recursive: true, force: true }); break; } catch { await sleep(100); } }
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => { process.stderr.write(`${e?.stack ?? e}\n`); process.exit(1); });
