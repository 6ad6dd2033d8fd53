// The survival matrix, with real parts only: a private sshd, a real test user, real tmux/screen/
// setsid. For each backend × disconnect kind, one ssh -tt session starts a Linger job and then
// runs the same kind of command in its own foreground (the CONTROL). After the disconnect the
// control must be dead (else the test could not fail) while the Linger job keeps running, and
// later finishes with its own exit code and its output in the log.
//
// Disconnect kinds:
//   kill  SIGKILL of the ssh client (the server sees the TCP close at once)
//   drop  iptables DROP in both directions inside a private network namespace; sshd's
//         ClientAliveInterval 1 / CountMax 2 make sshd itself end the session (~4 s)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackendName, JobRecord } from '../../core/jobs/types';
import {
  cliProblem, parseRecords, parseRunOutput, runAsUser, shq, stageCli, type StagedCli,
} from '../support/linger-cli';
import { alive, delay, procInfo, until } from '../support/proc';
import { rigSkipReason, SshdRig, waitForLog } from '../support/sshd-rig';
import { leaseUser, releaseUser, type TestUser } from '../support/users';

const USER = 'lingeru';
const BACKENDS: BackendName[] = ['tmux', 'screen', 'setsid'];
type Kind = 'kill' | 'drop';
const KINDS: Kind[] = ['kill', 'drop'];
/** Seconds the job (and its control) sleep: longer than the disconnect takes to be noticed. */
const SLEEP: Record<Kind, number> = { kill: 8, drop: 12 };
const JOB_EXIT = 7;

const baseSkip = rigSkipReason();
const netnsSkip = baseSkip ?? rigSkipReason({ netns: true });

function backendSkip(b: BackendName): string | null {
  if (b === 'setsid') return null;
  return spawnSync('sh', ['-c', `command -v ${b}`]).status === 0 ? null : `${b} is not installed`;
}

describe('jobs survive SSH disconnects (real sshd, real user)', { concurrency: true }, () => {
  let user: TestUser;
  let cli: StagedCli;
  const rigs: SshdRig[] = [];
  const dirs: string[] = [];

  before(async () => {
    if (baseSkip) return;
    user = await leaseUser(USER);
    // A missing or broken CLI is a failure, never a reason to skip.
    const problem = cliProblem();
    if (problem) throw new Error(problem);
    cli = stageCli();
  });

  after(async () => {
    for (const r of rigs) await r.stop();
    if (user) await releaseUser(USER);
    cli?.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  let port = 2200;
  for (const kind of KINDS) {
    for (const backend of BACKENDS) {
      const casePort = port++;
      const skip = (kind === 'drop' ? netnsSkip : baseSkip) ?? backendSkip(backend);
      test(`${backend} job survives ${kind === 'kill' ? 'SIGKILL of the ssh client' : 'a network drop (sshd ClientAlive timeout)'}`,
        { skip: skip ?? false, timeout: 90_000 }, async () => {
          await survivalCase(backend, kind, casePort);
        });
    }
  }

  interface Session {
    rig: SshdRig;
    f: (name: string) => string;
    ssh: ReturnType<SshdRig['ssh']>;
    ctrlPid: number;
    ctrlStartedAt: number;
  }

  /**
   * Opens `ssh -tt` and runs PRELUDE (which starts the thing that should survive), then the
   * CONTROL in the session's foreground: the same kind of command, `sleep N` then a marker file.
   */
  async function openSession(kind: Kind, casePort: number, label: string, prelude: (f: (n: string) => string) => string): Promise<Session> {
    const N = SLEEP[kind];
    // Namespaced whenever possible (isolated ports); the kill case also works on host loopback.
    const rig = await SshdRig.start({
      user, port: casePort, netns: kind === 'drop' || !netnsSkip,
      ...(kind === 'drop' ? { clientAliveInterval: 1, clientAliveCountMax: 2 } : {}),
    });
    rigs.push(rig);
    // A directory only the test user (and root) can write, for the session's markers.
    const dir = mkdtempSync(join(tmpdir(), `linger-surv-${label}-`));
    dirs.push(dir);
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
    const f = (n: string): string => join(dir, n);
    const controlScript = `echo $$ > ${f('ctrl.pid')}; sleep ${N}; echo done > ${f('ctrl.done')}; exit ${JOB_EXIT}`;
    const ssh = rig.ssh(`${prelude(f)}; sh -c ${shq(controlScript)}`, { tty: true });
    const ctrlPid = await until(`the control to start in the ssh session (${label})`, () => {
      if (ssh.child.exitCode !== null) throw new Error(`ssh session ended early: ${ssh.output()}`);
      try { return +readFileSync(f('ctrl.pid'), 'utf8') || null; } catch { return null; }
    }, 30_000);
    const ctrlStartedAt = Date.now();
    assert.ok(alive(ctrlPid), 'control not running before the disconnect');
    return { rig, f, ssh, ctrlPid, ctrlStartedAt };
  }

  /** Cuts the session; resolves once the control is gone (ms it took). */
  async function disconnect(s: Session, kind: Kind): Promise<number> {
    const t0 = Date.now();
    if (kind === 'kill') process.kill(s.ssh.pid, 'SIGKILL');
    else s.rig.dropNetwork();
    await until('the control to die with the ssh session', () => !alive(s.ctrlPid), kind === 'drop' ? 20_000 : 10_000, 50);
    const ms = Date.now() - t0;
    if (kind === 'drop') {
      // sshd itself ended the session; the client (no ServerAlive) is still hung, as the notes say.
      await waitForLog(s.rig, /Timeout, client not responding/, 5_000);
      assert.equal(s.ssh.child.exitCode, null, 'ssh client should still hang after the drop');
      process.kill(s.ssh.pid, 'SIGKILL');
    }
    return ms;
  }

  /** The control had the same work and more than enough time: it must never write its marker. */
  async function assertControlDied(s: Session, kind: Kind): Promise<void> {
    const deadline = s.ctrlStartedAt + SLEEP[kind] * 1000 + 2_000;
    if (Date.now() < deadline) await delay(deadline - Date.now());
    assert.ok(!existsSync(s.f('ctrl.done')), 'CONTROL survived the disconnect: the test cannot tell Linger from no Linger');
  }

  // Rig self-check, no Linger involved: the foreground control dies, while a plain `setsid -f`
  // command in the same session lives on. Both outcomes are observable, so the matrix can fail.
  for (const kind of KINDS) {
    const casePort = port++;
    test(`rig self-check (${kind}): foreground control dies, a setsid -f baseline survives`,
      { skip: (kind === 'drop' ? netnsSkip : baseSkip) ?? false, timeout: 60_000 }, async () => {
        const s = await openSession(kind, casePort, `self-${kind}`, (f) =>
          `setsid -f sh -c ${shq(`echo $$ > ${f('base.pid')}; sleep ${SLEEP[kind]}; echo done > ${f('base.done')}`)}`);
        const basePid = +readFileSync(s.f('base.pid'), 'utf8');
        assert.ok(alive(basePid));
        const ms = await disconnect(s, kind);
        assert.ok(alive(basePid), 'setsid -f baseline died with the session');
        await until('the baseline to finish', () => existsSync(s.f('base.done')), SLEEP[kind] * 1000 + 10_000);
        await assertControlDied(s, kind);
        console.log(`# self-check/${kind}: session end noticed after ${ms} ms`);
      });
  }

  async function survivalCase(backend: BackendName, kind: Kind, casePort: number): Promise<void> {
    const N = SLEEP[kind];
    const tag = `${backend}-${kind}-${process.pid}`;
    const jobScript = `sleep ${N}; echo done-${tag}; exit ${JOB_EXIT}`;
    const s = await openSession(kind, casePort, `${backend}-${kind}`, (f) => [
      `${shq(cli.node)} ${shq(cli.js)} run --backend ${backend} --name surv-${tag} --json -- sh -c ${shq(jobScript)} > ${f('run.out')} 2> ${f('run.err')}`,
      `echo $? > ${f('run.rc')}`,
    ].join('; '));
    const runRc = readFileSync(s.f('run.rc'), 'utf8').trim();
    assert.equal(runRc, '0', `linger run failed in the ssh session: ${readFileSync(s.f('run.err'), 'utf8')}`);
    const { id, record } = parseRunOutput(readFileSync(s.f('run.out'), 'utf8'));
    assert.equal(record?.backend ?? backend, backend);

    // Before the disconnect: the job runs, outside the ssh session of its caller. The record `run`
    // printed is used (not another ls) so nothing slow sits between the start and the disconnect.
    const before = record ?? await showJob(id);
    assert.equal(before.state, 'running', `job not running before the disconnect: ${JSON.stringify(before)}`);
    assert.ok(before.pid && alive(before.pid), `job pid ${before.pid} not in the process table`);
    assert.notEqual(procInfo(before.pid)?.sid, procInfo(s.ctrlPid)?.sid, 'Linger job shares the ssh session of its caller');

    const noticedMs = await disconnect(s, kind);

    // Right after the disconnect: the Linger job is still in the process table and running.
    assert.ok(alive(before.pid), `Linger job (pid ${before.pid}) died with the ssh session (${kind}, ${backend})`);
    const during = await showJob(id);
    assert.equal(during.state, 'running', `job state right after the disconnect: ${JSON.stringify(during)}`);

    // Later the user reconnects (a new ssh session, the network back for the drop case) and waits:
    // the job finishes by itself, `linger wait` passes its exit code through ssh.
    if (kind === 'drop') s.rig.restoreNetwork();
    const w = await s.rig.sshRun(`${shq(cli.node)} ${shq(cli.js)} wait ${id} --timeout ${N + 30}`, { timeoutMs: (N + 40) * 1000 });
    assert.equal(w.code, JOB_EXIT, `linger wait over a new ssh session: ${w.output}`);
    const done = await showJob(id);
    assert.equal(done.state, 'exited');
    assert.equal(done.exitCode, JOB_EXIT);
    assert.equal(done.signal, null);
    const logs = await runAsUser(user, cli, ['logs', id]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, new RegExp(`done-${tag}`));
    assert.match(readFileSync(done.logPath, 'utf8'), new RegExp(`done-${tag}`));

    await assertControlDied(s, kind);
    console.log(`# ${backend}/${kind}: disconnect noticed after ${noticedMs} ms; job ${id} survived and exited ${done.exitCode}`);
  }

  async function showJob(id: string): Promise<JobRecord> {
    const r = await runAsUser(user, cli, ['ls', '--all', '--json']);
    assert.equal(r.code, 0, `linger ls --json as ${USER}: ${r.stderr}`);
    const rec = parseRecords(r.stdout).find((j) => j.id === id);
    assert.ok(rec, `job ${id} missing from ls --json`);
    return rec;
  }
});
