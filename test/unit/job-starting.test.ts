// "starting" is how every view shows a running job whose own process has not been reported yet:
// the CLI's ls and show, and the Remote Sessions view (description and icon). Never failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobRecord } from '../../core/jobs/types';
import { stateText } from '../../cli/format';
import { failed, jobDescription, jobIcon } from '../../extension/job_format';

const base: JobRecord = {
  id: 'mxdoq49oeu', name: 'slow', argv: ['sleep', '300'], shell: false, cwd: '/', env: {}, backend: 'screen',
  state: 'running', exitCode: null, signal: null, pid: null, pgid: null, startedAt: '2026-12-07T19:50:16.907Z',
  endedAt: null, logPath: '/x/log', session: 'linger-mxdoq49oeu', restartOf: null,
};
const now = Date.parse(base.startedAt) + 12_000;

test('a running job without a pid is starting, in the CLI and in the view, and not failed', () => {
  assert.equal(stateText(base), 'starting');
  assert.equal(jobDescription(base, now), 'starting 12s');
  assert.equal(jobIcon(base).id, 'watch');
  assert.equal(failed(base), false);
});

test('once the pid is known it is running', () => {
  const r = { ...base, pid: 4242, pgid: 4241 };
  assert.equal(stateText(r), 'running');
  assert.equal(jobDescription(r, now), 'running 12s');
  assert.equal(jobIcon(r).id, 'loading~spin');
});

test('an ended job is never starting, whatever its pid', () => {
  assert.equal(stateText({ ...base, state: 'lost', endedAt: base.startedAt }), 'lost');
  assert.equal(stateText({ ...base, state: 'exited', exitCode: 0, endedAt: base.startedAt }), 'exited 0');
});
