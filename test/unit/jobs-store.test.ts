// Job store: atomic private writes, id reservation, corrupt-record tolerance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, writeAtomic, type StoredJob } from '../../core/jobs/store';
import { Engine, readLogFiles } from '../../core/jobs/engine';
import type { JobRecord } from '../../core/jobs/types';

function tmp(): string { return mkdtempSync(join(tmpdir(), 'linger-unit-')); }

function rec(id: string, over: Partial<JobRecord> = {}): StoredJob {
  return {
    record: { id, name: null, argv: ['true'], shell: false, cwd: '/', env: {}, backend: 'setsid', state: 'exited', exitCode: 0, signal: null,
      pid: null, pgid: null, startedAt: new Date().toISOString(), endedAt: null, logPath: '', session: '', restartOf: null, ...over },
    internal: { leaderPid: null, leaderStart: null, backendBin: null, socket: null, requested: 'auto' },
  };
}

test('ensure creates 0700 dirs and tightens a loose existing one', () => {
  const t = tmp();
  try {
    const home = join(t, 'h');
    mkdirSync(home, { mode: 0o755 }); chmodSync(home, 0o755);
    const s = new Store(home);
    s.ensure();
    assert.equal(statSync(home).mode & 0o777, 0o700);
    assert.equal(statSync(s.jobsDir).mode & 0o777, 0o700);
  } finally { rmSync(t, { recursive: true, force: true }); }
});

test('writeAtomic writes 0600 and leaves no temp files', () => {
  const t = tmp();
  try {
    const p = join(t, 'f.json');
    const old = process.umask(0);
    try { writeAtomic(p, 'one'); writeAtomic(p, 'two'); } finally { process.umask(old); }
    assert.equal(statSync(p).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(t), ['f.json']);
  } finally { rmSync(t, { recursive: true, force: true }); }
});

test('reserve gives unique time-sortable ids, job dirs 0700', () => {
  const t = tmp();
  try {
    const s = new Store(t); s.ensure();
    const ids = Array.from({ length: 200 }, () => s.reserve());
    assert.equal(new Set(ids.map((x) => x.id)).size, 200);
    for (const x of ids.slice(0, 5)) assert.equal(statSync(x.dir).mode & 0o777, 0o700);
    const sorted = [...ids.map((x) => x.id.slice(0, 8))].sort();
    assert.deepEqual(ids.map((x) => x.id.slice(0, 8)), sorted);
  } finally { rmSync(t, { recursive: true, force: true }); }
});

test('a corrupt job.json affects only that job', async () => {
  const t = tmp();
  try {
    const s = new Store(t); s.ensure();
    const a = s.reserve(); s.write(rec(a.id));
    const b = s.reserve(); writeFileSync(join(b.dir, 'job.json'), '{"id": broken');
    const c = s.reserve(); s.write(rec(c.id, { name: 'third' }));
    const { jobs, bad } = s.readAll();
    assert.deepEqual(jobs.map((j) => j.record.id).sort(), [a.id, c.id].sort());
    assert.equal(bad.length, 1); assert.equal(bad[0].id, b.id);
    const e = new Engine({ home: t });
    const list = await e.list();
    assert.equal(list.length, 2);
    assert.equal((await e.get('third')).id, c.id);
    await assert.rejects(e.get(b.id), /unreadable/);
  } finally { rmSync(t, { recursive: true, force: true }); }
});

test('records round-trip and internal fields stay out of the public record', () => {
  const t = tmp();
  try {
    const s = new Store(t); s.ensure();
    const a = s.reserve();
    const j = rec(a.id, { argv: ['a b', '', '\n', 'ü'], env: { K: 'v' } });
    s.write(j);
    const back = s.read(a.id);
    assert.deepEqual(back.record, j.record);
    assert.ok(!('internal' in back.record));
  } finally { rmSync(t, { recursive: true, force: true }); }
});

test('readLogFiles reads log.1 + log as one stream: ranges and tails across the rotation point', () => {
  const t = tmp();
  try {
    const a = join(t, 'log.1'), b = join(t, 'log');
    writeFileSync(a, 'one\ntwo\nthr');
    writeFileSync(b, 'ee\nfour\n');
    const text = (o: Parameters<typeof readLogFiles>[1], files = [a, b]) => { const c = readLogFiles(files, o); return { text: c.data.toString('latin1'), size: c.size }; };
    assert.deepEqual(text({}), { text: 'one\ntwo\nthree\nfour\n', size: 19 });
    assert.equal(text({ fromByte: 10 }).text, 'ree\nfour\n');
    assert.equal(text({ tailLines: 2 }).text, 'three\nfour\n');
    assert.equal(text({ tailLines: 10 }).text, 'one\ntwo\nthree\nfour\n');
    assert.equal(text({ tailLines: 0 }).text, '');
    assert.deepEqual(text({}, [join(t, 'nope'), b]), { text: 'ee\nfour\n', size: 8 });
  } finally { rmSync(t, { recursive: true, force: true }); }
});

test('a reservation abandoned by a killed `run` is cleaned up, a fresh one is left alone', () => {
  const t = tmp();
  try {
    const s = new Store(t); s.ensure();
    const old = s.reserve();
    const fresh = s.reserve();
    const long = (Date.now() - 60_000) / 1000;
    utimesSync(old.dir, long, long);
    const { jobs, bad } = s.readAll();
    assert.deepEqual(jobs, []);
    assert.deepEqual(bad, [], 'no "unreadable" warning for either');
    assert.equal(existsSync(old.dir), false, 'the abandoned reservation is removed');
    assert.equal(existsSync(fresh.dir), true, 'a job being created right now is kept');
  } finally { rmSync(t, { recursive: true, force: true }); }
});
