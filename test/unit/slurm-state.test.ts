// Slurm state mapping on output captured from a real slurmctld (test/fixtures/slurm/README.md).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JobRecord } from '../../core/jobs/types';
import { sbatchArgv, validateSlurmOptions } from '../../core/jobs/slurm/submit';
import { GONE_GRACE_MS, notesVerdict, settleArray, settleSlurm } from '../../core/jobs/slurm/settle';
import { decodeExitRecord, expandArraySpec, fromWaitStatus, parseAcct, parseQueue, verdict } from '../../core/jobs/slurm/state';

/** An exit record as older wrappers wrote it (a bare sh status). */
const own = (rc: number | null) => (rc === null ? null : decodeExitRecord(rc));
import type { Snapshot } from '../../core/jobs/slurm/poll';

const fx = (n: string) => readFileSync(join(__dirname, '..', 'fixtures', 'slurm', n), 'utf8');
const byId = <T extends { jobId: string }>(rows: T[]) => new Map(rows.map((r) => [r.jobId, r]));

test('squeue rows parse: state, reason, raw wait status, node, times, our name', () => {
  const q = byId(parseQueue(fx('squeue-1.txt')));
  assert.equal(q.size, 3);
  assert.deepEqual(q.get('3'), { jobId: '3', arrayJobId: '3', arrayTaskId: null, state: 'PENDING', reason: 'JobHeldUser', waitStatus: 0, node: null, elapsed: '0:00', limit: 'UNLIMITED', partition: 'debug', name: 'linger-cccc' });
  assert.equal(q.get('2')!.reason, null, "'None' is no reason");
  assert.deepEqual(fromWaitStatus(q.get('4')!.waitStatus), { exitCode: 0, signal: 125 });
});

test('squeue states map: PENDING→queued with reason, RUNNING→running, CANCELLED→killed, OUT_OF_MEMORY→killed', () => {
  const v = (file: string, id: string, exitRecord: number | null = null) => {
    const r = byId(parseQueue(fx(file))).get(id)!;
    return verdict(r.state, r.reason, fromWaitStatus(r.waitStatus), own(exitRecord));
  };
  assert.deepEqual(v('squeue-1.txt', '3'), { state: 'queued', exitCode: null, signal: null, reason: 'JobHeldUser', final: false });
  assert.equal(v('squeue-1.txt', '2').state, 'running');
  assert.equal(v('squeue-1.txt', '2').final, false);
  assert.deepEqual(v('squeue-2.txt', '2'), { state: 'killed', exitCode: null, signal: 15, reason: 'CANCELLED', final: true });
  assert.deepEqual(v('squeue-1.txt', '4'), { state: 'killed', exitCode: null, signal: 9, reason: 'OUT_OF_MEMORY', final: true });
});

test('squeue finals: FAILED 7 (wait status 7<<8), COMPLETED, TIMEOUT, CANCELLED while pending, OUT_OF_MEMORY', () => {
  const rows = parseQueue(fx('squeue-3.txt'));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const v = (n: string, exitRecord: number | null = null) => { const r = byName.get(n)!; return verdict(r.state, r.reason, fromWaitStatus(r.waitStatus), own(exitRecord)); };
  assert.deepEqual(v('linger-exit7'), { state: 'exited', exitCode: 7, signal: null, reason: null, final: true });
  assert.deepEqual(v('linger-ok'), { state: 'exited', exitCode: 0, signal: null, reason: null, final: true });
  assert.deepEqual(v('linger-timeout', 143), { state: 'killed', exitCode: null, signal: 15, reason: 'TIMEOUT', final: true });
  assert.equal(byName.get('linger-timeout')!.elapsed, '1:16');
  assert.equal(byName.get('linger-timeout')!.limit, '1:00');
  assert.deepEqual(v('linger-pendcancel'), { state: 'killed', exitCode: null, signal: 15, reason: 'CANCELLED', final: true });
  assert.equal(v('linger-oom', 137).reason, 'OUT_OF_MEMORY');
});

test('sacct rows: "CANCELLED by UID" and ExitCode code:signal', () => {
  const a = byId(parseAcct(fx('sacct-1.txt')));
  assert.equal(a.get('1')!.exitCode, 7);
  const c = a.get('2')!;
  assert.deepEqual(verdict(c.state, c.reason, c, null, true).reason, 'CANCELLED');
  const f = a.get('1')!;
  assert.deepEqual(verdict(f.state, f.reason, f, null, true), { state: 'exited', exitCode: 7, signal: null, reason: null, final: true });
  const oom = a.get('4')!;
  assert.equal(verdict(oom.state, oom.reason, oom, null, true).reason, 'OUT_OF_MEMORY');
});

test('not final until shown otherwise: PREEMPTED/REQUEUED/COMPLETING/SUSPENDED; unknown is never success', () => {
  for (const s of ['PREEMPTED', 'COMPLETING', 'SUSPENDED']) assert.equal(verdict(s, null, { exitCode: null, signal: null }, null).final, false, s);
  assert.equal(verdict('REQUEUED', null, { exitCode: null, signal: null }, null).state, 'queued');
  // Gone from the queue, accounting keeps PREEMPTED: that is the end, and not a success.
  assert.deepEqual(verdict('PREEMPTED', null, { exitCode: 0, signal: 0 }, null, true), { state: 'lost', exitCode: null, signal: null, reason: 'PREEMPTED', final: true });
  assert.equal(verdict('NODE_FAIL', null, { exitCode: 0, signal: 0 }, null).state, 'lost');
  const u = verdict('SOMETHING_NEW', null, { exitCode: 0, signal: 0 }, null);
  assert.equal(u.final, false);
  assert.notEqual(u.state, 'exited');
  // FAILED with code 0 (a launch failure) is not "exited 0".
  assert.equal(verdict('FAILED', 'JobLaunchFailure', { exitCode: 0, signal: 0 }, null).state, 'lost');
  // The wrapper's record wins for the code; 128+N is the signal N.
  assert.deepEqual(verdict('FAILED', 'NonZeroExitCode', { exitCode: 143, signal: 0 }, own(143)), { state: 'killed', exitCode: null, signal: 15, reason: null, final: true });
  // TIMEOUT stays TIMEOUT even though the wrapper recorded the TERM it caused.
  assert.equal(verdict('TIMEOUT', 'TimeLimit', { exitCode: 0, signal: 15 }, own(143)).reason, 'TIMEOUT');
});

test("slurmstepd's notes in our output file name the end when the controller has forgotten the job", () => {
  assert.equal(notesVerdict(fx('slurm-out-cancel.txt')), 'CANCELLED');
  assert.equal(notesVerdict(fx('slurm-out-timeout.txt')), 'TIMEOUT');
  assert.equal(notesVerdict(fx('slurm-out-oom.txt')), 'OUT_OF_MEMORY');
  assert.equal(notesVerdict('slurmstepd-vm: error: *** JOB 12 ON vm CANCELLED AT 2026-12-07T19:45:27 DUE TO TIME LIMIT ***\n'), 'TIMEOUT');
  assert.equal(notesVerdict('slurmstepd-vm: error: Detected 1 oom-kill event(s) in StepId=28.batch. Some of your processes may have been killed by the cgroup out-of-memory handler.\n'), 'OUT_OF_MEMORY');
  assert.equal(notesVerdict('hello\n'), null);
});

function record(jobId: string): JobRecord {
  return {
    id: 'abcdefghij', name: null, argv: ['true'], shell: false, cwd: '/', env: {}, backend: 'slurm', state: 'running', exitCode: null, signal: null,
    pid: null, pgid: null, startedAt: new Date().toISOString(), endedAt: null, logPath: '', session: jobId, restartOf: null,
    slurm: { jobId, state: 'RUNNING', reason: null, node: 'vm', elapsed: '0:01', limit: 'UNLIMITED', partition: 'debug', stale: false, options: {} },
  };
}
const snap = (queue: Snapshot['queue'], acct = new Map()): Snapshot => ({ at: Date.now(), queue, error: queue ? null : 'down', acct, covered: new Set(), arrayRows: new Map() });

test('settle: controller down → stale, nothing to write; gone with no word → lost only after the grace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linger-slurm-unit-'));
  try {
    const r = record('2');
    const internal: { slurmGoneSince?: number | null } = {};
    assert.equal(settleSlurm(r, internal, dir, snap(null)), false);
    assert.equal(r.slurm!.stale, true);
    assert.equal(r.state, 'running');
    settleSlurm(r, internal, dir, snap(new Map()));
    assert.equal(r.state, 'running', 'lost at once: a lagging shared file system would make false failures');
    internal.slurmGoneSince = Date.now() - GONE_GRACE_MS - 1;
    settleSlurm(r, internal, dir, snap(new Map()));
    assert.equal(r.state, 'lost');
    // With the exit record (shared home), the job's own code.
    const r2 = record('3');
    writeFileSync(join(dir, 'exit'), '7\n');
    settleSlurm(r2, {}, dir, snap(new Map()));
    assert.deepEqual([r2.state, r2.exitCode], ['exited', 7]);
    // Accounting says TIMEOUT: that wins over the TERM our wrapper recorded.
    const r3 = record('4');
    writeFileSync(join(dir, 'exit'), '143\n');
    settleSlurm(r3, {}, dir, snap(new Map(), byId(parseAcct('4|linger-x|TIMEOUT|0:0|vm|00:01:16|00:01:00|TimeLimit\n'))));
    assert.deepEqual([r3.state, r3.signal, r3.slurm!.reason], ['killed', 'SIGTERM', 'TIMEOUT']);
    // The wrapper's own words: "code 139" is an exit status, not SIGSEGV; "signal 15" a signal.
    const r4 = record('5');
    writeFileSync(join(dir, 'exit'), 'code 139\n');
    settleSlurm(r4, {}, dir, snap(new Map()));
    assert.deepEqual([r4.state, r4.exitCode], ['exited', 139]);
    const r5 = record('6');
    writeFileSync(join(dir, 'exit'), 'signal 15\n\n   \n');
    settleSlurm(r5, {}, dir, snap(new Map()));
    assert.deepEqual([r5.state, r5.signal], ['killed', 'SIGTERM']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('sbatch argv: one element per option, the wrapper as batch script, user argv never on it', () => {
  const a = sbatchArgv({ id: 'abcdefghij', dir: '/h/jobs/abcdefghij', cwd: '/w d', wrapper: '/h/lib/wrap.sh', options: { partition: 'gpu', time: '2:00:00', cpus: 4, mem: '8G', gpus: '1', args: ['--qos=x y'] } });
  assert.deepEqual(a, ['--parsable', '--job-name=linger-abcdefghij', '--comment=linger:abcdefghij', '--output=/h/jobs/abcdefghij/slurm.out', '--open-mode=append', '--chdir=/w d',
    '--partition=gpu', '--time=2:00:00', '--cpus-per-task=4', '--mem=8G', '--gpus=1', '--qos=x y', '/h/lib/wrap.sh', '/h/jobs/abcdefghij', 'slurm', '/h/lib/wrap.sh']);
  assert.throws(() => validateSlurmOptions({ cpus: 0 }), /--cpus wants a positive whole number/);
  assert.throws(() => validateSlurmOptions({ partition: 'a\nb' }), /--partition/);
  assert.throws(() => validateSlurmOptions({ args: ['--array=0-9%2'] }), /give a job array as --array SPEC/);
  assert.throws(() => validateSlurmOptions({ args: ['--output=/tmp/x'] }), /set by Linger/);
  validateSlurmOptions({ args: ['--qos=normal', '--exclusive', '--account=a'] });
});

test('array specs expand to task ids (the %N throttle does not change them); bad ones are refused', () => {
  assert.deepEqual(expandArraySpec('0-3%2'), ['0', '1', '2', '3']);
  assert.deepEqual(expandArraySpec('1,3,5-7'), ['1', '3', '5', '6', '7']);
  assert.deepEqual(expandArraySpec('0-15:4'), ['0', '4', '8', '12']);
  for (const bad of ['', 'x', '3-1', '0-1000000', '1;2', '-1']) assert.equal(expandArraySpec(bad), null, bad);
  assert.throws(() => validateSlurmOptions({ array: '0-x' }), /--array wants task ids/);
});

test('job array: one record, a task each; the pending range row, then started tasks with their own job ids', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linger-slurm-array-'));
  try {
    const r = record('9');
    r.state = 'queued';
    r.slurm!.options = { array: '0-3%2' };
    const snapOf = (file: string): Snapshot => {
      const rows = parseQueue(fx(file));
      const s = snap(byId(rows));
      s.arrayRows.set('9', rows);
      return s;
    };
    settleArray(r, {}, dir, snapOf('squeue-array-1.txt'));
    assert.equal(r.state, 'running');
    assert.deepEqual(r.slurm!.tasks!.map((t) => [t.task, t.state, t.jobId, t.reason]), [['0', 'running', '10', null], ['1', 'running', '11', null], ['2', 'queued', null, 'JobArrayTaskLimit'], ['3', 'queued', null, 'JobArrayTaskLimit']]);
    settleArray(r, {}, dir, snapOf('squeue-array-2.txt'));
    assert.deepEqual(r.slurm!.tasks!.map((t) => [t.task, t.state, t.exitCode, t.jobId]), [['0', 'exited', 0, '10'], ['1', 'exited', 1, '11'], ['2', 'running', null, '12'], ['3', 'running', null, '9']]);
    assert.equal(r.state, 'running');
    // Tasks 2 and 3 gone from the queue; their exit records (and nothing else) settle them.
    for (const [t, rc] of [['2', '2'], ['3', '0']]) { mkdirSync(join(dir, `task-${t}`)); writeFileSync(join(dir, `task-${t}`, 'exit'), `${rc}\n`); }
    settleArray(r, {}, dir, snap(new Map()));
    assert.deepEqual([r.state, r.exitCode], ['exited', 1], 'the first task that failed gives the array its code');
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a dependency never satisfied (pending forever, or cancelled by kill_invalid_depend) is our final cancelled; control: waiting on a dependency stays queued', () => {
  const none = { exitCode: null, signal: null };
  assert.deepEqual(verdict('PENDING', 'DependencyNeverSatisfied', none, null), { state: 'cancelled', exitCode: null, signal: null, reason: 'DependencyNeverSatisfied', final: true });
  assert.equal(verdict('CANCELLED', 'DependencyNeverSatisfied', none, null, true).state, 'cancelled');
  assert.deepEqual(verdict('PENDING', 'Dependency', none, null), { state: 'queued', exitCode: null, signal: null, reason: 'Dependency', final: false });
  assert.match(sbatchArgv({ id: 'abc', dir: '/d', cwd: '/', wrapper: '/w', options: {}, dependency: '--dependency=afterok:12:13' }).join(' '), / --dependency=afterok:12:13 /);
});

test('a record whose sbatch answer is not stored yet is found by its job name: its Slurm id and session from the queue row, its dependency named in the cancel reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linger-slurm-unit-'));
  try {
    // As `linger run` first writes it: before sbatch answered, with the dependencies it asked for.
    const r = record('');
    r.state = 'queued'; r.slurm!.state = null;
    r.queue = { group: null, after: ['parent1234'], afterAny: false, reason: null, submittedAt: r.startedAt };
    // squeue's row for it: the parent already failed when it was submitted.
    const q = byId(parseQueue('42|42|N/A|PENDING|DependencyNeverSatisfied|0|||UNLIMITED|debug|linger-abcdefghij\n'));
    assert.equal(q.size, 1);
    assert.equal(settleSlurm(r, {}, dir, snap(q)), true);
    assert.deepEqual([r.slurm!.jobId, r.session, r.state], ['42', '42', 'cancelled']);
    assert.equal(r.cancelReason, 'dependency parent1234 did not end as required (Slurm: DependencyNeverSatisfied)');
    // Control: another job's row is not taken for it.
    const other = record('');
    other.state = 'queued';
    settleSlurm(other, {}, dir, snap(byId(parseQueue('43|43|N/A|PENDING|DependencyNeverSatisfied|0|||UNLIMITED|debug|linger-zzzzzzzzzz\n'))));
    assert.deepEqual([other.slurm!.jobId, other.session, other.state], ['', '', 'queued']);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
