// ProgressTracker on real files: it reads what a log grew by (never more than the parser's tail),
// keeps the last progress through output without any, starts over on a rotation, and forgets
// jobs that stopped running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROGRESS_TAIL_BYTES } from '../../core/jobs/progress';
import { ProgressTracker, progressOfDir, readLogTail } from '../../core/jobs/progressReader';
import type { JobRecord } from '../../core/jobs/types';

function setup(): { root: string; dir: string; tracker: ProgressTracker; job: JobRecord; done(): void } {
  const root = mkdtempSync(join(tmpdir(), 'linger-progress-'));
  const dir = join(root, 'j1');
  mkdirSync(dir);
  const tracker = new ProgressTracker((id) => join(root, id));
  const job = { id: 'j1', state: 'running' } as JobRecord;
  return { root, dir, tracker, job, done: () => rmSync(root, { recursive: true, force: true }) };
}

test('reads only the growth, at most the tail, and keeps the last progress through other output', () => {
  const { dir, tracker, job, done } = setup();
  try {
    writeFileSync(join(dir, 'log'), 'step 1/10\r\n');
    assert.equal(tracker.update([job]), true);
    assert.equal(tracker.get('j1')?.fraction, 0.1);
    const first = tracker.bytesRead;
    // Nothing new: nothing read, nothing changed.
    assert.equal(tracker.update([job]), false);
    assert.equal(tracker.bytesRead, first);
    // 2 MB without progress: the last progress stays, and at most the tail was read.
    appendFileSync(join(dir, 'log'), Buffer.alloc(2 * 1024 * 1024, 'x\r\n'));
    assert.equal(tracker.update([job]), false);
    assert.equal(tracker.get('j1')?.fraction, 0.1);
    assert.ok(tracker.bytesRead - first <= PROGRESS_TAIL_BYTES, `read ${tracker.bytesRead - first} bytes for 2 MB of growth`);
    appendFileSync(join(dir, 'log'), 'step 4/10\r\n');
    assert.equal(tracker.update([job]), true);
    assert.equal(tracker.get('j1')?.fraction, 0.4);
  } finally { done(); }
});

test('an update written in two pieces is read whole (the partial end is carried)', () => {
  const { dir, tracker, job, done } = setup();
  try {
    writeFileSync(join(dir, 'log'), '\rtrain:  10%|█         | 10/100 [00:01<00:09, 9.9it/s]\rtrain:  20%|██        | 2');
    tracker.update([job]);
    appendFileSync(join(dir, 'log'), '0/100 [00:02<00:08, 9.9it/s]');
    tracker.update([job]);
    assert.deepEqual({ f: tracker.get('j1')?.fraction, eta: tracker.get('j1')?.eta, src: tracker.get('j1')?.source }, { f: 0.2, eta: 8, src: 'tqdm' });
  } finally { done(); }
});

test('a rotation (log moved to log.1, a new log) starts over from the new tail', () => {
  const { dir, tracker, job, done } = setup();
  try {
    writeFileSync(join(dir, 'log'), `${'x'.repeat(5000)}\nEpoch 2/10\n`);
    tracker.update([job]);
    assert.equal(tracker.get('j1')?.fraction, 0.2);
    renameSync(join(dir, 'log'), join(dir, 'log.1'));
    writeFileSync(join(dir, 'log'), 'Epoch 3/10\n');
    assert.equal(tracker.update([job]), true);
    assert.equal(tracker.get('j1')?.fraction, 0.3);
  } finally { done(); }
});

test('jobs that are not running are not read, and are forgotten; records get progress only while running', () => {
  const { dir, tracker, job, done } = setup();
  try {
    writeFileSync(join(dir, 'log'), '42%\n');
    tracker.update([job]);
    const [withP] = tracker.attach([job]);
    assert.equal(withP!.progress?.fraction, 0.42);
    const ended = { ...job, state: 'exited' } as JobRecord;
    assert.equal(tracker.update([ended]), true);
    assert.equal(tracker.get('j1'), null);
    assert.equal(tracker.attach([{ ...ended, progress: withP!.progress }])[0]!.progress, undefined);
    // Control: a job with no log at all has none.
    assert.equal(tracker.update([{ ...job, id: 'nolog' } as JobRecord]), false);
  } finally { done(); }
});

test('one-off tail: log.1 + log as one stream; a planted link is not followed', () => {
  const { root, dir, done } = setup();
  try {
    writeFileSync(join(dir, 'log.1'), 'Epoch 7/10\n');
    writeFileSync(join(dir, 'log'), 'x\n');
    assert.equal(readLogTail(dir).toString(), 'Epoch 7/10\nx\n');
    assert.equal(progressOfDir(dir)?.fraction, 0.7);
    writeFileSync(join(root, 'secret'), 'Epoch 9/10\n');
    rmSync(join(dir, 'log.1'));
    rmSync(join(dir, 'log'));
    symlinkSync(join(root, 'secret'), join(dir, 'log'));
    assert.equal(progressOfDir(dir), null);
  } finally { done(); }
});
