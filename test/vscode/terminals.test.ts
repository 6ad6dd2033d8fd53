// Attach opens exactly one terminal per job; closing it detaches and never kills.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { alive, api, cleanup, jobById, jobTerminals, run, sleep, waitFor } from './helpers';

const started: string[] = [];

suite('attach terminals', () => {
  suiteSetup(async function () { this.timeout(60_000); await api(); });
  suiteTeardown(async function () { this.timeout(60_000); await cleanup(started); });

  test('attach opens one terminal; attaching twice focuses the same one', async () => {
    const a = await api();
    const job = await run({ command: 'echo attach-me; sleep 300', name: 'vt-attach' });
    started.push(job.id);
    await jobById(a, job.id, (j) => j.state === 'running');
    assert.equal(await vscode.commands.executeCommand('linger.attach', { id: job.id }), job.id);
    const t1 = await waitFor(() => a.terminalFor(job.id), 10_000, 'attach terminal');
    assert.equal(await vscode.commands.executeCommand('linger.attach', { id: job.id }), job.id);
    await sleep(500);
    assert.equal(a.terminalFor(job.id), t1);
    assert.equal(jobTerminals(job.id).length, 1, 'exactly one terminal for the job');
    assert.match(t1.name, /vt-attach/);
    const opts = t1.creationOptions as vscode.TerminalOptions;
    assert.ok(opts.shellPath && !opts.shellPath.endsWith('sh') || opts.shellArgs, 'runs the attach argv directly');
    assert.equal(opts.isTransient, true);
    assert.ok(a.rememberedAttachments().includes(job.id));
    const pid = await waitFor(() => t1.processId, 10_000, 'terminal process');
    assert.ok(alive(pid), 'attach client is running');
  });

  test('closing the attach terminal detaches: the job keeps running', async () => {
    const a = await api();
    const id = started[0]!;
    const t = a.terminalFor(id)!;
    const job = await jobById(a, id);
    const closed = new Promise<void>((r) => { const s = vscode.window.onDidCloseTerminal((x) => { if (x === t) { s.dispose(); r(); } }); });
    t.dispose();
    await closed;
    await sleep(1500);
    assert.equal(a.terminalFor(id), undefined);
    assert.ok(alive(job.pid!), 'job process still alive after its terminal closed');
    await vscode.commands.executeCommand('linger.refresh');
    assert.equal(a.jobs().find((j) => j.id === id)?.state, 'running');
    assert.ok(!a.rememberedAttachments().includes(id), 'a terminal the user closed is not reopened on reload');
  });

  test('attaching a finished job is refused with a message', async () => {
    const a = await api();
    const job = await run({ command: 'true', name: 'vt-done' });
    await jobById(a, job.id, (j) => j.state !== 'running');
    assert.equal(await vscode.commands.executeCommand('linger.attach', { id: job.id }), undefined);
    assert.equal(jobTerminals(job.id).length, 0);
  });
});
