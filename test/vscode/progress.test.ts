// Progress, the queue and being told, in a real VS Code: a running job's row shows its progress
// while the view is visible (and the agent stops reading it once hidden: the control); a queued
// job shows what it waits for and a cancelled dependent why; a failing job raises a notification
// and, under the default onFailure, a successful one does not (control); the status bar counts.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, cleanup, EXTENSION_ID, jobById, run, waitFor, iconId, treeItemFor } from './helpers';

const started: string[] = [];

/** The `linger` CLI the extension ships, on the same state dir (as a user in the terminal). */
function lingerCli(args: string[]): string {
  const js = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'linger.js');
  const r = spawnSync(process.execPath, [js, ...args], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30_000 });
  assert.equal(r.status, 0, `linger ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

suite('progress, queue and notifications', () => {
  suiteSetup(async function () { this.timeout(60_000); await api(); });
  suiteTeardown(async function () {
    this.timeout(60_000);
    await cleanup(started);
    await vscode.workspace.getConfiguration('linger').update('notifyOnExit', undefined, vscode.ConfigurationTarget.Global);
  });

  test('a running job shows its progress while the view is visible; hidden, the agent stops reading it (control)', async function () {
    this.timeout(60_000);
    const a = await api();
    await vscode.commands.executeCommand('linger.sessions.focus');
    await waitFor(() => a.viewVisible(), 10_000, 'the view to be visible');
    const job = await run({ command: 'i=1; while [ $i -le 600 ]; do echo "step $i/600"; i=$((i+1)); sleep 0.1; done', name: 'vt-progress' });
    started.push(job.id);
    const first = await jobById(a, job.id, (j) => typeof j.progress?.fraction === 'number', 20_000);
    assert.equal(first.progress!.source, 'count');
    // Rising, pushed by the agent while visible.
    await jobById(a, job.id, (j) => (j.progress?.fraction ?? 0) > first.progress!.fraction!, 20_000);
    const item = await waitFor(async () => {
      const it = await treeItemFor(job.id);
      return /^\d+%$/.test(String(it?.description)) ? it : undefined;
    }, 10_000, 'the row to show a percentage');
    assert.match(String(item.tooltip), /^progress: \[[█░]{20}\] \d+%/m);
    assert.match(String(item.tooltip), /^ {2}step \d+\/600 {2}\[count\]$/m);
    // Hidden: the next list carries no progress, the row says "running" again.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(() => !a.viewVisible(), 10_000, 'the view to be hidden');
    await jobById(a, job.id, (j) => j.state === 'running' && j.progress === undefined, 20_000);
    assert.match(String((await treeItemFor(job.id))?.description), /^running /);
    await vscode.commands.executeCommand('linger.sessions.focus');
    await jobById(a, job.id, (j) => typeof j.progress?.fraction === 'number', 20_000);
  });

  test('a failing job raises a notification with its exit status, Show Log and Restart; a successful one does not under onFailure (control)', async function () {
    this.timeout(40_000);
    const a = await api();
    await vscode.workspace.getConfiguration('linger').update('notifyOnExit', 'onFailure', vscode.ConfigurationTarget.Global);
    const ok = await run({ command: 'sleep 1; exit 0', name: 'vt-notify-ok' });
    const bad = await run({ command: 'sleep 1; exit 5', name: 'vt-notify-bad' });
    await jobById(a, ok.id, (j) => j.state === 'exited');
    await jobById(a, bad.id, (j) => j.state === 'exited');
    const notice = await waitFor(() => a.notices().find((n) => n.jobIds.includes(bad.id)), 10_000, 'a notification for the failed job');
    assert.match(notice.message, /"vt-notify-bad" failed: exit 5 after \d+s/);
    assert.deepEqual(notice.buttons, ['Show Log', 'Restart']);
    assert.equal(notice.severity, 'warning');
    assert.equal(a.notices().some((n) => n.jobIds.includes(ok.id)), false, 'no notification for a success under onFailure');
    // always: the success is told too.
    await vscode.workspace.getConfiguration('linger').update('notifyOnExit', 'always', vscode.ConfigurationTarget.Global);
    const ok2 = await run({ command: 'sleep 1', name: 'vt-notify-always' });
    await jobById(a, ok2.id, (j) => j.state === 'exited');
    const told = await waitFor(() => a.notices().find((n) => n.jobIds.includes(ok2.id)), 10_000, 'a notification under always');
    assert.match(told.message, /"vt-notify-always" finished \(exit 0\) after \d+s/);
  });

  test('the status bar counts running, queued and failed jobs', async function () {
    this.timeout(30_000);
    const a = await api();
    const job = await run({ command: 'sleep 120', name: 'vt-status' });
    started.push(job.id);
    await jobById(a, job.id, (j) => j.state === 'running');
    const count = (re: RegExp) => Number(re.exec(a.statusBar().text)?.[1] ?? 0);
    await waitFor(() => {
      const jobs = a.jobs();
      return a.statusBar().visible
        && count(/\$\(sync~spin\) (\d+)/) === jobs.filter((j) => j.state === 'running').length
        && count(/\$\(error\) (\d+)/) === jobs.filter((j) => (j.state === 'exited' && j.exitCode !== 0) || ['killed', 'lost', 'cancelled'].includes(j.state)).length;
    }, 10_000, `status bar counts (${a.statusBar().text})`);
    assert.ok(count(/\$\(sync~spin\) (\d+)/) >= 1);
  });

  test('a queued job shows what it waits for; a cancelled dependent shows why', async function () {
    this.timeout(60_000);
    const a = await api();
    const first = await run({ command: 'sleep 3; exit 1', name: 'vt-dep' });
    started.push(first.id);
    const waiting = lingerCli(['run', '--after', first.id, '--name', 'vt-waiting', '--', 'true']);
    started.push(waiting);
    const q = await jobById(a, waiting, (j) => j.state === 'queued', 20_000);
    assert.match(q.queue?.reason ?? '', new RegExp(first.id));
    const item = await waitFor(() => treeItemFor(waiting), 10_000, 'the queued row');
    assert.match(String(item.description), new RegExp(`^queued \\(.*${first.id}.*\\)$`));
    assert.equal(iconId(item), 'clock');
    assert.equal(item.contextValue, 'job.queued');
    // The dependency fails: the dependent never runs and says why.
    const c = await jobById(a, waiting, (j) => j.state === 'cancelled', 30_000);
    assert.match(c.cancelReason ?? '', new RegExp(first.id));
    const citem = await waitFor(async () => { const it = await treeItemFor(waiting); return it?.contextValue === 'job.cancelled' ? it : undefined; }, 10_000, 'the cancelled row');
    assert.match(String(citem.description), /^cancelled \(/);
    assert.equal(iconId(citem), 'debug-step-over');
  });
});
