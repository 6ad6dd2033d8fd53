// Job engine cost beside its floor, in one run: start latency (engine and whole CLI), `ls` of
// 1,000 jobs, marginal memory per job per backend, and log throughput. Prints a markdown section.
//   node --import tsx bench/jobs.bench.ts        (needs dist/linger.js: npm run build)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Engine } from '../core/jobs/engine';
import { Store, type StoredJob } from '../core/jobs/store';
import { writeSpec } from '../core/jobs/wrapper';
import { signalResettingEnv, type EnvProbeMemo } from '../core/jobs/exitStatus';
import { members } from '../core/jobs/proc';
import type { LocalBackendName as BackendName, JobRecord } from '../core/jobs/types';
import { useHermeticHome } from '../test/support/hermetic-home.cjs';

// The jobs measured here (and the tmux/screen servers) never run the machine's login shell.
useHermeticHome();

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'linger.js');
const homes: string[] = [];
const rawTmux: string[] = [];
const out: string[] = [];
const log = (s: string) => process.stderr.write(`  jobs.bench: ${s}\n`);

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x: number) => `${x.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const sleep = (t: number) => new Promise<void>((r) => setTimeout(r, t));
function home(): string { const h = mkdtempSync(join(tmpdir(), 'lgb-')); homes.push(h); return h; }
function timeSync(fn: () => void): number { const t = now(); fn(); return now() - t; }

// ---------- memory ----------
function pss(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
    if (m) return +m[1];
  } catch { /* fall through */ }
  try { return +(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0); } catch { return 0; }
}
function procTable(): Map<number, { ppid: number; cmd: string }> {
  const t = new Map<number, { ppid: number; cmd: string }>();
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const st = readFileSync(`/proc/${n}/stat`, 'latin1');
      const ppid = +st.slice(st.lastIndexOf(')') + 2).split(' ')[1];
      t.set(+n, { ppid, cmd: readFileSync(`/proc/${n}/cmdline`, 'latin1').replace(/\0/g, ' ') });
    } catch { /* gone */ }
  }
  return t;
}
/** PSS (kB) of every process whose command line names HOME, and their descendants, minus the jobs' own `sleep`s. */
function footprint(h: string): { kb: number; procs: number } {
  const t = procTable();
  const ours = new Set<number>();
  for (const [pid, p] of t) if (p.cmd.includes(h) && pid !== process.pid) ours.add(pid);
  let grew = true;
  while (grew) { grew = false; for (const [pid, p] of t) if (!ours.has(pid) && ours.has(p.ppid)) { ours.add(pid); grew = true; } }
  let kb = 0, procs = 0;
  for (const pid of ours) { if (t.get(pid)!.cmd.startsWith('sleep 600')) continue; kb += pss(pid); procs++; }
  return { kb, procs };
}

async function killAll(e: Engine): Promise<void> {
  for (const j of await e.list()) if (j.state === 'running') await e.kill(j.id, { graceMs: 200 });
}

/** Why each backend's start costs more than its fair floor once the record is written (see core/jobs/README.md "Starting"). */
const PHASE_WHY: Record<BackendName, string> = {
  tmux: 'the gate: the wrapper starts one more tmux client (`wait-for`) and blocks until pipe-pane is attached, so no early output is lost; the fair floor has no such guarantee',
  screen: 'the job gets its own `script` pty inside the window, teed to the window and the pump (screen\'s `-L` log cannot feed a pump, see core/jobs/README.md); the fair floor logs with `-L` and has no second pty',
  setsid: 'the wrapper\'s sh and `mkfifo` (the `in` FIFO a later attach writes) run before `script`; the fair floor starts `script` directly and has no input channel',
};

async function startLatency(): Promise<void> {
  log('start latency (engine vs raw backend)');
  const N = 10;
  const rows: string[] = [];
  // Warm servers on both sides so we compare steady state.
  const rawSock = join(home(), 'raw.sock'); rawTmux.push(rawSock);
  spawnSync('tmux', ['-S', rawSock, '-f', '/dev/null', 'new-session', '-d', '-s', 'keep', 'sleep', '600']);
  const rawScreenDir = join(home(), 'screen'); mkdirSync(rawScreenDir, { mode: 0o700 });
  const e = new Engine({ home: home() });
  await e.run({ argv: ['sleep', '600'], backend: 'tmux' });
  const floors: Record<BackendName, () => void> = {
    tmux: () => { spawnSync('tmux', ['-S', rawSock, 'new-session', '-d', 'sleep', '600'], { stdio: 'ignore' }); },
    screen: () => { spawnSync('screen', ['-dmS', `raw${Math.random().toString(36).slice(2, 8)}`, 'sleep', '600'], { stdio: 'ignore', env: { ...process.env, SCREENDIR: rawScreenDir } }); },
    setsid: () => { spawn('sleep', ['600'], { detached: true, stdio: 'ignore' }).unref(); },
  };
  const floorNames = { tmux: '`tmux new-session -d` (own socket, server up)', screen: '`screen -dmS`', setsid: 'Node `spawn(detached)`' };
  // The floors above start a bare `sleep`: no log, and (setsid) no terminal. A fairer floor gives
  // the raw backend what a Linger job has too: a pty, its output piped to a log file, and the job
  // reporting its own pid (echo $$ before exec), waited for with fs.watch like Engine.run does.
  // "returned" is when the raw command returns (compare with waitForPid false), "pid" when the
  // pid file has content (compare with pid known). Still no atomic record, no exit-code
  // recording, no tmux gate, no log cap, no argv/env files: Linger does those on top.
  const fairDir = home();
  const fairGroups: number[] = [];
  let fk = 0;
  const untilFile = (f: string): Promise<void> => new Promise((res) => {
    const has = () => { try { return statSync(f).size > 0; } catch { return false; } };
    if (has()) { res(); return; }
    const w = watch(fairDir, () => { if (has()) { w.close(); clearTimeout(t); res(); } });
    const t = setTimeout(() => { w.close(); res(); }, 5000);
    if (has()) { w.close(); clearTimeout(t); res(); }
  });
  const pidThenSleep = (f: string) => `echo $$ >${f}; exec sleep 600`;
  const fair: Record<BackendName, () => { f: string }> = {
    tmux: () => {
      const f = join(fairDir, `t${fk++}`);
      spawnSync('tmux', ['-S', rawSock, 'new-session', '-d', '-s', `f${fk}`, 'sh', '-c', pidThenSleep(f), ';', 'pipe-pane', '-o', '-t', `=f${fk}:`, `exec cat >>${f}.log`], { stdio: 'ignore' });
      return { f };
    },
    screen: () => {
      const f = join(fairDir, `s${fk++}`);
      spawnSync('screen', ['-L', '-Logfile', `${f}.log`, '-dmS', `fair${fk}`, 'sh', '-c', pidThenSleep(f)], { stdio: 'ignore', env: { ...process.env, SCREENDIR: rawScreenDir } });
      return { f };
    },
    setsid: () => {
      const f = join(fairDir, `p${fk++}`);
      const c = spawn('sh', ['-c', `script -q -f -c '${pidThenSleep(f)}' /dev/null | cat >${f}.log`], { detached: true, stdio: 'ignore', env: { ...process.env, SHELL: '/bin/sh' } });
      c.unref();
      if (c.pid) fairGroups.push(c.pid);
      return { f };
    },
  };
  // What Engine.run does before the backend is called, alone: reserve the job dir, write the
  // spec and the record (the same calls, in a scratch state dir).
  const prepStore = new Store(home());
  const envProbe: EnvProbeMemo = {};
  prepStore.ensure();
  const prep = (): number => timeSync(() => {
    const { id, dir } = prepStore.reserve();
    writeSpec(dir, { argv: [Buffer.from('sleep'), Buffer.from('600')], env: [], cwd: Buffer.from(process.cwd()), umask: 0o22, logCapBytes: 100 * 1024 * 1024, signalResettingEnv: signalResettingEnv(envProbe) });
    const job: StoredJob = { record: { id, name: null, argv: ['sleep', '600'], shell: false, cwd: process.cwd(), env: {}, backend: 'tmux', state: 'running', exitCode: null, signal: null, pid: null, pgid: null, startedAt: new Date().toISOString(), endedAt: null, logPath: join(dir, 'log'), session: `linger-${id}`, restartOf: null }, internal: { leaderPid: null, leaderStart: null, backendBin: null, socket: null, requested: 'tmux' } };
    prepStore.write(job);
  });
  const phases: string[] = [];
  for (const b of ['tmux', 'screen', 'setsid'] as BackendName[]) {
    const lin: number[] = [], fast: number[] = [], raw: number[] = [], fairRet: number[] = [], fairPid: number[] = [], prepT: number[] = [];
    for (let i = 0; i < N; i++) {
      prepT.push(prep());
      raw.push(timeSync(floors[b]));
      let t = now(); const { f } = fair[b](); fairRet.push(now() - t); await untilFile(f); fairPid.push(now() - t);
      t = now(); await e.run({ argv: ['sleep', '600'], backend: b }); lin.push(now() - t);
      t = now(); await e.run({ argv: ['sleep', '600'], backend: b, waitForPid: false }); fast.push(now() - t);
    }
    const [l, fa, r, fr, fp, pr] = [lin, fast, raw, fairRet, fairPid, prepT].map(median);
    phases.push(`| ${b} | ${ms(pr)} | ${ms(fa - pr)} / ${ms(fr)} | ${ms(l - fa)} / ${ms(fp - fr)} | ${ratio(fa - pr + (l - fa), fp)} | ${PHASE_WHY[b]} |`);
    rows.push(`| ${b} | ${ms(l)} (${ratio(l, r)}; fair ${ratio(l, fp)}) | ${ms(fa)} (${ratio(fa, r)}; fair ${ratio(fa, fr)}) | ${floorNames[b]} ${ms(r)} | ${ms(fr)} / ${ms(fp)} |`);
  }
  out.push('### `Engine.run` until running (pid known) vs the raw backend (goal ≤ 1.3×)', '',
    `Median of ${N}, interleaved. Engine.run (default) includes writing the job dir, starting the log pump and waiting until the job's own process has exec'd behind the tmux gate (its pid is read back); with \`waitForPid: false\` (what a plain \`linger run\` uses) it returns once the backend accepted the job, like the raw floors.`, '',
    'The first ratio is against the original floor (a bare `sleep`, no log, no terminal for setsid, pid not waited for). The "fair" ratio is against the same raw backend given a pty, a log pipe and the job reporting its pid (tmux: `new-session` + `pipe-pane`; screen: `-L -Logfile`; setsid: `script` piped to a file; pid: `echo $$` before exec, waited for with fs.watch): pid known vs "pid", waitForPid false vs "returned". Linger still does more than that floor (record written atomically before start, exit code recorded, tmux gate so no early output is lost, log cap, argv/env byte-exact through files).', '',
    '| backend | Engine.run, pid known (ratio; fair) | Engine.run, waitForPid false (ratio; fair) | floor | fair floor: returned / pid |', '|---|---|---|---|---|', ...rows, '');
  out.push('#### Where the start goes: Engine.run by phase, beside the fair floor', '',
    'Medians of the same runs. "before the backend": the job dir, spec and record (measured alone, the same calls). "backend call": waitForPid false minus that, beside the fair floor\'s command returning. "backend → pid": until the job\'s own pid is known after the backend returned, beside the fair floor\'s `echo $$` showing up. The last ratio leaves the record out: it is what the backend and the wrapper cost against the same pty work done raw.', '',
    '| backend | before the backend | backend call: Linger / fair | backend → pid: Linger / fair | without the record, vs fair pid | what the difference is |', '|---|---|---|---|---|---|', ...phases, '');
  // Whole CLI.
  log('whole CLI run vs node -e "" + tmux new-session');
  const cliT: number[] = [], nodeT: number[] = [], tmuxT: number[] = [];
  const env = { ...process.env, LINGER_HOME: e.home };
  for (let i = 0; i < N; i++) {
    nodeT.push(timeSync(() => spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' })));
    tmuxT.push(timeSync(floors.tmux));
    cliT.push(timeSync(() => spawnSync(process.execPath, [CLI, 'run', '--backend', 'tmux', '--', 'sleep', '600'], { stdio: 'ignore', env })));
  }
  const floor = median(nodeT) + median(tmuxT);
  out.push('### Whole `linger run` CLI call vs `node -e \'\'` + raw `tmux new-session -d` (goal ≤ 1.25×)', '',
    '| `linger run --backend tmux -- sleep 600` | `node -e \'\'` | raw tmux | floor (sum) | ratio |', '|---|---|---|---|---|',
    `| ${ms(median(cliT))} | ${ms(median(nodeT))} | ${ms(median(tmuxT))} | ${ms(floor)} | ${ratio(median(cliT), floor)} |`, '');
  await killAll(e);
  spawnSync('tmux', ['-S', rawSock, 'kill-server'], { stdio: 'ignore' });
  for (const s of readdirSync(rawScreenDir)) spawnSync('screen', ['-S', s, '-X', 'quit'], { stdio: 'ignore', env: { ...process.env, SCREENDIR: rawScreenDir } });
  spawnSync('pkill', ['-x', '-f', 'sleep 600', '-P', String(process.pid)], { stdio: 'ignore' });
  // Fair setsid floors: their group (sh, script, cat); the job's sleep gets SIGHUP from its pty.
  for (const g of fairGroups) { try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ } }
}

async function listSpeed(): Promise<void> {
  log('ls of 1,000 jobs');
  const h = home();
  const store = new Store(h); store.ensure();
  const base: JobRecord = { id: '', name: null, argv: ['make', '-j4', 'all'], shell: false, cwd: '/src', env: { A: '1' }, backend: 'tmux', state: 'exited', exitCode: 0, signal: null,
    pid: 1, pgid: 1, startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), logPath: '', session: '', restartOf: null };
  for (let i = 0; i < 995; i++) { const { id, dir } = store.reserve(); store.write({ record: { ...base, id, logPath: join(dir, 'log'), session: `linger-${id}` }, internal: { leaderPid: null, leaderStart: null, backendBin: null, socket: null, requested: 'auto' } }); }
  const e = new Engine({ home: h });
  for (let i = 0; i < 5; i++) await e.run({ argv: ['sleep', '600'], backend: 'setsid' });
  const times: number[] = [];
  let n = 0;
  for (let i = 0; i < 20; i++) { const t = now(); n = e.listDetailed().jobs.length; times.push(now() - t); }
  const cli: number[] = [], node: number[] = [];
  for (let i = 0; i < 5; i++) {
    node.push(timeSync(() => spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' })));
    cli.push(timeSync(() => spawnSync(process.execPath, [CLI, 'ls', '--json'], { stdio: 'ignore', env: { ...process.env, LINGER_HOME: h } })));
  }
  out.push('### `ls` of 1,000 jobs (995 finished + 5 running setsid jobs refreshed) (goal ≤ 20 ms in process)', '',
    '| in process `Engine.listDetailed()` (median of 20) | min | whole `linger ls --json` CLI | `node -e \'\'` |', '|---|---|---|---|',
    `| ${ms(median(times))} (${n} jobs) | ${ms(Math.min(...times))} | ${ms(median(cli))} | ${ms(median(node))} |`, '');
  await killAll(e);
}

async function memory(): Promise<void> {
  log('marginal memory per job');
  const rows: string[] = [];
  for (const b of ['tmux', 'screen', 'setsid'] as BackendName[]) {
    const e = new Engine({ home: home() });
    await e.run({ argv: ['sleep', '600'], backend: b });
    await sleep(300);
    const one = footprint(e.home);
    const K = 10;
    for (let i = 0; i < K; i++) await e.run({ argv: ['sleep', '600'], backend: b });
    await sleep(500);
    const many = footprint(e.home);
    rows.push(`| ${b} | ${(one.kb / 1024).toFixed(1)} MB (${one.procs} procs) | ${((many.kb - one.kb) / K / 1024).toFixed(2)} MB | ${((many.procs - one.procs) / K).toFixed(1)} |`);
    await killAll(e);
  }
  out.push('### Marginal memory per job (PSS; the job\'s own command excluded; no Node process per job)', '',
    'Counted: every process whose command line names the state dir (tmux server, SCREEN, wrappers, pumps) and their descendants.', '',
    '| backend | first job incl. server | each further job | processes per job |', '|---|---|---|---|', ...rows, '');
}

async function throughput(): Promise<void> {
  const MB = 8;
  log(`log throughput (${MB} MB per job)`);
  const bytes = MB * 1000 * 1000;
  const rows: string[] = [];
  const rawSock = join(home(), 'raw.sock'); rawTmux.push(rawSock);
  for (const b of ['tmux', 'screen', 'setsid'] as BackendName[]) {
    const e = new Engine({ home: home() });
    const timeJob = async (script: string) => { const t = now(); const r = await e.run({ argv: ['sh', '-c', script], backend: b }); await e.wait(r.id); return now() - t; };
    const toLog = await timeJob(`yes | head -c ${bytes}`);
    const toNull = await timeJob(`yes | head -c ${bytes} >/dev/null`);
    let terminal = '';
    if (b === 'tmux') {
      // Floor for the terminal itself: the same output through a plain tmux pane, no log pipe.
      const t = now();
      spawnSync('tmux', ['-S', rawSock, '-f', '/dev/null', 'new-session', '-d', '-s', 'tp', `yes | head -c ${bytes}; tmux -S ${rawSock} wait-for -S tp-done`]);
      spawnSync('tmux', ['-S', rawSock, 'wait-for', 'tp-done']);
      const raw = now() - t;
      terminal = `${ms(raw)} (log pipe costs ${ratio(toLog, raw)})`;
    } else if (b === 'setsid') {
      const t = now();
      spawnSync('sh', ['-c', `script -q -f -c 'yes | head -c ${bytes}' /dev/null </dev/null >/dev/null`]);
      const raw = now() - t;
      terminal = `\`script\` alone ${ms(raw)} (log pump costs ${ratio(toLog, raw)})`;
    }
    rows.push(`| ${b} | ${ms(toLog)} | ${ms(toNull)} | ${ratio(toLog, toNull)} | ${terminal || '-'} |`);
  }
  spawnSync('tmux', ['-S', rawSock, 'kill-server'], { stdio: 'ignore' });
  out.push(`### A job writing ${MB} MB to its log vs to /dev/null (goal ≤ 1.5×)`, '',
    `${MB} MB instead of 500 MB: through a pty on this shared 2-core machine tmux and \`script\` move only a few MB/s, so 500 MB would take minutes per backend. The job's output passes the backend's pty (that is what makes it attachable), then the per-job sh/split pump into log.1+log (cap 100 MB).`, '',
    '| backend | to its log | to /dev/null | ratio | terminal floor |', '|---|---|---|---|---|', ...rows, '');
}

async function main(): Promise<void> {
  out.push('## Job engine (bench/jobs.bench.ts)', '');
  try {
    await startLatency();
    await listSpeed();
    await memory();
    await throughput();
  } finally {
    for (const h of homes) {
      spawnSync('tmux', ['-S', join(h, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
      const sd = join(h, 'screen');
      try { for (const s of readdirSync(sd)) spawnSync('screen', ['-S', s, '-X', 'quit'], { stdio: 'ignore', env: { ...process.env, SCREENDIR: sd } }); } catch { /* none */ }
    }
    for (const s of rawTmux) spawnSync('tmux', ['-S', s, 'kill-server'], { stdio: 'ignore' });
    // Anything still alive in a job session we created (setsid jobs) is ended here.
    for (const h of homes) {
      try {
        for (const id of readdirSync(join(h, 'jobs'))) {
          const pids = ['wpid', 'cpid'].map((f) => { try { return parseInt(readFileSync(join(h, 'jobs', id, f), 'utf8'), 10); } catch { return 0; } });
          for (const p of members(pids)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
        }
      } catch { /* no jobs */ }
      rmSync(h, { recursive: true, force: true });
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => { process.stderr.write(`${e?.stack ?? e}\n`); process.exit(1); });
