// JobsWatcher: debounced change signal from fs.watch, the polling fallback for a directory that
// appears later, and ignored paths (growing logs) that never trigger.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { JobsWatcher } from '../../server/jobsWatcher';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a burst of writes gives one debounced change', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linger-watch-'));
  let n = 0;
  const w = new JobsWatcher(dir, () => { n++; }, { debounceMs: 80, pollMs: 10_000 });
  w.start();
  try {
    for (let i = 0; i < 10; i++) writeFileSync(path.join(dir, `f${i}`), 'x');
    await sleep(400);
    assert.equal(n, 1);
  } finally { w.dispose(); rmSync(dir, { recursive: true, force: true }); }
});

test('ignored paths do not trigger; a directory created later is found by polling', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'linger-watch-'));
  const dir = path.join(root, 'jobs');
  const log = path.join(dir, 'out.log');
  let n = 0;
  const w = new JobsWatcher(dir, () => { n++; }, { debounceMs: 30, pollMs: 100, ignore: (p) => p === log });
  w.start();
  try {
    await sleep(150);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'rec.json'), '{}');
    await sleep(500);
    assert.ok(n >= 1, 'change seen after the directory appeared');
    const before = n;
    for (let i = 0; i < 5; i++) { appendFileSync(log, 'line\n'); await sleep(40); }
    await sleep(300);
    assert.equal(n, before, 'log growth is not a job change');
  } finally { w.dispose(); rmSync(root, { recursive: true, force: true }); }
});

test('one watcher per job directory (not per file); a file changing inside a job dir triggers', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linger-watch-'));
  for (let i = 0; i < 5; i++) {
    mkdirSync(path.join(dir, `job${i}`));
    for (let k = 0; k < 8; k++) writeFileSync(path.join(dir, `job${i}`, `f${k}`), 'x');
  }
  let n = 0;
  const w = new JobsWatcher(dir, () => { n++; }, { debounceMs: 30, pollMs: 10_000 });
  w.start();
  try {
    assert.equal(w.watcherCount, 6);
    writeFileSync(path.join(dir, 'job3', 'exit'), '0');
    await sleep(300);
    assert.equal(n, 1);
    mkdirSync(path.join(dir, 'job9'));
    await sleep(300);
    assert.equal(w.watcherCount, 7);
    rmSync(path.join(dir, 'job0'), { recursive: true });
    await sleep(300);
    assert.equal(w.watcherCount, 6);
  } finally { w.dispose(); rmSync(dir, { recursive: true, force: true }); }
});

test('a steady stream of events does not postpone the check forever (bounded debounce); control: unbounded it would', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linger-watch-'));
  const counts: number[] = [];
  for (const maxWaitMs of [320, Infinity]) {
    let n = 0;
    const w = new JobsWatcher(dir, () => { n++; }, { debounceMs: 80, maxWaitMs, pollMs: 10_000 });
    w.start();
    try {
      // A new job's log written every 40 ms (the agent learns its name only from the next list).
      for (let i = 0; i < 25; i++) { appendFileSync(path.join(dir, 'log'), 'line\n'); await sleep(40); }
      counts.push(n);
    } finally { w.dispose(); }
  }
  rmSync(dir, { recursive: true, force: true });
  assert.ok(counts[0]! >= 1, `bounded: checked during the stream (${counts[0]} times)`);
  assert.equal(counts[1], 0, 'unbounded: never checked while the stream went on');
});
