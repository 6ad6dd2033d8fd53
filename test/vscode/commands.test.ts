// Every contributed command is registered, and the ones that need no input run cleanly.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, packageJson } from './helpers';

suite('commands', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await api();
  });

  test('every contributed command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = packageJson().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 12, `only ${contributed.length} commands contributed`);
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  test('commands have the Linger category and an icon (palette entries)', () => {
    for (const c of packageJson().contributes.commands as Array<{ command: string; category?: string; icon?: string }>) {
      assert.equal(c.category, 'Linger', c.command);
      assert.match(c.icon ?? '', /^\$\([\w~-]+\)$/, c.command);
    }
  });

  test('Refresh returns the job count', async () => {
    const n = await vscode.commands.executeCommand<number>('linger.refresh');
    assert.equal(typeof n, 'number');
  });

  test('Check Host renders the doctor report as Markdown', async () => {
    const md = await vscode.commands.executeCommand<string>('linger.checkHost');
    assert.ok(md, 'no markdown returned');
    assert.match(md, /^# Linger host check/);
    assert.match(md, /## Job backends/);
    assert.match(md, /\| tmux/);
    assert.match(md, /ClientAliveInterval/);
  });

  test('Remove Finished runs without input', async () => {
    const removed = await vscode.commands.executeCommand<string[]>('linger.removeFinished');
    assert.ok(Array.isArray(removed));
  });

  test('Show Extension Log runs', async () => {
    await vscode.commands.executeCommand('linger.showOutput');
  });

  test('an empty command is refused with a message, not a job or an exception', async () => {
    const a = await api();
    const before = a.jobs().length;
    const res = await vscode.commands.executeCommand('linger.runDetached', { command: '   ' });
    assert.equal(res, undefined);
    await vscode.commands.executeCommand('linger.refresh');
    assert.equal(a.jobs().length, before);
  });

  test('a job id that does not exist gives a message, not an exception', async () => {
    assert.equal(await vscode.commands.executeCommand('linger.attach', { id: 'no-such-job-zz' }), undefined);
    assert.equal(await vscode.commands.executeCommand('linger.kill', { id: 'no-such-job-zz' }), undefined);
    assert.equal(await vscode.commands.executeCommand('linger.showLog', { id: 'no-such-job-zz' }), undefined);
  });
});
