// Concurrency of id reservation, restart, --shell, logs -f, ls --all (foreign sessions), doctor.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorReport, JobRecord } from '../../core/jobs/types';
import { cli, cliSync, cleanupHome, makeHome } from './engine-helpers';

const homes: string[] = [];
const home = () => { const h = makeHome(); homes.push(h); return h; };
after(() => { for (const h of homes) cleanupHome(h); });

test('eight `linger run` at the same moment get eight distinct jobs', async () => {
  const h = home();
  const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => cli(h, ['run', '--backend', i % 2 ? 'setsid' : 'tmux', '--', 'sh', '-c', `exit ${i}`])));
  const ids = runs.map((r) => { assert.equal(r.code, 0, r.stderr); return r.stdout.trim(); });
  assert.equal(new Set(ids).size, 8);
  const codes = await Promise.all(ids.map((id) => cli(h, ['wait', id])));
  assert.deepEqual(codes.map((c) => c.code), [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('restart runs the same argv/cwd/env as a new job; --shell runs $SHELL -lc', () => {
  const h = home();
  const id = cliSync(h, ['run', '--shell', '--name', 'sh1', '--cwd', '/tmp', '--env', 'GREETING=hi there', 'echo "$GREETING from $(pwd)"; exit 3'], { SHELL: '/bin/sh' }).stdout.trim();
  assert.equal(cliSync(h, ['wait', id]).code, 3);
  const r1 = JSON.parse(cliSync(h, ['show', id, '--json']).stdout) as JobRecord;
  assert.deepEqual(r1.argv.slice(0, 2), ['/bin/sh', '-lc']);
  assert.equal(r1.shell, true);
  const id2 = cliSync(h, ['restart', 'sh1']).stdout.trim();
  assert.notEqual(id2, id);
  assert.equal(cliSync(h, ['wait', id2]).code, 3);
  const r2 = JSON.parse(cliSync(h, ['show', id2, '--json']).stdout) as JobRecord;
  assert.deepEqual([r2.argv, r2.cwd, r2.env, r2.restartOf, r2.name], [r1.argv, '/tmp', { GREETING: 'hi there' }, id, 'sh1']);
  assert.equal(cliSync(h, ['logs', id2]).stdout, 'hi there from /tmp\n');
  assert.equal(cliSync(h, ['show', 'sh1', '--json']).stdout.includes(id2), true, 'the name resolves to the newest job');
});

test('logs -f follows until the job ends; --tail', async () => {
  const h = home();
  const id = cliSync(h, ['run', '--', 'sh', '-c', 'for i in 1 2 3 4; do echo line$i; sleep 0.3; done']).stdout.trim();
  const f = await cli(h, ['logs', '-f', id]);
  assert.equal(f.code, 0);
  assert.equal(f.stdout, 'line1\nline2\nline3\nline4\n');
  assert.equal(cliSync(h, ['logs', id, '--tail', '2']).stdout, 'line3\nline4\n');
  assert.equal(cliSync(h, ['logs', id, '--tail', '2', '--raw']).stdout, 'line3\r\nline4\r\n');
});

test('ls --all lists the user\'s own tmux and screen sessions, marked foreign', () => {
  const h = home();
  const tmp = mkdtempSync('/tmp/lgf-');
  const screenDir = join(tmp, 'screens'); mkdirSync(screenDir, { mode: 0o700 });
  const env = { TMUX_TMPDIR: tmp, SCREENDIR: screenDir };
  const tmuxSock = join(tmp, `tmux-${process.getuid!()}`, 'default');
  try {
    spawnSync('tmux', ['-f', '/dev/null', 'new-session', '-d', '-s', 'mywork', 'sleep', '60'], { env: { ...process.env, ...env } });
    spawnSync('screen', ['-dmS', 'myscreen', 'sleep', '60'], { env: { ...process.env, ...env } });
    cliSync(h, ['run', '--', 'sleep', '60']);
    const all = JSON.parse(cliSync(h, ['ls', '--all', '--json'], env).stdout) as Array<{ foreign?: boolean; backend: string; session: string; attach?: string[] }>;
    const foreign = all.filter((x) => x.foreign);
    assert.ok(foreign.some((f) => f.backend === 'tmux' && f.session === 'mywork'), JSON.stringify(all));
    assert.ok(foreign.some((f) => f.backend === 'screen' && /\.myscreen$/.test(f.session)), JSON.stringify(all));
    assert.equal(all.filter((x) => !x.foreign).length, 1, 'our own job is not foreign and our sessions are not listed twice');
    assert.equal(JSON.parse(cliSync(h, ['ls', '--json'], env).stdout).length, 1, 'without --all no foreign sessions');
  } finally {
    spawnSync('tmux', ['-S', tmuxSock, 'kill-server']);
    spawnSync('screen', ['-S', 'myscreen', '-X', 'quit'], { env: { ...process.env, ...env } });
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('doctor --json reports backends, state dir and sshd keepalive', () => {
  const h = home();
  cliSync(h, ['run', '--', 'true']);
  const r = cliSync(h, ['doctor', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout) as DoctorReport;
  assert.deepEqual(d.backends.map((b) => [b.name, b.available]), [['tmux', true], ['screen', true], ['setsid', true]]);
  assert.match(d.backends[0].version ?? '', /^tmux \d/);
  assert.equal(d.stateDir.mode, '0700');
  assert.equal(d.stateDir.ok, true);
  assert.equal(typeof d.sshd.explanation, 'string');
  assert.ok(d.sshd.explanation.length > 10);
  const text = cliSync(h, ['doctor']);
  assert.match(text.stdout, /ClientAliveInterval=/);
});
