// The agent reads progress only while someone looks: after linger/watchProgress {visible: true}
// its jobsChanged pushes carry a running job's rising progress; before it, and after
// {visible: false} (the control), they carry none.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { JobsChangedNotification, KillRequest, ListRequest, RunRequest, WatchProgressNotification, type JobsChangedParams } from '../../core/protocol';
import type { JobRecord } from '../../core/jobs/types';
import { startServer, type LspSession } from './lsp-harness';
import { cleanupHome } from './engine-helpers';

let home: string;
let s: LspSession;

before(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'lgp-'));
  s = await startServer({ env: { LINGER_HOME: home }, initializationOptions: { settings: { defaultBackend: 'tmux' } } });
});
after(async () => { await s.close(); cleanupHome(home); rmSync(home, { recursive: true, force: true }); });

const progressOf = (p: JobsChangedParams, id: string) => p.jobs.find((j) => j.id === id)?.progress;

test('progress is pushed while the view is visible, rising; none before and none after it is hidden (control)', async () => {
  const job: JobRecord = await s.conn.sendRequest(RunRequest, { argv: ['sh', '-c', 'i=1; while [ $i -le 600 ]; do echo "step $i/600"; i=$((i+1)); sleep 0.05; done'] });
  // Not watched: the list (and the pushes) say running, without progress, though the log has it.
  await s.waitFor(JobsChangedNotification, (p) => p.jobs.some((j) => j.id === job.id && j.pid !== null), 15_000, { includeSeen: true });
  const unwatched = await s.conn.sendRequest(ListRequest, {});
  assert.equal(unwatched.jobs.find((j) => j.id === job.id)?.progress, undefined);

  await s.conn.sendNotification(WatchProgressNotification, { visible: true });
  const a = await s.waitFor(JobsChangedNotification, (p) => typeof progressOf(p, job.id)?.fraction === 'number', 15_000);
  const f1 = progressOf(a, job.id)!.fraction!;
  const b = await s.waitFor(JobsChangedNotification, (p) => (progressOf(p, job.id)?.fraction ?? 0) > f1, 15_000);
  assert.equal(progressOf(b, job.id)!.source, 'count');
  const listed = await s.conn.sendRequest(ListRequest, {});
  assert.equal(typeof listed.jobs.find((j) => j.id === job.id)?.progress?.fraction, 'number', 'list answers with progress too while watched');

  await s.conn.sendNotification(WatchProgressNotification, { visible: false });
  await s.waitFor(JobsChangedNotification, (p) => p.jobs.some((j) => j.id === job.id && j.state === 'running' && j.progress === undefined), 15_000);
  await s.conn.sendRequest(KillRequest, { id: job.id, graceMs: 200 });
});
