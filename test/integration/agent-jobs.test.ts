// The jobs half of the agent over a real LSP connection: run → jobsChanged push → exit code →
// logs → kill (process group gone, read from /proc) → remove; UserError mapping; and a job that
// survives the agent being SIGKILLed (control: a child of the agent itself dies with it).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import {
  GroupPauseRequest, GroupResumeRequest, GroupSetRequest, GroupsRequest,
  JobsChangedNotification, KillRequest, ListRequest, LogsRequest, RemoveRequest, RunRequest, ShowRequest,
  USER_ERROR_CODE, type JobsChangedParams,
} from '../../core/protocol';
import type { JobRecord } from '../../core/jobs/types';
import { delay, startServer, type LspSession } from './lsp-harness';

/** PIDs whose process group is `pgid` (from /proc/PID/stat, field 5). */
function pidsInGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is state (field 3); pgrp is field 5 → index 2. Zombies are already dead.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(name));
    } catch { /* exited while we looked */ }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch { return false; }
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined> | T | null | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

describe('agent jobs over LSP', () => {
  let home: string;
  let s: LspSession;
  const started: JobRecord[] = [];

  before(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'linger-agent-test-'));
    s = await startServer({ env: { LINGER_HOME: home }, initializationOptions: { settings: { defaultBackend: 'setsid' } } });
  });

  after(async () => {
    // Stop anything still running, then the agent; never leave processes behind.
    for (const j of started) if (j.pgid) { try { process.kill(-j.pgid, 'SIGKILL'); } catch { /* gone */ } }
    await s?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('pushes the list once after initialized', async () => {
    const p = await s.waitFor(JobsChangedNotification, () => true, 10_000, { includeSeen: true });
    assert.ok(Array.isArray(p.jobs));
  });

  test('run → jobsChanged → exit code → logs → remove', async () => {
    const pushed = s.waitFor<JobsChangedParams>(JobsChangedNotification,
      (p) => p.jobs.some((j) => j.name === 'short'), 15_000);
    const job = await s.conn.sendRequest(RunRequest, {
      argv: ['sh', '-c', 'echo hello-from-job; echo second line; exit 3'], name: 'short',
    });
    started.push(job);
    assert.equal(job.backend, 'setsid');
    assert.equal((await pushed).jobs.find((j) => j.name === 'short')?.id, job.id);

    // The exit is pushed without anyone asking (the agent watches the wrapper's exit record).
    await s.waitFor<JobsChangedParams>(JobsChangedNotification,
      (p) => p.jobs.some((j) => j.id === job.id && j.state !== 'running'), 15_000, { includeSeen: true });
    const done = await s.conn.sendRequest(ShowRequest, { id: job.id });
    assert.equal(done.state, 'exited');
    assert.equal(done.exitCode, 3);

    const logs = await s.conn.sendRequest(LogsRequest, { id: job.id });
    assert.equal(logs.text, 'hello-from-job\nsecond line\n', 'default: the program\'s bytes');
    assert.equal(logs.encoding, 'utf8');
    assert.equal(logs.size, 'hello-from-job\r\nsecond line\r\n'.length, 'size: offset in the log file');
    const raw = await s.conn.sendRequest(LogsRequest, { id: job.id, raw: true });
    assert.equal(raw.text, 'hello-from-job\r\nsecond line\r\n', 'raw: the terminal stream');
    const tail = await s.conn.sendRequest(LogsRequest, { id: job.id, fromByte: 16, encoding: 'base64' });
    assert.equal(Buffer.from(tail.text, 'base64').toString(), 'second line\n');
    assert.equal(tail.encoding, 'base64');

    const removed = await s.conn.sendRequest(RemoveRequest, { ids: [job.id] });
    assert.deepEqual(removed.removed, [job.id]);
    const list = await s.conn.sendRequest(ListRequest, {});
    assert.ok(!list.jobs.some((j) => j.id === job.id));
  });

  test('the queue over the protocol: a group limit, pause/resume, a dependency cancelled and pushed (in-process enqueue)', async () => {
    const g = await s.conn.sendRequest(GroupSetRequest, { name: 'agentq', parallel: 1 });
    assert.deepEqual(g, { name: 'agentq', parallel: 1, paused: false, running: 0, queued: 0 });
    const gate = path.join(home, 'agentq-gate');
    const first = await s.conn.sendRequest(RunRequest, { argv: ['sh', '-c', 'while [ ! -e "$0" ]; do sleep 0.05; done; exit 2', gate], group: 'agentq' });
    started.push(first);
    assert.equal(first.state, 'running');
    const second = await s.conn.sendRequest(RunRequest, { argv: ['true'], group: 'agentq' });
    assert.equal(second.state, 'queued');
    assert.equal(second.queue?.reason, 'waiting for a slot in agentq: 1/1 running');
    const dependent = await s.conn.sendRequest(RunRequest, { argv: ['true'], after: [first.id] });
    assert.equal(dependent.state, 'queued');
    assert.equal(dependent.queue?.reason, `waiting for ${first.id}`);
    const paused = await s.conn.sendRequest(GroupPauseRequest, { name: 'agentq' });
    assert.equal(paused.paused, true);
    assert.deepEqual((await s.conn.sendRequest(GroupsRequest, {})).groups.find((x) => x.name === 'agentq'), { ...paused, running: 1, queued: 1 });
    writeFileSync(gate, '');
    // The first job's end (exit 2) cancels the dependent; the paused group starts nothing.
    const pushed = await s.waitFor<JobsChangedParams>(JobsChangedNotification,
      (p) => p.jobs.some((j) => j.id === dependent.id && j.state === 'cancelled'), 20_000, { includeSeen: true });
    assert.equal(pushed.jobs.find((j) => j.id === dependent.id)?.cancelReason, `dependency ${first.id} exited 2`);
    assert.equal((await s.conn.sendRequest(ShowRequest, { id: second.id })).state, 'queued');
    await s.conn.sendRequest(GroupResumeRequest, { name: 'agentq' });
    await until('the queued job to run after resume', async () => (await s.conn.sendRequest(ShowRequest, { id: second.id })).state === 'exited' || null, 20_000);
    // An unknown dependency is a user error.
    await assert.rejects(s.conn.sendRequest(RunRequest, { argv: ['true'], after: ['nosuchjob'] }), (e: unknown) => e instanceof ResponseError && e.code === USER_ERROR_CODE && /no such job/.test(e.message));
  });

  test('run with waitForPid: false answers once accepted; the pid arrives in a jobsChanged', async () => {
    const job = await s.conn.sendRequest(RunRequest, { argv: ['sleep', '300'], name: 'accepted', waitForPid: false });
    started.push(job);
    assert.equal(job.state, 'running');
    const pushed = await s.waitFor<JobsChangedParams>(JobsChangedNotification,
      (p) => p.jobs.some((j) => j.id === job.id && j.pid !== null), 15_000, { includeSeen: true });
    const withPid = pushed.jobs.find((j) => j.id === job.id)!;
    assert.ok(withPid.pid && withPid.pgid, JSON.stringify(withPid));
    started.push(withPid);
    const killed = await s.conn.sendRequest(KillRequest, { id: job.id, graceMs: 500 });
    assert.equal(killed.state, 'killed');
  });

  test('kill ends the whole process group', async () => {
    const job = await s.conn.sendRequest(RunRequest, {
      argv: ['sh', '-c', 'sleep 300 & sleep 301 & wait'], name: 'long',
    });
    started.push(job);
    assert.ok(job.pgid && job.pgid > 0, 'pgid known once running');
    await until('children to start', () => pidsInGroup(job.pgid!).length >= 2 || null, 5000);
    const killed = await s.conn.sendRequest(KillRequest, { id: job.id, graceMs: 2000 });
    assert.notEqual(killed.state, 'running');
    await until('process group to vanish', () => pidsInGroup(job.pgid!).length === 0 || null, 5000);
    await s.conn.sendRequest(RemoveRequest, { ids: [job.id] });
  });

  test('a UserError comes back with USER_ERROR_CODE and its message', async () => {
    await assert.rejects(s.conn.sendRequest(ShowRequest, { id: 'no-such-job-zzz' }), (e: unknown) => {
      assert.ok(e instanceof ResponseError, `ResponseError expected, got ${String(e)}`);
      assert.equal(e.code, USER_ERROR_CODE);
      assert.ok(e.message.length > 0);
      return true;
    });
    // Malformed params are a user error too, not a crash.
    await assert.rejects(s.conn.sendRequest(RunRequest, { argv: [] }), (e: unknown) =>
      e instanceof ResponseError && e.code === USER_ERROR_CODE);
    await assert.rejects(s.conn.sendRequest('linger/kill', 42), (e: unknown) =>
      e instanceof ResponseError && e.code === USER_ERROR_CODE);
  });

  test('run: text only; a string with a lone surrogate is refused rather than altered', async () => {
    await assert.rejects(s.conn.sendRequest(RunRequest, { argv: ['printf', '%s', 'x\uD800'] }), (e: unknown) =>
      e instanceof ResponseError && e.code === USER_ERROR_CODE && /argument 2 is not valid Unicode text/.test(e.message));
    await assert.rejects(s.conn.sendRequest(RunRequest, { argv: ['true'], env: { X: '\uDFFF' } }), (e: unknown) =>
      e instanceof ResponseError && e.code === USER_ERROR_CODE && /environment variable X/.test(e.message));
    const list = await s.conn.sendRequest(ListRequest, {});
    assert.ok(!list.jobs.some((j) => j.argv[0] === 'printf'), 'nothing ran');
  });
});

describe('jobs survive the agent', () => {
  let home: string;
  const toKill: number[] = [];

  before(() => { home = mkdtempSync(path.join(tmpdir(), 'linger-agent-survive-')); });
  after(() => {
    for (const pg of toKill) { try { process.kill(-pg, 'SIGKILL'); } catch { /* gone */ } }
    // Our tmux server lives on the state dir's socket; stop it whatever happened.
    spawnSync('tmux', ['-S', path.join(home, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  });

  for (const backend of ['setsid', 'tmux'] as const) {
    test(`${backend}: SIGKILL the agent (its whole process group) mid-job → a new agent lists the job still running`,
      { skip: backend === 'tmux' && spawnSync('tmux', ['-V']).status !== 0 ? 'tmux not installed' : false }, async () => {
        const first = await startServer({ env: { LINGER_HOME: home }, detached: true,
          initializationOptions: { settings: { defaultBackend: backend } } });
        let job: JobRecord;
        try {
          job = await first.conn.sendRequest(RunRequest, { argv: ['sleep', '300'], name: `survivor-${backend}` });
          if (job.pgid) toKill.push(job.pgid);
          assert.equal(job.backend, backend);
        } finally {
          process.kill(-first.pid, 'SIGKILL');
          await new Promise((r) => first.proc.once('exit', r));
          first.conn.dispose();
        }
        assert.ok(job.pid && alive(job.pid), 'job process alive after the agent died');

        const second = await startServer({ env: { LINGER_HOME: home } });
        try {
          const list = await second.conn.sendRequest(ListRequest, {});
          const again = list.jobs.find((j) => j.id === job.id);
          assert.equal(again?.state, 'running');
          const killed = await second.conn.sendRequest(KillRequest, { id: job.id, graceMs: 1000 });
          assert.notEqual(killed.state, 'running');
          await until('job process to die', () => !alive(job.pid!) || null, 5000);
          await second.conn.sendRequest(RemoveRequest, { ids: [job.id] });
        } finally {
          await second.close();
        }
      });
  }

  test('control: a plain child of a SIGKILLed process group does not survive', async () => {
    // Without Linger the work is a plain child in the agent's process group: the same SIGKILL ends it.
    const parent = spawn('sh', ['-c', 'sleep 300 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const childPid = await new Promise<number>((r) => parent.stdout!.once('data', (d: Buffer) => r(Number(String(d).trim()))));
    process.kill(-parent.pid!, 'SIGKILL');
    await until('control child to die', () => !alive(childPid) || null, 5000);
  });
});
