// The words the view, the status bar and the notifications use for progress, queued and
// cancelled jobs (extension/job_format.ts is pure: no vscode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobRecord } from '../../core/jobs/types';
import { endedNotice, jobDescription, jobIcon, jobTooltip, statusCounts, statusText } from '../../extension/job_format';

const base: JobRecord = {
  id: 'mxdoq49oeu', name: 'train', argv: ['python3', 'train.py'], shell: false, cwd: '/', env: {}, backend: 'tmux',
  state: 'running', exitCode: null, signal: null, pid: 4242, pgid: 4241, startedAt: '2026-12-07T19:50:16.907Z',
  endedAt: null, logPath: '/x/log', session: 'linger-mxdoq49oeu', restartOf: null,
};
const now = Date.parse(base.startedAt) + 125_000;
const progress = { fraction: 0.42, eta: 720, text: 'train: 42% 42/100 [00:10<12:00, 4.1it/s]', source: 'tqdm' };

test('a running job with progress: "42% · ETA 12 min" on its row, a bar in its tooltip; without: its running time (control)', () => {
  const r = { ...base, progress };
  assert.equal(jobDescription(r, now), '42% · ETA 12 min');
  const tip = jobTooltip(r);
  assert.match(tip, /^progress: \[████████░░░░░░░░░░░░\] 42% · ETA 12 min$/m);
  assert.match(tip, /^ {2}train: 42% 42\/100 .* \[tqdm\]$/m);
  assert.match(tip, /^state: running /m);
  assert.equal(jobDescription(base, now), 'running 2m 5s');
  assert.doesNotMatch(jobTooltip(base), /progress:/);
  // A count without a total shows the count.
  assert.equal(jobDescription({ ...base, progress: { fraction: null, eta: null, text: '40it [00:10, 4it/s]' } }, now), '40it [00:10, 4it/s]');
});

test('a queued job shows what it waits for, with a clock (not starting\'s watch)', () => {
  const q: JobRecord = { ...base, state: 'queued', pid: null, pgid: null, queue: { group: 'gpu', after: [], afterAny: false, reason: 'waiting for a slot in gpu: 2/2 running', submittedAt: base.startedAt } };
  assert.equal(jobDescription(q, now), 'queued (waiting for a slot in gpu: 2/2 running)');
  assert.equal(jobIcon(q).id, 'clock');
  assert.notEqual(jobIcon({ ...base, pid: null }).id, 'clock');
  assert.match(jobTooltip(q), /^waiting: waiting for a slot in gpu: 2\/2 running$/m);
  assert.match(jobTooltip(q), /^group: gpu$/m);
});

test('a cancelled dependent shows why, with its own icon', () => {
  const c: JobRecord = { ...base, state: 'cancelled', pid: null, pgid: null, endedAt: base.startedAt, cancelReason: 'dependency mxdoq40000 exited 1', queue: { group: null, after: ['mxdoq40000'], afterAny: false, reason: null, submittedAt: base.startedAt } };
  assert.equal(jobDescription(c, now), 'cancelled (dependency mxdoq40000 exited 1)');
  const icon = jobIcon(c).id;
  assert.ok(!['error', 'circle-slash', 'pass', 'clock'].includes(icon), icon);
  assert.match(jobTooltip(c), /^cancelled: dependency mxdoq40000 exited 1$/m);
  assert.match(jobTooltip(c), /^after: mxdoq40000 \(exited 0\)$/m);
});

test('the notification says how it ended and how long it ran', () => {
  const end = new Date(now).toISOString();
  assert.equal(endedNotice({ ...base, state: 'exited', exitCode: 3, endedAt: end }), '"train" failed: exit 3 after 2m 5s');
  assert.equal(endedNotice({ ...base, state: 'exited', exitCode: 0, endedAt: end }), '"train" finished (exit 0) after 2m 5s');
  assert.equal(endedNotice({ ...base, state: 'killed', signal: 'SIGTERM', endedAt: end }), '"train" was killed (SIGTERM) after 2m 5s');
  assert.equal(endedNotice({ ...base, state: 'cancelled', endedAt: end, cancelReason: 'dependency a exited 1' }), '"train" was cancelled: dependency a exited 1');
});

test('the status bar counts running, queued and failed; hidden with no jobs', () => {
  const jobs: JobRecord[] = [
    base, { ...base, id: 'b' }, { ...base, id: 'c', state: 'queued' }, { ...base, id: 'd', state: 'queued' }, { ...base, id: 'e', state: 'queued' },
    { ...base, id: 'f', state: 'exited', exitCode: 1, endedAt: base.startedAt }, { ...base, id: 'g', state: 'exited', exitCode: 0, endedAt: base.startedAt },
  ];
  assert.equal(statusText(statusCounts(jobs))?.text, '$(sync~spin) 2 $(clock) 3 $(error) 1');
  assert.match(statusText(statusCounts(jobs))!.tooltip, /2 running, 3 queued, 1 failed/);
  assert.equal(statusText(statusCounts([])), null);
  assert.equal(statusText(statusCounts([jobs[6]!]))?.text, '$(check) 1');
});
