// Reattach, phase 2: a new extension host after a window reload. The running job's terminal is
// reopened exactly once and the job that ended meanwhile is reported.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { api, cleanup, jobTerminals, sleep, waitFor } from './helpers';

suite('reattach (phase 2: after reload)', () => {
  let ids: { keep: string; short: string } | undefined;
  suiteSetup(function () {
    const handoff = process.env.LINGER_TEST_HANDOFF;
    if (!handoff) this.skip();
    ids = JSON.parse(readFileSync(handoff!, 'utf8'));
  });
  suiteTeardown(async function () { this.timeout(30_000); if (ids) await cleanup([ids.keep]); });

  test('the running job gets its terminal back, exactly once', async function () {
    this.timeout(60_000);
    const a = await api();
    const report = await a.ready();
    assert.deepEqual(report.reopened, [ids!.keep]);
    const t = await waitFor(() => a.terminalFor(ids!.keep), 10_000, 'reopened terminal');
    await waitFor(() => t.processId, 10_000, 'terminal process');
    await sleep(1500); // give a VS Code-revived duplicate, if any, time to appear
    assert.equal(jobTerminals(ids!.keep).length, 1, `terminals: ${vscode.window.terminals.map((x) => x.name).join(', ')}`);
  });

  test('the job that ended while nobody watched is reported once', async () => {
    const a = await api();
    const report = await a.ready();
    const ended = report.finished.map((j) => j.id);
    assert.deepEqual(ended, [ids!.short]);
    assert.equal(report.finished[0]!.exitCode, 7);
  });
});
