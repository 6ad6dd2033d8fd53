// A job that is slow to start is "starting", never failed or lost (issue 11, part 4).
// Two kinds of slow, each held by a gate file the test opens, so nothing here depends on timing
// except the one wait that is the point: a start slower than the engine's grace for a job whose
// wrapper has not reported (2 × its 5 s start timeout).
//  - a slow host: the backend's `sh` does not start the wrapper until the gate opens (a PATH shim);
//  - a slow login shell: `$SHELL -lc` whose ~/.bash_profile and ~/.profile wait for the gate, as on
//    the machine where a profile waited 60 s on a stale lock.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRecord } from '../../core/jobs/types';
import { makeTestHome } from '../support/hermetic-home.cjs';
import { procsMatching } from '../support/proc';
import { BACKENDS, cleanupHome, cli, fileAppears, makeHome, sleep } from './engine-helpers';

const homes: string[] = [];
const dirs: string[] = [];
after(() => {
  // A shim still waiting at its gate (a test failed before opening it) is not known to any job
  // record: it is found by its path in argv.
  for (const d of dirs) for (const p of procsMatching(d)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  for (const h of homes) cleanupHome(h);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scratch(label: string): string { const d = mkdtempSync(join(tmpdir(), `lgs-${label}-`)); dirs.push(d); return d; }

/** A gate: `wait` is sh that blocks until `open()` has made the file. */
function gate(dir: string): { path: string; wait: string; open(): void } {
  const path = join(dir, 'gate');
  return {
    path,
    wait: `while [ ! -e '${path}' ]; do sleep 0.05; done\n`,
    open: () => writeFileSync(path, ''),
  };
}

function stateColumn(lsText: string, id: string): string | undefined {
  const row = lsText.split('\n').find((l) => l.startsWith(id));
  return row?.split(/\s{2,}/)[2];
}

describe('a slow host: the wrapper starts late', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(`${b}: shown starting (not running without a pid, not lost) until the pid arrives`, async () => {
      const h = makeHome(); homes.push(h);
      const shim = scratch(`sh-${b}`);
      const g = gate(shim);
      writeFileSync(join(shim, 'sh'), `#!/bin/sh\n# a slow host: the backend's sh does not start until the test opens the gate\n${g.wait}exec /bin/sh "$@"\n`, { mode: 0o700 });
      const env = { PATH: `${shim}:/usr/local/bin:/usr/bin:/bin` };
      const run = await cli(h, ['run', '--backend', b, '--name', `slow-${b}`, '--', 'sleep', '300'], env);
      assert.equal(run.code, 0, `run failed: ${run.stderr}`);
      const id = run.stdout.trim();
      const first = JSON.parse((await cli(h, ['show', id, '--json'], env)).stdout) as JobRecord;
      assert.equal(first.state, 'running');
      assert.equal(first.pid, null, 'the gate is closed: no job process can exist yet');
      assert.equal(stateColumn((await cli(h, ['ls'], env)).stdout, id), 'starting');
      // The point of the test: still starting after the engine's grace for an unreported wrapper.
      await sleep(11_000);
      const later = JSON.parse((await cli(h, ['show', id, '--json'], env)).stdout) as JobRecord;
      assert.equal(later.state, 'running', `a slow start is not lost: ${JSON.stringify(later)}`);
      assert.equal(stateColumn((await cli(h, ['ls'], env)).stdout, id), 'starting');
      g.open();
      await fileAppears(join(h, 'jobs', id, 'cpid'), 'the job process to be reported');
      const started = JSON.parse((await cli(h, ['show', id, '--json'], env)).stdout) as JobRecord;
      assert.equal(started.state, 'running');
      assert.ok(started.pid, 'pid known once the job runs');
      assert.equal(stateColumn((await cli(h, ['ls'], env)).stdout, id), 'running');
      const k = await cli(h, ['kill', id, '--grace', '0.5'], env);
      assert.equal(k.code, 0, k.stderr);
    });
  }
});

describe('a slow host: kill while the job is still starting', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(`${b}: killed, and nothing is left that could start the job afterwards`, async () => {
      const h = makeHome(); homes.push(h);
      const shim = scratch(`shk-${b}`);
      const g = gate(shim);
      writeFileSync(join(shim, 'sh'), `#!/bin/sh\n${g.wait}exec /bin/sh "$@"\n`, { mode: 0o700 });
      const env = { PATH: `${shim}:/usr/local/bin:/usr/bin:/bin` };
      const id = (await cli(h, ['run', '--backend', b, '--', 'sleep', '300'], env)).stdout.trim();
      const k = await cli(h, ['kill', id, '--grace', '0.5'], env);
      assert.equal(k.code, 0, k.stderr);
      const r = JSON.parse((await cli(h, ['show', id, '--json'], env)).stdout) as JobRecord;
      assert.equal(r.state, 'killed');
      // The wrapper (or the sh about to become it) holds the job dir in its argv.
      const dir = join(h, 'jobs', id);
      assert.deepEqual(procsMatching(dir).map((p) => p.args.join(' ')), [], 'a process that would still run the killed job');
      g.open();
    });
  }
});

describe('a slow login shell: $SHELL -lc waits on its profile', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(`${b}: run answers at once, the job is running (never failed or lost) until the profile is done`, async () => {
      const h = makeHome(); homes.push(h);
      const dir = scratch(`home-${b}`);
      const g = gate(dir);
      const home = makeTestHome(join(dir, 'home'));
      // bash -l reads the first of .bash_profile, .bash_login, .profile; sh -l reads .profile.
      for (const f of ['.bash_profile', '.profile']) writeFileSync(join(home, f), g.wait);
      const env = { HOME: home, SHELL: '/bin/bash' };
      const run = await cli(h, ['run', '--backend', b, '--json', '--shell', 'echo profile-done-$((6*7))'], env);
      assert.equal(run.code, 0, `run failed: ${run.stderr}`);
      const rec = JSON.parse(run.stdout) as JobRecord;
      assert.deepEqual(rec.argv, ['/bin/bash', '-lc', 'echo profile-done-$((6*7))']);
      assert.equal(rec.state, 'running');
      const during = JSON.parse((await cli(h, ['show', rec.id, '--json'], env)).stdout) as JobRecord;
      assert.equal(during.state, 'running', `while the profile waits: ${JSON.stringify(during)}`);
      assert.ok(!existsSync(join(h, 'jobs', rec.id, 'exit')), 'the job cannot have ended with its profile still waiting');
      g.open();
      const w = await cli(h, ['wait', rec.id], env);
      assert.equal(w.code, 0, w.stderr);
      assert.match(readFileSync(rec.logPath, 'utf8'), /profile-done-42/);
    });
  }
});
