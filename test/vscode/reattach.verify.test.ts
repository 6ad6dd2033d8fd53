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

  test('vt-a: the attached job\'s terminal is back once, the one closed before the reload is not (control), the job that ended is reported', async function () {
    this.timeout(90_000);
    const h = JSON.parse(readFileSync(process.env.LINGER_TEST_HANDOFF!, 'utf8')) as { remoteKeep?: string; remoteClosed?: string; remoteShort?: string };
    if (!h.remoteKeep) this.skip(); // phase 1 had no other hosts
    const a = await api();
    try {
      // Nothing but the remembered terminal brings vt-a back: this window never touched it.
      const report = await waitFor(() => a.reattachReports().find((r) => r.host === 'vt-a'), 60_000, 'vt-a\'s reattach report');
      assert.deepEqual(report.reopened, [`${h.remoteKeep}@vt-a`]);
      assert.deepEqual(report.finished.map((j) => j.id), [h.remoteShort]);
      assert.equal(report.finished[0]!.exitCode, 9);
      const t = await waitFor(() => a.terminalFor(`${h.remoteKeep}@vt-a`), 10_000, 'reopened terminal');
      await waitFor(() => t.processId, 10_000, 'terminal process');
      await sleep(1500);
      const mine = (id: string) => vscode.window.terminals.filter((x) => {
        const env = (x.creationOptions as vscode.TerminalOptions).env ?? {};
        return env.LINGER_ATTACHED_JOB === id && env.LINGER_ATTACHED_HOST === 'vt-a';
      });
      assert.equal(mine(h.remoteKeep!).length, 1, 'exactly one terminal');
      assert.equal(mine(h.remoteClosed!).length, 0, 'CONTROL: the terminal closed before the reload stays closed');
      assert.equal(a.reattachReports().filter((r) => r.host === 'vt-a').length, 1, 'one report');
    } finally {
      for (const id of [h.remoteKeep, h.remoteClosed]) {
        try { await vscode.commands.executeCommand('linger.kill', { id, host: 'vt-a' }); } catch { /* gone */ }
      }
    }
  });
});
