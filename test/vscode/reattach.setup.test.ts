// Reattach, phase 1 (before the window reloads): one running job with an attach terminal, one
// short job that will end while no window watches; the same on another host (vt-a, when the
// launcher could start the other hosts), plus a job whose terminal the user closed there. Phase 2 (reattach.verify.test.ts) runs in
// a fresh extension host after the launcher reloads the window.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../../core/protocol';
import { api, jobById, rigOrSkip, run, sleep, useHosts, waitFor } from './helpers';

suite('reattach (phase 1: before reload)', () => {
  test('on vt-a: leave a job attached, one whose terminal the user closed, and a short one running', async function () {
    this.timeout(90_000);
    const handoff = process.env.LINGER_TEST_HANDOFF;
    if (!handoff) this.skip();
    const rig = rigOrSkip(this);
    const a = await api();
    await useHosts(rig);
    const runOn = async (command: string, name: string): Promise<JobRecord> => {
      const job = await vscode.commands.executeCommand<JobRecord | undefined>('linger.runDetached', { command, name, host: 'vt-a' });
      if (!job) throw new Error(`could not start ${name} on vt-a`);
      await waitFor(() => a.jobs().find((j) => j.host === 'vt-a' && j.id === job.id && j.state === 'running'), 30_000, `${name} running`);
      return job;
    };
    const keep = await runOn('echo remote-reattach-me; sleep 300', 'vt-reattach-remote');
    await vscode.commands.executeCommand('linger.attach', { id: keep.id, host: 'vt-a' });
    await waitFor(() => a.terminalFor(`${keep.id}@vt-a`)?.processId, 15_000, 'attach terminal on vt-a');
    // CONTROL for phase 2: the user closes this one's terminal (detach): it must not come back.
    const closed = await runOn('sleep 300', 'vt-closed-remote');
    await vscode.commands.executeCommand('linger.attach', { id: closed.id, host: 'vt-a' });
    const t = await waitFor(() => a.terminalFor(`${closed.id}@vt-a`), 15_000, 'the second terminal');
    await waitFor(() => t.processId, 10_000, 'its process');
    t.dispose();
    await waitFor(() => !a.rememberedAttachments().includes(`${closed.id}@vt-a`), 10_000, 'the closed terminal to be forgotten');
    // Long enough to outlive this window (the next test runs first), short enough to end before the next.
    const short = await runOn('sleep 12; exit 9', 'vt-ends-away-remote');
    assert.ok(a.rememberedAttachments().includes(`${keep.id}@vt-a`));
    await sleep(2000); // workspaceState lands in browser storage before the window closes
    const home = rig.hosts.find((h) => h.name === 'vt-a')!.home;
    writeFileSync(handoff!, JSON.stringify({
      remoteKeep: keep.id, remoteClosed: closed.id, remoteShort: short.id,
      remoteShortExit: join(home, 'state', 'jobs', short.id, 'exit'),
    }));
  });

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
    // The test above (other hosts) may have written its part first.
    let prev: Record<string, string> = {};
    try { prev = JSON.parse(readFileSync(handoff!, 'utf8')) as Record<string, string>; } catch { /* none */ }
    writeFileSync(handoff!, JSON.stringify({ ...prev, keep: keep.id, short: short.id }));
  });
});
