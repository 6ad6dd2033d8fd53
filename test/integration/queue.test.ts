// The queue with real backends and the built CLI, no daemon: groups with a parallel limit,
// dependencies, pause/resume, many jobs ending at once, and the verbs on queued jobs. Jobs write
// their own start/end times (date +%s.%N) into files; the tests read those files, never a clock
// of their own, and wait by polling with a deadline.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRecord } from '../../core/jobs/types';
import { CLI, cli, cliSync, cleanupHome, makeHome } from './engine-helpers';
import { allProcs, until } from '../support/proc';

const homes: string[] = [];
const home = () => { const h = makeHome(); homes.push(h); return h; };
after(() => { for (const h of homes) cleanupHome(h); });

/** A job that records its start and end (date +%s.%N) in OUT/NAME.s and OUT/NAME.e around `sleep SECS`. */
const timed = (out: string, name: string, secs: string, extra = ''): string[] =>
  ['sh', '-c', `date +%s.%N >"$0.s"; ${extra}sleep "$1"; date +%s.%N >"$0.e"`, join(out, name), secs];

interface Span { name: string; s: number; e: number }
function spans(out: string, names: string[]): Span[] {
  return names.map((name) => ({ name, s: +readFileSync(join(out, `${name}.s`), 'utf8'), e: +readFileSync(join(out, `${name}.e`), 'utf8') }));
}
/** The most spans open at one instant. */
function maxOverlap(xs: Span[]): number {
  const ev = xs.flatMap((x) => [[x.s, 1], [x.e, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let n = 0, m = 0;
  for (const [, d] of ev) { n += d; m = Math.max(m, n); }
  return m;
}
const ended = (out: string, names: string[]) => names.every((n) => existsSync(join(out, `${n}.e`)));

/** Linger processes (the CLI, an advance step) working on this state dir. */
function lingerProcs(h: string): number[] {
  return allProcs().filter((p) => p.args.some((a) => a.endsWith('linger.js'))).filter((p) => {
    try { return readFileSync(`/proc/${p.pid}/environ`, 'latin1').split('\0').includes(`LINGER_HOME=${h}`); } catch { return false; }
  }).map((p) => p.pid);
}
/**
 * Kills every Linger CLI or agent process on this state dir. An advance step a job's wrapper runs
 * is the jobs' own machinery (it lives only while it starts the next job), not a Linger process
 * that stays: it is left alone.
 */
function killLinger(h: string): void {
  for (const pid of lingerProcs(h)) {
    try { if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('__advance')) continue; process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

const outDir = (h: string): string => { const d = join(h, 'out'); mkdirSync(d, { recursive: true }); return d; };
const show = (h: string, id: string): JobRecord => JSON.parse(cliSync(h, ['show', id, '--json']).stdout) as JobRecord;
const run = (h: string, args: string[]): string => {
  const r = cliSync(h, ['run', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
};

test('10 jobs in a group with --parallel 2 and no Linger process alive: all run, never more than 2 at once, in order; the control overlaps', async () => {
  const h = home();
  const out = outDir(h);
  assert.equal(cliSync(h, ['group', 'set', 'gpu', '--parallel', '2']).code, 0);
  const names = Array.from({ length: 10 }, (_, i) => `j${i}`);
  const ids = names.map((n) => run(h, ['--group', 'gpu', '--', ...timed(out, n, '0.4')]));
  // Every `linger run` has exited; anything of ours still alive (an advance step) goes too.
  killLinger(h);
  // From here on only the jobs' files are read: no linger command until all ended.
  await until('all 10 grouped jobs to end', () => ended(out, names), 60_000);
  const xs = spans(out, names);
  assert.ok(maxOverlap(xs) <= 2, `at most 2 at once, saw ${maxOverlap(xs)}`);
  // In submission order: no job starts before an earlier one. Two jobs one advance step starts
  // back to back (two slots freed at once) may print their first line in either order within a
  // moment, so an earlier job may start up to 0.3 s after a later one, never more.
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) {
    assert.ok(xs[j].s + 0.3 >= xs[i].s, `${xs[j].name} started at ${xs[j].s}, well before ${xs[i].name} at ${xs[i].s}`);
  }
  // And the queue's own record of the starts (written under the lock) is strictly in order.
  const started = ids.map((id) => Date.parse(show(h, id).startedAt));
  assert.deepEqual([...started].sort((a, b) => a - b), started);

  // The control: the same 10 without the group overlap (submitted by one process, then no Linger process).
  const c = names.map((n) => `c${n}`);
  const batch = c.map((n) => JSON.stringify({ argv: timed(out, n, '2') })).join('\n');
  const r = await cliWithInput(h, ['run', '--batch'], batch);
  assert.equal(r.code, 0, r.stderr);
  killLinger(h);
  await until('the 10 ungrouped jobs to end', () => ended(out, c), 60_000);
  assert.ok(maxOverlap(spans(out, c)) > 2, `ungrouped jobs overlap (${maxOverlap(spans(out, c))})`);
});

test('chain A → B → C: A exits 1 → B and C end cancelled and never start; A exits 0 → B starts after A ended', async () => {
  const h = home();
  const out = outDir(h);
  const a = run(h, ['--name', 'A', '--', ...timed(out, 'A', '0.3')]);
  const af = run(h, ['--name', 'Af', '--', 'sh', '-c', 'sleep 0.3; exit 1']);
  const b = run(h, ['--after', af, '--', ...timed(out, 'B', '0')]);
  const cc = run(h, ['--after', b, '--', ...timed(out, 'C', '0')]);
  killLinger(h);
  // wait: the dependents end by the wrapper's advance step alone.
  const w = cliSync(h, ['wait', cc]);
  assert.equal(w.code, 1);
  assert.match(w.stderr, /was cancelled: dependency \S+ was cancelled/);
  const rb = show(h, b);
  assert.equal(rb.state, 'cancelled');
  assert.equal(rb.cancelReason, `dependency ${af} (Af) exited 1`);
  assert.equal(show(h, cc).state, 'cancelled');
  assert.ok(!existsSync(join(out, 'B.s')) && !existsSync(join(out, 'C.s')), 'B and C never started');
  // The control: A exits 0 → B runs, after A's end.
  const b2 = run(h, ['--after', a, '--', ...timed(out, 'B2', '0')]);
  killLinger(h);
  await until('B2 to end', () => ended(out, ['A', 'B2']), 30_000);
  const [sa, sb] = spans(out, ['A', 'B2']);
  assert.ok(sb.s >= sa.e, `B2 started ${sb.s} before A ended ${sa.e}`);
  assert.equal(show(h, b2).state, 'exited');
});

test('20 jobs ending in the same second under a limit of 3: never a 4th', async () => {
  const h = home();
  const out = outDir(h);
  const gate = join(h, 'gate');
  // 20 running jobs of the group, each waiting for the same file, then a limit of 3 and 20 more queued.
  const first = Array.from({ length: 20 }, (_, i) => `f${i}`);
  const batch = first.map((n) => JSON.stringify({ argv: timed(out, n, '0', `while [ ! -e ${gate} ]; do sleep 0.05; done; `), group: 'g' })).join('\n');
  assert.equal((await cliWithInput(h, ['run', '--batch'], batch)).code, 0);
  await until('the 20 gated jobs to run', () => first.every((n) => existsSync(join(out, `${n}.s`))), 60_000);
  assert.equal(cliSync(h, ['group', 'set', 'g', '--parallel', '3']).code, 0);
  const second = Array.from({ length: 20 }, (_, i) => `s${i}`);
  const batch2 = second.map((n) => JSON.stringify({ argv: timed(out, n, '0.2'), group: 'g' })).join('\n');
  assert.equal((await cliWithInput(h, ['run', '--batch'], batch2)).code, 0);
  assert.ok(!second.some((n) => existsSync(join(out, `${n}.s`))), 'none of the second 20 starts while 20 run');
  killLinger(h);
  writeFileSync(gate, '');
  await until('all 40 to end', () => ended(out, [...first, ...second]), 90_000);
  const f = spans(out, first);
  const spread = Math.max(...f.map((x) => x.e)) - Math.min(...f.map((x) => x.e));
  assert.ok(spread < 1, `the 20 ended within a second (${spread.toFixed(3)} s)`);
  const all = spans(out, second);
  assert.ok(maxOverlap(all) <= 3, `never more than 3 at once, saw ${maxOverlap(all)}`);
});

test('pause a group, end its running job: nothing new starts; resume: the next starts', async () => {
  const h = home();
  const out = outDir(h);
  const gate = join(h, 'gate');
  assert.equal(cliSync(h, ['group', 'set', 'p', '--parallel', '1']).code, 0);
  const j1 = run(h, ['--group', 'p', '--', ...timed(out, 'one', '0', `while [ ! -e ${gate} ]; do sleep 0.05; done; `)]);
  const j2 = run(h, ['--group', 'p', '--', ...timed(out, 'two', '0')]);
  assert.match(show(h, j2).queue?.reason ?? '', /waiting for a slot in p: 1\/1 running/);
  assert.equal(cliSync(h, ['group', 'pause', 'p']).code, 0);
  assert.match(show(h, j2).queue?.reason ?? '', /group p paused/);
  killLinger(h);
  writeFileSync(gate, '');
  // The first job's end runs the advance step, which its wrapper waits for: once the wrapper is
  // gone the step has run, and the second has still not started.
  const wpid = +readFileSync(join(h, 'jobs', j1, 'wpid'), 'utf8');
  await until('job one to record its end and its wrapper (with the advance step) to finish', () => existsSync(join(h, 'jobs', j1, 'exit')) && !existsSync(`/proc/${wpid}`), 30_000);
  assert.ok(!existsSync(join(out, 'two.s')), 'nothing starts in a paused group');
  assert.equal(show(h, j2).state, 'queued');
  const ls = cliSync(h, ['group', 'ls']);
  assert.match(ls.stdout, /p\s+1\s+paused\s+0\s+1/);
  assert.equal(cliSync(h, ['group', 'resume', 'p']).code, 0);
  await until('job two to run after resume', () => ended(out, ['two']), 30_000);
});

test('kill and rm of a queued job, restart of a cancelled one, wait through the queue, unknown dependency refused', async () => {
  const h = home();
  const out = outDir(h);
  const gate = join(h, 'gate');
  assert.equal(cliSync(h, ['group', 'set', 'k', '--parallel', '1']).code, 0);
  run(h, ['--group', 'k', '--', ...timed(out, 'hold', '0', `while [ ! -e ${gate} ]; do sleep 0.05; done; `)]);
  const q1 = run(h, ['--group', 'k', '--', ...timed(out, 'q1', '0')]);
  const dep = run(h, ['--after', q1, '--', ...timed(out, 'dep', '0')]);
  const q2 = run(h, ['--group', 'k', '--', ...timed(out, 'q2', '0')]);
  const q3 = run(h, ['--group', 'k', '--', ...timed(out, 'q3', '0')]);
  // kill of a queued job: cancelled at once, its dependent too.
  const k = cliSync(h, ['kill', q1]);
  assert.equal(k.code, 0, k.stderr);
  assert.equal(show(h, q1).state, 'cancelled');
  assert.equal(show(h, q1).cancelReason, 'killed before it started');
  assert.equal(show(h, dep).cancelReason, `dependency ${q1} was cancelled`);
  // rm of a queued job: it goes (it never ran).
  const rm = cliSync(h, ['rm', q2]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(cliSync(h, ['show', q2]).code, 1);
  // wait on a queued job waits through the queue.
  const waiting = cli(h, ['wait', q3]);
  writeFileSync(gate, '');
  assert.equal((await waiting).code, 0);
  assert.ok(existsSync(join(out, 'q3.e')));
  assert.ok(!existsSync(join(out, 'q1.s')) && !existsSync(join(out, 'q2.s')) && !existsSync(join(out, 'dep.s')));
  // restart of a cancelled job runs it (its ended dependency is dropped).
  const rs = cliSync(h, ['restart', dep]);
  assert.equal(rs.code, 0, rs.stderr);
  assert.equal(cliSync(h, ['wait', rs.stdout.trim()]).code, 0);
  assert.ok(existsSync(join(out, 'dep.e')));
  // An unknown dependency: refused at submission, one line, nothing queued.
  const before = readdirSync(join(h, 'jobs')).length;
  const bad = cliSync(h, ['run', '--after', 'nosuchjob', '--', 'true']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'linger: --after: no such job: nosuchjob\n');
  assert.equal(readdirSync(join(h, 'jobs')).length, before);
});

test('a running job lost without an exit record (as at a reboot): the queue stays queued, never half-started; the next linger command moves it on', async () => {
  const h = home();
  const out = outDir(h);
  assert.equal(cliSync(h, ['group', 'set', 'r', '--parallel', '1']).code, 0);
  const blocker = run(h, ['--group', 'r', '--', 'sleep', '600']);
  const next = run(h, ['--group', 'r', '--', ...timed(out, 'next', '0')]);
  const ok = run(h, ['--after', blocker, '--', ...timed(out, 'ok', '0')]);
  const any = run(h, ['--after-any', blocker, '--', ...timed(out, 'any', '0')]);
  killLinger(h);
  // SIGKILL the wrapper and the job: nothing records the end, so no advance step runs.
  const wpid = +(await until('the blocker to report', () => { try { return readFileSync(join(h, 'jobs', blocker, 'wpid'), 'utf8'); } catch { return null; } }));
  for (const p of allProcs().filter((x) => x.pgid === wpid)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  await until('the blocker\'s processes to be gone', () => !allProcs().some((x) => x.pgid === wpid));
  for (const id of [next, ok, any]) assert.equal(JSON.parse(readFileSync(join(h, 'jobs', id, 'job.json'), 'utf8')).state, 'queued', 'still queued: nothing ran the advance step');
  assert.ok(!existsSync(join(out, 'next.s')));
  // Any linger command advances: the blocker is lost, its slot free, its dependents settled.
  const ls = cliSync(h, ['ls']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.equal(show(h, blocker).state, 'lost');
  assert.equal(show(h, ok).cancelReason, `dependency ${blocker} was lost`);
  await until('the next job and the --after-any one to run', () => ended(out, ['next', 'any']), 30_000);
  assert.ok(!existsSync(join(out, 'ok.s')));
});

test('run --batch: names of earlier lines as dependencies, ids printed in order; a bad line submits nothing', async () => {
  const h = home();
  const out = outDir(h);
  const lines = [
    { argv: timed(out, 'build', '0.2'), name: 'build' },
    { argv: timed(out, 'test', '0'), name: 'test', after: ['build'] },
    { argv: ['sh', '-c', 'exit 4'], name: 'bad' },
    { argv: timed(out, 'never', '0'), after: ['bad'] },
  ];
  const r = await cliWithInput(h, ['run', '--batch'], lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  assert.equal(r.code, 0, r.stderr);
  const ids = r.stdout.trim().split('\n');
  assert.equal(ids.length, 4);
  assert.deepEqual(show(h, ids[1]).queue?.after, [ids[0]]);
  assert.equal(cliSync(h, ['wait', ids[1]]).code, 0);
  const [sb, st] = spans(out, ['build', 'test']);
  assert.ok(st.s >= sb.e);
  assert.equal(cliSync(h, ['wait', ids[3]]).code, 1);
  assert.equal(show(h, ids[3]).cancelReason, `dependency ${ids[2]} (bad) exited 4`);
  const before = readdirSync(join(h, 'jobs')).length;
  const bad = await cliWithInput(h, ['run', '--batch'], `{"argv": ["true"]}\n{"argv": "true"}\n`);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /line 2: "argv" must be a non-empty array/);
  assert.equal(readdirSync(join(h, 'jobs')).length, before);
});

function cliWithInput(h: string, args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LINGER_HOME: h, LINGER_DEBUG: '' } });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (code) => res({ code, stdout, stderr }));
    c.stdin.end(input);
  });
}
