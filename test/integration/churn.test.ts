// Churn: 200 short jobs across tmux/screen/setsid with exit codes spread over 0..255 and a unique
// multi-line payload each, while CLI processes (`run`, `ls`, `wait`) are SIGKILLed at random
// moments. Runs as the test process (root) against a throwaway LINGER_HOME.
//
// What must hold afterwards:
//   - every `run` that printed its record → that job exists, exits with its own code, and its log
//     is byte-exact (the pty turns "\n" into "\r\n", nothing else);
//   - a `run` killed before printing may or may not have left a job: if it did, the job either ran
//     to completion exactly like the others, or never started and is reported `lost`;
//   - no job stays `running`; every job.json parses; `ls --json` exits 0 and lists every record.
//
// Exit codes 129..192 look like signals to a POSIX sh wrapper (`exit 137` and death by SIGKILL both
// give $? = 137); the wrapper tells them apart (wrapper.sh _lg_run_async), so every one of them
// must be recorded `exited` with its code, never as a signal nor as ambiguous.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackendName, JobRecord } from '../../core/jobs/types';
import { cleanupHome, tempHome } from '../support/linger-home';
import { cliProblem, lingerJs, parseRecords, runCli } from '../support/linger-cli';
import { delay, until } from '../support/proc';

const JOBS = 200;
const PARALLEL_RUNS = 10;
const MAX_CHAOS = 3;
const SCRIPT = 'sleep "$2"; printf "%s\\n" "$1"; exit "$3"';

const have = (b: string): boolean => spawnSync('sh', ['-c', `command -v ${b}`]).status === 0;
const backends: BackendName[] = ['setsid', 'setsid', ...(['tmux', 'screen'] as const).filter(have)];

interface Plan { i: number; backend: BackendName; code: number; payload: string; sleep: string; killRun: boolean }
interface Outcome { plan: Plan; printed: JobRecord | null; runCode: number | null; killed: boolean }

/** What the pty writes for `printf '%s\n' payload`: onlcr turns every "\n" into "\r\n". */
function expectedLog(payload: string): Buffer { return Buffer.from(`${payload}\n`.replace(/\n/g, '\r\n'), 'utf8'); }

function signalNumber(name: string | null): number | null {
  if (!name) return null;
  const n = (osConstants.signals as Record<string, number>)[name];
  return typeof n === 'number' ? n : null;
}

/** Spawns the CLI; SIGKILLs it after `killAfterMs` if given. Resolves with what it printed. */
function cli(home: string, args: string[], killAfterMs: number | null): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [lingerJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LINGER_HOME: home } });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const t = killAfterMs == null ? null : setTimeout(() => { if (child.exitCode === null) { killed = child.kill('SIGKILL'); } }, killAfterMs);
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((res) => child.on('close', (code) => {
    if (t) clearTimeout(t);
    clearTimeout(guard);
    res({ code, killed, stdout, stderr });
  }));
}

describe('churn: 200 jobs while CLI processes are SIGKILLed', () => {
  let home: string;
  before(() => {
    const problem = cliProblem();
    if (problem) throw new Error(problem);
    home = tempHome('churn');
  });
  after(() => { if (home) cleanupHome(home); });

  test('every job that exists ends right; nothing stays running; nothing corrupt', { timeout: 170_000 }, async () => {
    const t0 = Date.now();
    const salt = randomBytes(4).toString('hex');
    const plans: Plan[] = Array.from({ length: JOBS }, (_, i) => ({
      i,
      backend: backends[i % backends.length],
      // 37 is coprime with 256: 200 distinct codes spread over the whole 0..255 range.
      code: (i * 37 + 11) % 256,
      // Unique, two lines, quotes and non-ASCII: argv must arrive untouched, the log byte-exact.
      payload: `job ${i} ${salt} 'single' "double" $HOME \`tick\` ü€\nsecond line of ${i}-${salt}`,
      sleep: (Math.random() * 1.2).toFixed(2),
      killRun: Math.random() < 0.25,
    }));
    const byPayload = new Map(plans.map((p) => [p.payload, p]));

    // ---- chaos: ls / wait processes started and SIGKILLed at random while runs go on ----
    const printedIds: string[] = [];
    let running = true;
    let chaosStarted = 0;
    let chaosKilled = 0;
    const chaos = (async () => {
      const inflight = new Set<Promise<unknown>>();
      while (running) {
        if (inflight.size < MAX_CHAOS) {
          const id = printedIds[Math.floor(Math.random() * printedIds.length)];
          const args = Math.random() < 0.5 || !id ? ['ls', '--json'] : ['wait', id, '--timeout', '3'];
          const p = cli(home, args, Math.random() < 0.6 ? Math.floor(Math.random() * 500) : null)
            .then((r) => { if (r.killed) chaosKilled++; });
          chaosStarted++;
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
        await delay(80);
      }
      await Promise.all(inflight);
    })();

    const outcomes: Outcome[] = [];
    // Kill moments follow how long a whole `run` really takes on this (shared) machine, so the
    // SIGKILLs land everywhere from node startup to just before the record is printed.
    const runMs: number[] = [];
    const median = (): number => (runMs.length ? [...runMs].sort((a, b) => a - b)[runMs.length >> 1] : 800);
    let runsDoneMs = 0;
    let records: JobRecord[] = [];
    // A failure below must stop the chaos loop too, or it spawns CLIs until the process is killed.
    try {
      // ---- the 200 runs, PARALLEL_RUNS at a time ----
      let next = 0;
      await Promise.all(Array.from({ length: PARALLEL_RUNS }, async () => {
        while (next < plans.length) {
          const plan = plans[next++];
          const started = Date.now();
          const killAt = plan.killRun ? Math.floor((0.2 + Math.random()) * median()) : null;
          const r = await cli(home, ['run', '--backend', plan.backend, '--json', '--', 'sh', '-c', SCRIPT, 'sh', plan.payload, plan.sleep, String(plan.code)], killAt);
          if (!r.killed) runMs.push(Date.now() - started);
          let printed: JobRecord | null = null;
          try { printed = JSON.parse(r.stdout) as JobRecord; } catch { /* killed before printing */ }
          if (!r.killed) {
            assert.equal(r.code, 0, `run ${plan.i} failed: ${r.stderr}`);
            assert.ok(printed, `run ${plan.i} printed no record: ${r.stdout}`);
          }
          if (printed) printedIds.push(printed.id);
          outcomes.push({ plan, printed, runCode: r.code, killed: r.killed && !printed });
        }
      }));
      runsDoneMs = Date.now() - t0;

      // ---- settle: nothing may stay running ----
      await until('every job to leave the running state', async () => {
        const r = await runCli(home, ['ls', '--all', '--json']);
        assert.equal(r.code, 0, `ls --json: ${r.stderr}`);
        records = parseRecords(r.stdout);
        return records.every((j) => j.state !== 'running');
      }, 45_000, 500).catch((e: Error) => {
        const stuck = records.filter((j) => j.state === 'running').map((j) => `${j.id} (${j.backend})`);
        throw new Error(`${e.message}; still running: ${stuck.join(', ')}`);
      });
    } finally {
      running = false;
      await chaos;
    }

    // ---- no corrupt file: every job.json parses and names its own directory ----
    const dirs = readdirSync(join(home, 'jobs')).filter((n) => /^[0-9a-z]{10}$/.test(n));
    const withoutRecord: string[] = [];
    for (const d of dirs) {
      let raw: string;
      try { raw = readFileSync(join(home, 'jobs', d, 'job.json'), 'utf8'); } catch { withoutRecord.push(d); continue; }
      const j = JSON.parse(raw) as JobRecord;
      assert.equal(j.id, d, `job.json in ${d} names ${j.id}`);
    }
    const killedRuns = outcomes.filter((o) => o.killed).length;
    // Only a `run` killed between reserving the id and writing job.json can leave an empty dir.
    assert.ok(withoutRecord.length <= killedRuns, `${withoutRecord.length} job dirs without job.json, only ${killedRuns} runs killed`);
    assert.equal(records.length, dirs.length - withoutRecord.length, 'ls --json does not list every job.json');
    assert.equal(new Set(records.map((r) => r.id)).size, records.length, 'duplicate ids');

    // ---- every printed job exists; every existing job ended as planned ----
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const id of printedIds) assert.ok(byId.has(id), `job ${id} printed by run is gone`);
    const printedSet = new Set(printedIds);
    let ambiguous = 0;
    let lostFromKilledRun = 0;
    for (const rec of records) {
      const plan = byPayload.get(rec.argv[4]);
      assert.ok(plan, `record ${rec.id} has argv not from this test: ${JSON.stringify(rec.argv)}`);
      assert.deepEqual(rec.argv, ['sh', '-c', SCRIPT, 'sh', plan.payload, plan.sleep, String(plan.code)], `argv of ${rec.id}`);
      assert.equal(rec.backend, plan.backend);
      if (rec.state === 'lost' && !printedSet.has(rec.id)) { lostFromKilledRun++; continue; }
      const what = `job ${rec.id} (#${plan.i}, ${plan.backend}, exit ${plan.code})`;
      if (rec.state === 'killed' && plan.code > 128 && signalNumber(rec.signal) === plan.code - 128) ambiguous++;
      assert.equal(rec.state, 'exited', `${what}: ${JSON.stringify(rec)}`);
      assert.equal(rec.exitCode, plan.code, what);
      assert.equal(rec.exitAmbiguous, undefined, `${what}: told from a signal`);
      const want = expectedLog(plan.payload);
      // The log pump may trail the exit record by a moment; then it must be exact.
      let got = Buffer.alloc(0);
      await until(`${what} log`, () => { got = readFileSync(rec.logPath); return got.equals(want); }, 5_000, 100)
        .catch(() => assert.equal(got.toString('utf8'), want.toString('utf8'), `${what}: log not byte-exact`));
    }
    // And `wait` gives each code back exactly (spot check: a sample, wait is one node process each).
    for (const rec of records.filter((r) => r.state !== 'lost').slice(0, 12)) {
      const plan = byPayload.get(rec.argv[4])!;
      const w = await runCli(home, ['wait', rec.id, '--timeout', '5']);
      assert.equal(w.code, plan.code, `wait ${rec.id}: ${w.stderr}`);
    }

    const perBackend = Object.fromEntries(['tmux', 'screen', 'setsid'].map((b) => [b, records.filter((r) => r.backend === b).length]));
    console.log(`# churn: ${records.length} jobs (${JSON.stringify(perBackend)}), ${killedRuns} runs killed before printing, ` +
      `${lostFromKilledRun} of those left a lost job, ${withoutRecord.length} left an empty dir; ` +
      `${chaosStarted} ls/wait started, ${chaosKilled} SIGKILLed; ${ambiguous} exits 129..192 reported as signals; ` +
      `median run ${median()} ms, runs done in ${runsDoneMs} ms, total ${Date.now() - t0} ms`);
  });
});
