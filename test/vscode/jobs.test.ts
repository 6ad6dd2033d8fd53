// Run Detached → the job shows in the view; logs follow; kill ends the whole process group;
// exit codes, remove, restart, Run Task Detached and the `linger` task type.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../../core/protocol';
import { alive, api, cleanup, groupMembers, jobById, run, waitFor, iconId, treeItemFor } from './helpers';

const started: string[] = [];

suite('jobs', () => {
  suiteSetup(async function () { this.timeout(60_000); await api(); });
  suiteTeardown(async function () { this.timeout(60_000); await cleanup(started); });

  test('Run Detached creates a running job that appears in the view', async () => {
    const a = await api();
    const job = await run({ command: 'echo hello-$((6*7)); sleep 120', name: 'vt-run' });
    started.push(job.id);
    assert.equal(job.name, 'vt-run');
    assert.equal(job.state, 'running');
    assert.equal(job.shell, true);
    assert.ok(vscode.workspace.workspaceFolders?.[0], 'a workspace folder is open');
    assert.equal(job.cwd, vscode.workspace.workspaceFolders[0].uri.fsPath);
    await jobById(a, job.id);
    const item = await waitFor(() => treeItemFor(job.id), 10_000, 'tree item');
    assert.equal(item.label, 'vt-run');
    assert.equal(item.contextValue, 'job.running');
    assert.equal(iconId(item), 'loading~spin');
    assert.match(String(item.tooltip), /backend: (tmux|screen|setsid)/);
    assert.match(String(item.description), /^running/);
  });

  test('Show Log follows the output while the job runs', async () => {
    const a = await api();
    const job = await run({ command: 'for i in 1 2 3 4 5 6; do echo tick-$i; sleep 0.5; done; sleep 60', name: 'vt-log' });
    started.push(job.id);
    const uri = await vscode.commands.executeCommand<string>('linger.showLog', { id: job.id });
    assert.ok(uri, 'Show Log returned no document');
    await waitFor(() => a.logText(job.id)?.includes('tick-1'), 15_000, 'first line in the log view');
    await waitFor(() => a.logText(job.id)?.includes('tick-6'), 15_000, 'later lines appended while following');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(doc?.getText().includes('tick-'), 'the open document shows the log');
  });

  test('argv runs exactly as given (no shell interpretation of hostile strings)', async () => {
    const a = await api();
    const dir = mkdtempSync(join(tmpdir(), 'lvt-'));
    const hostile = `$(touch ${dir}/pwned); \`touch ${dir}/pwned2\` "quoted" 'single' ;|&`;
    const job = await run({ argv: ['/bin/sh', '-c', 'printf %s "$1" > "$2"', 'sh', hostile, join(dir, 'out')], name: 'vt-argv' });
    await jobById(a, job.id, (j) => j.state !== 'running');
    assert.equal(readFileSync(join(dir, 'out'), 'utf8'), hostile);
    assert.throws(() => readFileSync(join(dir, 'pwned')));
  });

  test('a failing job shows its exit code and the error icon', async () => {
    const a = await api();
    const job = await run({ command: 'exit 3', name: 'vt-exit3' });
    const done = await jobById(a, job.id, (j) => j.state !== 'running');
    assert.equal(done.state, 'exited');
    assert.equal(done.exitCode, 3);
    const item = await treeItemFor(job.id);
    assert.equal(item?.contextValue, 'job.exited');
    assert.equal(iconId(item), 'error');
    assert.match(String(item?.description), /exit 3/);
  });

  test('Kill ends the whole process group', async function () {
    this.timeout(40_000);
    const a = await api();
    // A child that ignores SIGTERM and a grandchild: both must be gone afterwards.
    const job = await run({ command: "sh -c 'trap \"\" TERM; sleep 300' & sleep 300 & wait", name: 'vt-kill' });
    const running = await jobById(a, job.id, (j) => j.state === 'running' && j.pgid !== null);
    const pgid = running.pgid!;
    await waitFor(() => groupMembers(pgid).length >= 3, 10_000, 'job processes started');
    await vscode.workspace.getConfiguration('linger').update('killGraceSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      const killed = await vscode.commands.executeCommand<JobRecord>('linger.kill', { id: job.id });
      assert.ok(killed, 'kill returned nothing');
      assert.notEqual(killed.state, 'running');
    } finally {
      await vscode.workspace.getConfiguration('linger').update('killGraceSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(() => groupMembers(pgid).length === 0, 10_000, `process group ${pgid} to be empty (left: ${groupMembers(pgid)})`);
    const after = await jobById(a, job.id, (j) => j.state !== 'running');
    assert.equal(after.state, 'killed');
    assert.equal((await treeItemFor(job.id))?.contextValue, 'job.killed');
  });

  test('Restart runs the same command as a new job; Remove deletes a finished one', async () => {
    const a = await api();
    const first = await run({ command: 'echo again', name: 'vt-restart' });
    await jobById(a, first.id, (j) => j.state === 'exited');
    const second = await vscode.commands.executeCommand<JobRecord>('linger.restart', { id: first.id });
    assert.ok(second, 'restart returned nothing');
    assert.notEqual(second.id, first.id);
    assert.equal(second.restartOf, first.id);
    assert.deepEqual(second.argv, first.argv);
    await jobById(a, second.id, (j) => j.state === 'exited');
    const removed = await vscode.commands.executeCommand<string[]>('linger.remove', { id: first.id });
    assert.deepEqual(removed, [first.id]);
    await a.waitForJobs((js) => !js.some((j) => j.id === first.id));
    // Removing a running job is refused (message), the job stays.
    const live = await run({ command: 'sleep 60', name: 'vt-norm' });
    started.push(live.id);
    assert.equal(await vscode.commands.executeCommand('linger.remove', { id: live.id }), undefined);
    assert.ok(alive((await jobById(a, live.id)).pid!));
  });

  test('Run Task Detached runs a tasks.json shell task as a job', async () => {
    const a = await api();
    const job = await vscode.commands.executeCommand<JobRecord>('linger.runTask', { label: 'vt-echo-task' });
    assert.ok(job, 'runTask returned nothing (is .vscode/tasks.json in the test workspace?)');
    assert.equal(job.name, 'vt-echo-task');
    const done = await jobById(a, job.id, (j) => j.state !== 'running');
    assert.equal(done.exitCode, 0);
  });

  test('task type "linger" runs detached and streams until the job ends', async function () {
    this.timeout(40_000);
    const a = await api();
    const before = new Set(a.jobs().map((j) => j.id));
    // Defined in the test workspace's .vscode/tasks.json; our TaskProvider resolves it.
    const tasks = await vscode.tasks.fetchTasks({ type: 'linger' });
    const task = tasks.find((t) => t.name === 'vt-task-type');
    assert.ok(task, `linger task not found; got ${tasks.map((t) => t.name).join(', ')}`);
    const endedAny = new Promise<void>((resolve) => {
      const sub = vscode.tasks.onDidEndTask((e) => { if (e.execution.task.name === 'vt-task-type') { sub.dispose(); resolve(); } });
    });
    await vscode.tasks.executeTask(task);
    await endedAny;
    const jobs = await a.waitForJobs((js) => js.some((j) => !before.has(j.id) && j.name === 'vt-task-type' && j.state !== 'running'));
    const job = jobs.find((j) => !before.has(j.id) && j.name === 'vt-task-type')!;
    assert.equal(job.exitCode, 4);
    assert.deepEqual(job.argv.slice(-3), ['sh', '-c', 'echo from-task; exit 4'].slice(-3));
  });
});
