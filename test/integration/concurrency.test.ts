// Concurrency: two independent driver processes each start a burst of `linger run`s at the same
// moment against one LINGER_HOME (setsid: 2 × 100; tmux: 2 × 15, all on one tmux server).
// Every run must succeed with its own id, the ids must be distinct, every job.json must parse, and
// every job must end with its own exit code and output. Nothing is killed here, so no temp file of
// an atomic write may be left behind either.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BackendName, JobRecord } from '../../core/jobs/types';
import { cleanupHome, tempHome } from '../support/linger-home';
import { cliProblem, lingerJs, parseRecords, runCli } from '../support/linger-cli';
import { until } from '../support/proc';

/** One driver process: N runs, P at a time, one JSON line per run on stdout. */
const DRIVER = `
const { spawn } = require('node:child_process');
const [js, backend, tag, n, p] = process.argv.slice(1);
let next = 0;
function one(i) {
  return new Promise((res) => {
    const payload = 'payload ' + tag + '-' + i;
    const code = (i * 13 + tag.length) % 256;
    const c = spawn(process.execPath, [js, 'run', '--backend', backend, '--json', '--', 'sh', '-c', 'printf "%s\\\\n" "$1"; exit "$2"', 'sh', payload, String(code)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    c.on('close', (rc) => { process.stdout.write(JSON.stringify({ i, payload, code, rc, out, err }) + '\\n'); res(); });
  });
}
async function worker() { while (next < +n) await one(next++); }
Promise.all(Array.from({ length: +p }, worker));
`;

interface RunLine { i: number; payload: string; code: number; rc: number | null; out: string; err: string }

function driver(home: string, backend: BackendName, tag: string, n: number, parallel: number): Promise<RunLine[]> {
  const c = spawn(process.execPath, ['-e', DRIVER, lingerJs, backend, tag, String(n), String(parallel)], {
    stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LINGER_HOME: home },
  });
  let out = '';
  c.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  return new Promise((res, rej) => c.on('close', (rc) => {
    if (rc !== 0) rej(new Error(`driver ${tag} exited ${rc}`));
    else res(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunLine));
  }));
}

async function burst(home: string, backend: BackendName, perDriver: number, parallel: number): Promise<void> {
  const t0 = Date.now();
  // Both drivers start together and race on the same state dir.
  const [a, b] = await Promise.all([driver(home, backend, `A${backend}`, perDriver, parallel), driver(home, backend, `B${backend}`, perDriver, parallel)]);
  const runs = [...a, ...b];
  assert.equal(runs.length, 2 * perDriver);
  const ids = new Map<string, RunLine>();
  for (const r of runs) {
    assert.equal(r.rc, 0, `run ${r.payload} exited ${r.rc}: ${r.err}`);
    const rec = JSON.parse(r.out) as JobRecord;
    assert.match(rec.id, /^[0-9a-z]{10}$/);
    assert.ok(!ids.has(rec.id), `id ${rec.id} handed out twice`);
    ids.set(rec.id, r);
  }
  const startedMs = Date.now() - t0;

  let records: JobRecord[] = [];
  await until('the burst to finish', async () => {
    const r = await runCli(home, ['ls', '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    records = parseRecords(r.stdout).filter((j) => ids.has(j.id));
    return records.length === ids.size && records.every((j) => j.state !== 'running');
  }, 60_000, 500).catch((e: Error) => {
    throw new Error(`${e.message}: ${records.length}/${ids.size} listed, running: ${records.filter((j) => j.state === 'running').map((j) => j.id).join(' ')}`);
  });

  for (const rec of records) {
    const run = ids.get(rec.id)!;
    assert.equal(rec.backend, backend);
    assert.deepEqual(rec.argv.slice(3), ['sh', run.payload, String(run.code)], `argv of ${rec.id}`);
    const what = `${rec.id} (${run.payload}, exit ${run.code})`;
    // Exit codes 129..192 are read back as death by signal code-128 (sh cannot tell them apart).
    if (rec.state === 'killed') assert.ok(run.code > 128, `${what} killed: ${JSON.stringify(rec)}`);
    else {
      assert.equal(rec.state, 'exited', what);
      assert.equal(rec.exitCode, run.code, what);
    }
    await until(`${what} log`, () => readFileSync(rec.logPath, 'utf8') === `${run.payload}\r\n`, 5_000, 100)
      .catch(() => assert.equal(readFileSync(rec.logPath, 'utf8'), `${run.payload}\r\n`, `${what}: log`));
  }
  console.log(`# concurrency/${backend}: 2 × ${perDriver} runs (${parallel} at a time per driver) started in ${startedMs} ms, all ended in ${Date.now() - t0} ms`);
}

/** Every job.json parses and names its directory; no leftover temp file anywhere under jobs/. */
function assertStoreClean(home: string, expected: number): void {
  const dirs = readdirSync(join(home, 'jobs'));
  const jobDirs = dirs.filter((n) => /^[0-9a-z]{10}$/.test(n));
  assert.equal(jobDirs.length, expected, `job dirs: ${dirs.join(' ')}`);
  const tmp: string[] = dirs.filter((n) => n.endsWith('.tmp'));
  for (const d of jobDirs) {
    const j = JSON.parse(readFileSync(join(home, 'jobs', d, 'job.json'), 'utf8')) as JobRecord;
    assert.equal(j.id, d);
    for (const f of readdirSync(join(home, 'jobs', d))) if (f.endsWith('.tmp')) tmp.push(`${d}/${f}`);
  }
  assert.deepEqual(tmp, [], 'temp files of atomic writes left behind');
}

describe('concurrency: two processes start jobs at once', () => {
  const homes: string[] = [];
  before(() => { const problem = cliProblem(); if (problem) throw new Error(problem); });
  after(() => { for (const h of homes) cleanupHome(h); });

  test('setsid: 2 × 100 runs → 200 distinct ids, every record parses, every job ends right', { timeout: 150_000 }, async () => {
    const home = tempHome('conc-setsid');
    homes.push(home);
    await burst(home, 'setsid', 100, 20);
    assertStoreClean(home, 200);
  });

  const noTmux = spawnSync('sh', ['-c', 'command -v tmux']).status === 0 ? false : 'tmux is not installed';
  test('tmux: 2 × 15 runs on one tmux server', { skip: noTmux, timeout: 90_000 }, async () => {
    const home = tempHome('conc-tmux');
    homes.push(home);
    await burst(home, 'tmux', 15, 15);
    assertStoreClean(home, 30);
  });
});
