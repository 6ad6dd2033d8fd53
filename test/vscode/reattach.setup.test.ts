// Reattach, phase 1 (before the window reloads): one running job with an attach terminal, one
// short job that will end while no window watches. Phase 2 (reattach.verify.test.ts) runs in
// a fresh extension host after the launcher reloads the window.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { api, jobById, run, sleep, waitFor } from './helpers';

suite('reattach (phase 1: before reload)', () => {
  test('leave a running job attached and a short job running', async function () {
    this.timeout(60_000);
    const handoff = process.env.LINGER_TEST_HANDOFF;
    if (!handoff) this.skip();
    const a = await api();
    const keep = await run({ command: 'echo reattach-me; sleep 300', name: 'vt-reattach' });
    await jobById(a, keep.id, (j) => j.state === 'running');
    await vscode.commands.executeCommand('linger.attach', { id: keep.id });
    await waitFor(() => a.terminalFor(keep.id)?.processId, 10_000, 'attach terminal');
    const short = await run({ command: 'sleep 3; exit 7', name: 'vt-ends-away' });
    await jobById(a, short.id, (j) => j.state === 'running');
    assert.ok(a.rememberedAttachments().includes(keep.id));
    // workspaceState lives in the window (browser storage); give the last update time to land
    // before the launcher closes the window.
    await sleep(2000);
    writeFileSync(handoff!, JSON.stringify({ keep: keep.id, short: short.id }));
  });
});
