// The job's state machine on fixtures: records as earlier versions wrote them (test/fixtures/jobs,
// one per backend and state, with the wrapper's files), a process table we choose, and
// deriveState. Also: those records keep loading through the store, new ones carry their version.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { deriveState, START_TIMEOUT_MS, startSettled, type ProcessTable } from '../../core/jobs/derive';
import { exitStatus, failed, isFinished, jobState } from '../../core/jobs/state';
import { parseRecord, RECORD_VERSION, Store, type StoredJob } from '../../core/jobs/store';
import { readWrapperFiles, type WrapperFiles } from '../../core/jobs/wrapper';

const FIXTURES = join(__dirname, '..', 'fixtures', 'jobs');
const v1 = join(FIXTURES, 'v1');
const names = readdirSync(v1).sort();
const load = (name: string): { job: StoredJob; files: WrapperFiles } => {
  const text = readFileSync(join(v1, name, 'job.json'), 'utf8');
  const job = parseRecord(text, (JSON.parse(text) as { id: string }).id);
  return { job, files: readWrapperFiles(join(v1, name)) };
};

/** A process table holding exactly these pids, each started at tick 1000. */
function table(...alive: number[]): ProcessTable {
  const set = new Set(alive);
  return { startTime: (p) => (set.has(p) ? 1000 : null), isAlive: (p, s) => set.has(p) && (s === null || s === 1000), holdsArg: () => false };
}
const NOW = Date.parse('2027-01-01T00:00:00Z');

const tmp = mkdtempSync(join(tmpdir(), 'linger-state-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('fixtures: one record per backend and state, as v1 wrote them', () => {
  assert.deepEqual(names, ['screen', 'setsid', 'tmux'].flatMap((b) => ['exited', 'killed', 'lost', 'running'].map((s) => `${b}-${s}`)));
});

test('v1 records load through the store with their states, exit codes and signals', () => {
  const home = join(tmp, 'home');
  const store = new Store(home);
  store.ensure();
  for (const n of names) {
    const id = (JSON.parse(readFileSync(join(v1, n, 'job.json'), 'utf8')) as { id: string }).id;
    cpSync(join(v1, n), store.dir(id), { recursive: true });
  }
  const { jobs, bad } = store.readAll();
  assert.deepEqual(bad, []);
  assert.equal(jobs.length, names.length);
  for (const { record: r } of jobs) {
    const [backend, state] = r.name!.split('-');
    assert.equal(r.backend, backend);
    assert.equal(r.state, state);
    assert.equal(jobState(r).kind, state);
    assert.equal((r as unknown as Record<string, unknown>).v, undefined, 'the format version is not part of the record');
  }
  const byName = new Map(jobs.map((j) => [j.record.name, j.record]));
  for (const b of ['tmux', 'screen', 'setsid']) {
    assert.equal(exitStatus(byName.get(`${b}-exited`)!), 3);
    assert.equal(exitStatus(byName.get(`${b}-killed`)!), 143);
    assert.equal(exitStatus(byName.get(`${b}-lost`)!), null);
    assert.equal(exitStatus(byName.get(`${b}-running`)!), null);
    assert.ok(failed(byName.get(`${b}-exited`)!) && failed(byName.get(`${b}-killed`)!) && failed(byName.get(`${b}-lost`)!));
    assert.ok(!isFinished(byName.get(`${b}-running`)!));
  }
});

test('new records carry the format version; a newer format is unreadable, not misread', () => {
  const home = join(tmp, 'home2');
  const store = new Store(home);
  store.ensure();
  const { job } = load('tmux-exited');
  const { dir } = { dir: store.dir(job.record.id) };
  cpSync(join(v1, 'tmux-exited'), dir, { recursive: true });
  store.write(job);
  const raw = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(raw.v, RECORD_VERSION);
  assert.deepEqual(store.read(job.record.id), job);
  writeFileSync(join(dir, 'job.json'), JSON.stringify({ ...raw, v: RECORD_VERSION + 1 }));
  assert.throws(() => store.read(job.record.id), /newer/);
  assert.equal(store.readAll().bad.length, 1);
});

for (const b of ['tmux', 'screen', 'setsid']) {
  test(`${b}: a running job with its processes alive fills in the pids the wrapper reported`, () => {
    const { job, files } = load(`${b}-running`);
    const d = deriveState(job, files, table(files.wpid!, files.cpid!, ...(files.opid ? [files.opid] : [])), NOW);
    const r = d.job.record;
    assert.equal(r.state, 'running');
    assert.equal(r.pid, files.cpid);
    assert.equal(r.pgid, files.wpid);
    // setsid: the outer wrapper bounds the job's life and names its session.
    const leader = b === 'setsid' ? files.opid : files.wpid;
    assert.equal(d.job.internal.leaderPid, leader);
    assert.equal(d.job.internal.leaderStart, 1000);
    if (b === 'setsid') assert.equal(r.session, String(files.opid));
    assert.ok(d.changed);
    assert.ok(startSettled(d));
    assert.equal(job.record.pid, null, 'the input is not mutated');
    // Nothing new: nothing to write.
    assert.equal(deriveState(d.job, { ...files, cpid: null, wpid: null, opid: null }, table(leader!), NOW).changed, false);
  });

  test(`${b}: a running job whose processes vanished without an exit record is lost, with a reason`, () => {
    const { job, files } = load(`${b}-running`);
    const d = deriveState(job, files, table(), NOW);
    assert.equal(d.job.record.state, 'lost');
    assert.equal(d.job.record.endedAt, new Date(NOW).toISOString());
    const s = jobState(d.job.record);
    assert.ok(s.kind === 'lost' && /vanished/.test(s.reason));
  });

  test(`${b}: the wrapper's exit record settles a running job (a bare 128+N is ambiguous, not a signal)`, () => {
    const { job, files } = load(`${b}-running`);
    const at = Date.parse('2026-12-07T20:00:00Z');
    const exited = deriveState(job, { ...files, exit: { code: 7, signal: null, at } }, table(), NOW).job.record;
    assert.deepEqual([exited.state, exited.exitCode, exited.signal, exited.endedAt, exited.exitAmbiguous], ['exited', 7, null, new Date(at).toISOString(), undefined]);
    const killed = deriveState(job, { ...files, exit: { code: null, signal: 'SIGTERM', at } }, table(), NOW).job.record;
    assert.deepEqual([killed.state, killed.exitCode, killed.signal], ['killed', null, 'SIGTERM']);
    const ambiguous = deriveState(job, { ...files, exit: { code: 143, signal: null, ambiguous: true, at } }, table(), NOW).job.record;
    assert.deepEqual([ambiguous.state, ambiguous.exitCode, ambiguous.signal, ambiguous.exitAmbiguous], ['exited', 143, null, true]);
    const s = jobState(ambiguous);
    assert.ok(s.kind === 'exited' && s.ambiguous === true && s.code === 143);
    assert.equal(exitStatus(ambiguous), 143);
    // The v1 fixture's exit file is a wrapper-before-issue-11's bare "143": it could not tell an
    // exit 143 from SIGTERM, so it reads as that ambiguous exit (its job.json, settled then, still says killed).
    const fromFile = load(`${b}-killed`).files.exit;
    assert.deepEqual([fromFile?.code, fromFile?.signal, fromFile && 'ambiguous' in fromFile && fromFile.ambiguous], [143, null, true]);
    assert.equal(load(`${b}-killed`).job.record.signal, 'SIGTERM');
  });

  test(`${b}: finished records never change`, () => {
    for (const s of ['exited', 'killed', 'lost']) {
      const { job, files } = load(`${b}-${s}`);
      const d = deriveState(job, files, table(), NOW);
      assert.equal(d.changed, false);
      assert.equal(d.job, job);
    }
  });
}

test('a job whose wrapper has not reported is starting while young, lost when old', () => {
  const { job } = load('screen-running');
  const none: WrapperFiles = { dir: join(v1, 'screen-running'), wpid: null, cpid: null, opid: null, exit: null };
  const start = Date.parse(job.record.startedAt);
  const young = deriveState(job, none, table(), start + 10);
  assert.equal(young.job.record.state, 'running');
  assert.equal(young.changed, false);
  assert.equal(startSettled(young), false);
  const old = deriveState(job, none, table(), start + START_TIMEOUT_MS * 2 + 1);
  assert.equal(old.job.record.state, 'lost');
  assert.ok(startSettled(old));
  // Past the grace, a wrapper process still holding the job dir keeps it starting, never lost.
  const slow = deriveState(job, none, { ...table(), holdsArg: (d) => d === none.dir }, start + START_TIMEOUT_MS * 2 + 1);
  assert.equal(slow.job.record.state, 'running');
});

test('a reused pid is not the job: the leader start time must match', () => {
  const { job, files } = load('tmux-running');
  const leader = { ...job, internal: { ...job.internal, leaderPid: files.wpid, leaderStart: 999 } };
  assert.equal(deriveState(leader, files, table(files.wpid!), NOW).job.record.state, 'lost');
});
