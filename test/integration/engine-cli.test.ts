// The CLI contract against real tmux, screen and setsid: acceptance run/wait/ls, kill of a whole
// process group, lost detection, and bad input (one line on stderr, exit 1, no other record harmed).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { members } from '../../core/jobs/proc';
import type { JobRecord } from '../../core/jobs/types';
import { BACKENDS, cli, cliSync, cleanupHome, fileAppears, makeHome, sleep } from './engine-helpers';

const homes: string[] = [];
const home = () => { const h = makeHome(); homes.push(h); return h; };
after(() => { for (const h of homes) cleanupHome(h); });

describe('acceptance: run → wait exits 7 → ls shows exited 7', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(b, async () => {
      const h = home();
      const run = await cli(h, ['run', '--backend', b, '--name', `acc-${b}`, '--', 'sh', '-c', 'echo out-$0; sleep 2; exit 7', b]);
      assert.equal(run.code, 0, run.stderr);
      const id = run.stdout.trim();
      assert.match(id, /^[0-9a-z]{10}$/);
      const running = JSON.parse((await cli(h, ['ls', '--json'])).stdout) as JobRecord[];
      assert.equal(running[0].state, 'running');
      assert.equal(running[0].backend, b);
      const w = await cli(h, ['wait', id]);
      assert.equal(w.code, 7, w.stderr);
      const ls = JSON.parse((await cli(h, ['ls', '--json'])).stdout) as JobRecord[];
      assert.equal(ls.length, 1);
      assert.equal(ls[0].state, 'exited');
      assert.equal(ls[0].exitCode, 7);
      assert.ok(ls[0].endedAt);
      const logs = await cli(h, ['logs', `acc-${b}`]);
      assert.equal(logs.stdout, `out-${b}\n`, 'logs gives what the program wrote');
      const raw = await cli(h, ['logs', '--raw', `acc-${b}`]);
      assert.equal(raw.stdout, `out-${b}\r\n`, 'logs --raw gives what the terminal saw (pty: \\n → \\r\\n)');
      const show = await cli(h, ['show', id.slice(0, 9), '--json']);
      assert.equal((JSON.parse(show.stdout) as JobRecord).id, id);
    });
  }
});

describe('kill ends the whole group, grandchildren that trap TERM included', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(b, async () => {
      const h = home();
      const script = 'trap "" TERM; (trap "" TERM; sleep 300) & (sh -c "trap \\"\\" TERM; sleep 301" &) ; sleep 302 & echo ready; wait';
      const id = (await cli(h, ['run', '--backend', b, '--', 'sh', '-c', script])).stdout.trim();
      let r: JobRecord;
      const t0 = Date.now();
      for (;;) {
        r = JSON.parse((await cli(h, ['show', id, '--json'])).stdout);
        if (r.pgid && members([r.pgid]).length >= 4) break;
        assert.ok(Date.now() - t0 < 20_000, 'the job forked its processes');
        await sleep(50);
      }
      assert.ok(members([r.pgid!]).length >= 4);
      const k = await cli(h, ['kill', id, '--grace', '0.5']);
      assert.equal(k.code, 0, k.stderr);
      assert.deepEqual(members([r.pgid!]).map((p) => p.pid), [], 'no process of the job session/group is left');
      r = JSON.parse((await cli(h, ['show', id, '--json'])).stdout);
      assert.equal(r.state, 'killed');
      assert.equal(r.signal, 'SIGKILL');
      assert.equal((await cli(h, ['wait', id])).code, 128 + 9);
    });
  }
  test('TERM is enough for a plain job: wait reports 143', async () => {
    const h = home();
    const id = (await cli(h, ['run', '--', 'sleep', '300'])).stdout.trim();
    const r: JobRecord = JSON.parse((await cli(h, ['kill', id])).stdout || (await cli(h, ['show', id, '--json'])).stdout);
    assert.equal(r.state, 'killed');
    assert.equal(r.signal, 'SIGTERM');
    assert.equal((await cli(h, ['wait', id])).code, 143);
  });
});

describe('lost: wrapper and session killed with SIGKILL → lost, never running forever', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(b, async () => {
      const h = home();
      const id = (await cli(h, ['run', '--backend', b, '--', 'sleep', '300'])).stdout.trim();
      // A plain `run` returns before the wrapper has reported its pid; `show` picks it up.
      await fileAppears(join(h, 'jobs', id, 'cpid'), 'the wrapper to report the job pid');
      assert.ok((JSON.parse((await cli(h, ['show', id, '--json'])).stdout) as JobRecord).pid, 'job pid known');
      const stored = JSON.parse(readFileSync(join(h, 'jobs', id, 'job.json'), 'utf8')) as JobRecord & { internal: { leaderPid: number } };
      for (const p of members([stored.pgid!, stored.internal.leaderPid])) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ } }
      if (b === 'setsid') { try { process.kill(stored.internal.leaderPid, 'SIGKILL'); } catch { /* gone */ } }
      // Until they are gone from the process table (no event for the death of a non-child).
      for (const t0 = Date.now(); members([stored.pgid!, stored.internal.leaderPid]).length;) {
        assert.ok(Date.now() - t0 < 10_000, 'SIGKILLed job processes gone'); await sleep(20);
      }
      const r = JSON.parse((await cli(h, ['show', id, '--json'])).stdout) as JobRecord;
      assert.equal(r.state, 'lost');
      const w = await cli(h, ['wait', id]);
      assert.equal(w.code, 1);
      assert.match(w.stderr, /lost/);
    });
  }
});

describe('bad input: one line on stderr, exit 1, other records unharmed', () => {
  const h = makeHome(); homes.push(h);
  const oneLine = (r: { code: number | null; stderr: string }, re: RegExp) => {
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  };
  test('setup: one good job', () => { assert.equal(cliSync(h, ['run', '--name', 'good', '--', 'true']).code, 0); });
  test('unknown flag', () => oneLine(cliSync(h, ['ls', '--bogus']), /unknown option --bogus/));
  test('unknown verb', () => oneLine(cliSync(h, ['frobnicate']), /unknown command/));
  test('unknown id', () => oneLine(cliSync(h, ['show', 'nosuchjob']), /no such job/));
  test('missing command', () => oneLine(cliSync(h, ['run', '--name', 'x']), /no command/));
  test('unknown backend', () => oneLine(cliSync(h, ['run', '--backend', 'zellij', '--', 'true']), /unknown backend/));
  test('missing backend binary', () => oneLine(cliSync(h, ['run', '--backend', 'tmux', '--', 'true'], { PATH: '/nonexistent' }), /tmux is not installed/));
  test('bad cwd', () => oneLine(cliSync(h, ['run', '--cwd', '/nonexistent/dir', '--', 'true']), /no such directory/));
  test('bad env', () => oneLine(cliSync(h, ['run', '--env', '1X=2', '--', 'true']), /invalid environment variable name/));
  test('bad grace / signal', async () => {
    const id = cliSync(h, ['run', '--', 'sleep', '30']).stdout.trim();
    oneLine(cliSync(h, ['kill', id, '--grace', 'soon']), /--grace wants seconds/);
    oneLine(cliSync(h, ['kill', id, '--signal', 'NOPE']), /unknown signal/);
    assert.equal(cliSync(h, ['kill', id, '--grace', '0']).code, 0);
  });
  test('rm of a running job refuses and removes nothing', () => {
    const id = cliSync(h, ['run', '--', 'sleep', '30']).stdout.trim();
    oneLine(cliSync(h, ['rm', 'good', id]), /still running/);
    assert.equal(cliSync(h, ['show', 'good']).code, 0);
    cliSync(h, ['kill', id, '--grace', '0']);
  });
  test('unwritable state dir', () => {
    const f = join(h, 'plainfile');
    writeFileSync(f, 'x');
    oneLine(cliSync(f, ['run', '--', 'true']), /state/);
    oneLine(cliSync('/proc/linger-nope', ['run', '--', 'true']), /state directory/);
  });
  test('a state dir owned by someone else is refused, not listed as empty', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, () => {
    const foreign = makeHome(); homes.push(foreign);
    cliSync(foreign, ['run', '--', 'true']);
    chownSync(foreign, 65534, 65534);
    try {
      oneLine(cliSync(foreign, ['ls']), /not owned by you.*permission denied/);
      oneLine(cliSync(foreign, ['ls', '--json']), /permission denied/);
    } finally { chownSync(foreign, 0, 0); }
  });
  test('corrupt job.json: ls warns and lists the rest, show of that job fails alone', () => {
    const bad = cliSync(h, ['run', '--', 'true']).stdout.trim();
    cliSync(h, ['wait', bad]);
    writeFileSync(join(h, 'jobs', bad, 'job.json'), '{"id":');
    const ls = cliSync(h, ['ls', '--json']);
    assert.equal(ls.code, 0);
    assert.match(ls.stderr, new RegExp(`job ${bad} is unreadable`));
    const jobs = JSON.parse(ls.stdout) as JobRecord[];
    assert.ok(jobs.some((j) => j.name === 'good'));
    assert.ok(!jobs.some((j) => j.id === bad));
    oneLine(cliSync(h, ['show', bad]), /unreadable/);
    assert.equal(cliSync(h, ['show', 'good']).code, 0);
  });
  test('state dir perms stay private', () => {
    assert.ok(existsSync(join(h, 'jobs')));
    chmodSync(h, 0o755);
    assert.equal(cliSync(h, ['ls']).code, 0);
    assert.equal(require('node:fs').statSync(h).mode & 0o777, 0o700);
  });
  test('--help for every verb', () => {
    for (const v of ['run', 'ls', 'show', 'logs', 'attach', 'wait', 'kill', 'rm', 'restart', 'doctor']) {
      const r = cliSync(h, [v, '--help']);
      assert.equal(r.code, 0); assert.match(r.stdout, new RegExp(`linger ${v}`));
    }
  });
});
