// Another real user cannot see or touch a user's jobs: lingeru owns running tmux/screen/setsid
// jobs; lingerv points LINGER_HOME at lingeru's state dir and tries to list, read logs and attach.
// Each refusal has a CONTROL: the owner doing the same thing succeeds, so the refusal is caused by
// permissions and not by a broken command. Finally the state dir is walked: dirs 0700, every other
// entry (files, FIFOs, sockets) 0600, all owned by lingeru.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackendName, JobRecord } from '../../core/jobs/types';
import {
  cliProblem, parseRecords, parseRunOutput, runAsUser, shq, stageCli, userEnv, type CliResult, type StagedCli,
} from '../support/linger-cli';
import { until } from '../support/proc';
import { rigSkipReason } from '../support/sshd-rig';
import { leaseUser, releaseUser, type TestUser } from '../support/users';

const OWNER = 'lingeru';
const OTHER = 'lingerv';
const BACKENDS: BackendName[] = ['tmux', 'screen', 'setsid'];

const toolsMissing = spawnSync('sh', ['-c', 'command -v script && command -v tmux && command -v screen']).status === 0
  ? null : 'needs script, tmux and screen installed';
const skip = (rigSkipReason() ?? toolsMissing) || false;

/** Runs argv as `u` with a clean login-like environment. */
function asUser(u: TestUser, argv: string[], env: Record<string, string> = {}, timeoutMs = 10_000): Promise<CliResult> {
  const envArgs = Object.entries(userEnv(u, env)).map(([k, v]) => `${k}=${v}`);
  const child = spawn('runuser', ['-u', u.name, '--', 'env', '-i', ...envArgs, ...argv], { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((res) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => { clearTimeout(t); res({ code, signal, stdout, stderr }); });
  });
}

/** The same argv inside a pseudo-terminal (attach refuses to run without one). */
function inPty(argv: string[]): string[] {
  return ['script', '-q', '-e', '-c', argv.map(shq).join(' '), '/dev/null'];
}

interface Internal { socket?: string | null; backendBin?: string | null }

describe('privacy: another user cannot list, read or attach', { skip }, () => {
  let owner: TestUser;
  let other: TestUser;
  let cli: StagedCli;
  let stateDir: string;
  const jobs = new Map<BackendName, JobRecord & { internal: Internal }>();

  before(async () => {
    // A missing or broken CLI is a failure, never a reason to skip.
    const problem = cliProblem();
    if (problem) throw new Error(problem);
    owner = await leaseUser(OWNER);
    other = await leaseUser(OTHER);
    cli = stageCli();
    stateDir = join(owner.home, '.local', 'state', 'linger');
    for (const b of BACKENDS) {
      const r = await runAsUser(owner, cli, ['run', '--backend', b, '--name', `priv-${b}`, '--json', '--', 'sh', '-c', `echo secret-${b}; sleep 60`]);
      assert.equal(r.code, 0, `owner's linger run --backend ${b}: ${r.stderr}`);
      const { id } = parseRunOutput(r.stdout);
      // job.json carries the engine's private part (socket path) beside the public record.
      const full = JSON.parse(readFileSync(join(stateDir, 'jobs', id, 'job.json'), 'utf8')) as JobRecord & { internal: Internal };
      jobs.set(b, full);
    }
    for (const [b, j] of jobs) {
      await until(`secret-${b} in the log`, () => { try { return readFileSync(j.logPath, 'utf8').includes(`secret-${b}`); } catch { return false; } }, 15_000);
    }
  });

  after(async () => {
    if (owner) await releaseUser(OWNER);
    if (other) await releaseUser(OTHER);
    cli?.cleanup();
  });

  test('control: the owner lists all three jobs as running', async () => {
    const r = await runAsUser(owner, cli, ['ls', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const recs = parseRecords(r.stdout);
    for (const [b, j] of jobs) assert.equal(recs.find((x) => x.id === j.id)?.state, 'running', `${b} job`);
  });

  test('another user cannot list (clear permission error, exit 1, no stack trace)', async () => {
    for (const args of [['ls'], ['ls', '--json'], ['ls', '--all', '--json']]) {
      const r = await runAsUser(other, cli, args, { env: { LINGER_HOME: stateDir } });
      assert.equal(r.code, 1, `linger ${args.join(' ')} as ${OTHER}: exit ${r.code}, stdout ${r.stdout}, stderr ${r.stderr}`);
      assert.match(r.stderr, /permission|EACCES|not (the )?owner|not owned/i, `unclear error: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'stack trace printed');
      for (const j of jobs.values()) assert.ok(!r.stdout.includes(j.id), 'a job id leaked to stdout');
    }
  });

  test('another user cannot read the logs (CLI or directly)', async () => {
    for (const [b, j] of jobs) {
      const viaCli = await runAsUser(other, cli, ['logs', j.id], { env: { LINGER_HOME: stateDir } });
      assert.equal(viaCli.code, 1, `linger logs ${b} as ${OTHER}: ${viaCli.stderr}`);
      assert.ok(!viaCli.stdout.includes(`secret-${b}`));
      const direct = await asUser(other, ['cat', j.logPath]);
      assert.notEqual(direct.code, 0);
      assert.match(direct.stderr, /Permission denied/);
      const ownerCat = await asUser(owner, ['cat', j.logPath]);
      assert.match(ownerCat.stdout, new RegExp(`secret-${b}`), 'control: the owner reads the log');
    }
  });

  test('another user cannot attach to the tmux session', async () => {
    const j = jobs.get('tmux')!;
    const sock = j.internal.socket;
    assert.ok(sock, 'tmux job has no socket recorded');
    const ctl = await asUser(owner, ['tmux', '-S', sock, 'has-session', '-t', `=${j.session}`]);
    assert.equal(ctl.code, 0, `control: owner's has-session failed: ${ctl.stderr}`);
    const ls = await asUser(other, ['tmux', '-S', sock, 'list-sessions']);
    assert.notEqual(ls.code, 0, `${OTHER} listed tmux sessions: ${ls.stdout}`);
    const at = await asUser(other, inPty(['tmux', '-S', sock, 'attach-session', '-t', `=${j.session}`]), {}, 8_000);
    assert.ok(at.signal === null && at.code !== 0, `${OTHER} attach did not fail (code ${at.code}, signal ${at.signal}): ${at.stdout}`);
    assert.match(at.stdout + at.stderr, /Permission denied|error connecting|no server running/i);
  });

  test('another user cannot attach to the screen session', async () => {
    const j = jobs.get('screen')!;
    const dir = j.internal.socket ?? join(stateDir, 'screen');
    const ctl = await asUser(owner, ['screen', '-ls'], { SCREENDIR: dir });
    assert.match(ctl.stdout, new RegExp(j.session.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), `control: owner's screen -ls: ${ctl.stdout}${ctl.stderr}`);
    const ls = await asUser(other, ['screen', '-ls'], { SCREENDIR: dir });
    assert.doesNotMatch(ls.stdout, new RegExp(j.session.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), `${OTHER} sees the screen session`);
    const at = await asUser(other, inPty(['screen', '-r', j.session]), { SCREENDIR: dir }, 8_000);
    assert.ok(at.signal === null && at.code !== 0, `${OTHER} screen -r did not fail (code ${at.code}, signal ${at.signal}): ${at.stdout}`);
    // Also the multiuser form, user/session, against the owner's default socket dir.
    const mu = await asUser(other, inPty(['screen', '-r', `${OWNER}/${j.session}`]), {}, 8_000);
    assert.ok(mu.signal === null && mu.code !== 0, `${OTHER} screen -r ${OWNER}/… did not fail: ${mu.stdout}`);
  });

  test('another user cannot `linger attach` (in a pty) to any of the jobs', async () => {
    for (const [b, j] of jobs) {
      const at = await asUser(other, inPty([cli.node, cli.js, 'attach', j.id]), { LINGER_HOME: stateDir }, 8_000);
      assert.ok(at.signal === null && at.code !== 0, `${OTHER} linger attach ${b} did not fail (code ${at.code}, signal ${at.signal}): ${at.stdout}`);
      assert.ok(!at.stdout.includes(`secret-${b}`), `${b} output leaked through attach`);
    }
  });

  test('another user cannot feed keystrokes to a setsid job (its input FIFO)', async () => {
    const j = jobs.get('setsid')!;
    const fifo = join(stateDir, 'jobs', j.id, 'in');
    const w = await asUser(other, ['sh', '-c', 'echo hi > "$1"', 'sh', fifo]);
    assert.notEqual(w.code, 0);
    assert.match(w.stderr, /Permission denied/);
  });

  test('state dir: dirs 0700, every file, FIFO and socket 0600, all owned by the owner', () => {
    const bad: string[] = [];
    let files = 0;
    let sockets = 0;
    const walk = (p: string): void => {
      const st = lstatSync(p);
      const mode = st.mode & 0o7777;
      if (st.uid !== owner.uid) bad.push(`${p}: owner uid ${st.uid}`);
      if (st.isDirectory()) {
        if (mode !== 0o700) bad.push(`${p}: dir mode ${mode.toString(8)}`);
        for (const n of readdirSync(p)) walk(join(p, n));
        return;
      }
      if (st.isSocket()) sockets++;
      files++;
      // tmux marks a socket u+x while a client is attached; nobody is attached here.
      if (mode !== 0o600) bad.push(`${p}: ${st.isSocket() ? 'socket' : st.isFIFO() ? 'fifo' : 'file'} mode ${mode.toString(8)}`);
    };
    walk(stateDir);
    assert.deepEqual(bad, [], 'private state violated');
    assert.ok(files > 5, `walked only ${files} entries`);
    // tmux.sock and the screen socket live in the state dir unless the path is too long.
    const tmuxSock = jobs.get('tmux')!.internal.socket;
    if (tmuxSock && !tmuxSock.startsWith(stateDir)) {
      const st = lstatSync(tmuxSock);
      assert.equal(st.mode & 0o777, 0o600, `tmux socket outside the state dir: ${tmuxSock}`);
      assert.equal(lstatSync(join(tmuxSock, '..')).mode & 0o777, 0o700);
    } else {
      assert.ok(sockets >= 2, `expected tmux and screen sockets in the state dir, found ${sockets}`);
    }
  });
});
