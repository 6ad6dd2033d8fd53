// Many hosts (issue 16), from inside VS Code: real private sshds on 127.0.0.2/.3/.4 that the
// launcher starts for the whole run (scripts/demo-hosts.mjs: own host keys, one client key, a
// generated ssh_config with real known_hosts; LINGER_TEST_RIG names their dir), reached by the agent through the system ssh once `linger.sshConfigFile` names
// that config. Each "host" is this machine with a state dir, HOME and SHELL of its own (sshd
// SetEnv), so a job's pid is a process we can see and its record is a file under that host's
// state dir only. A host "drops" the way a crashed machine does: its sshd and every session it
// forked are SIGKILLed, and ssh sees the connection end.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HostInfo, JobRecord } from '../../core/protocol';
import type { SessionNode } from '../../extension/jobs_tree';
import { alive, api, rigOrSkip, sleep, useHosts, waitFor, type Rig } from './helpers';

let rig: Rig | undefined;
const started: Array<{ id: string; host: string | null }> = [];

let apiHosts: () => readonly HostInfo[] = () => [];
const hostOf = (name: string | null): HostInfo | undefined => apiHosts().find((h) => h.name === name);

function stateDir(host: string): string {
  return join(rig!.hosts.find((h) => h.name === host)!.home, 'state');
}

async function rootNodes(): Promise<SessionNode[]> {
  return (await (await api()).tree.getChildren()) ?? [];
}

async function hostNode(name: string | null): Promise<SessionNode & { kind: 'host' }> {
  const n = (await rootNodes()).find((x): x is SessionNode & { kind: 'host' } => x.kind === 'host' && x.host.name === name);
  if (!n) throw new Error(`no host node ${name ?? 'this host'}`);
  return n;
}

async function jobsUnder(name: string | null): Promise<JobRecord[]> {
  const a = await api();
  const kids = (await a.tree.getChildren(await hostNode(name))) ?? [];
  return kids.filter((k): k is SessionNode & { kind: 'job' } => k.kind === 'job').map((k) => k.job);
}

async function runOn(host: string, command: string, name: string): Promise<JobRecord> {
  const job = await vscode.commands.executeCommand<JobRecord | undefined>('linger.runDetached', { command, name, host });
  if (!job) throw new Error(`linger.runDetached on ${host} returned nothing (see the Linger output)`);
  started.push({ id: job.id, host });
  return job;
}

async function remoteJob(host: string, id: string, pred: (j: JobRecord) => boolean = () => true, ms = 30_000): Promise<JobRecord> {
  const a = await api();
  return waitFor(() => a.jobs().find((j) => j.host === host && j.id === id && pred(j)), ms, `job ${id} on ${host}`);
}

function terminalsOf(id: string, host: string): vscode.Terminal[] {
  return vscode.window.terminals.filter((t) => {
    const env = (t.creationOptions as vscode.TerminalOptions).env ?? {};
    return env.LINGER_ATTACHED_JOB === id && env.LINGER_ATTACHED_HOST === host;
  });
}

async function status(name: string, kinds: HostInfo['status']['kind'][], ms = 30_000): Promise<HostInfo> {
  return waitFor(() => { const h = hostOf(name); return h && kinds.includes(h.status.kind) ? h : undefined; }, ms, `${name} to be ${kinds.join('/')}`);
}

suite('many hosts', () => {
  suiteSetup(async function () {
    this.timeout(90_000);
    rig = rigOrSkip(this);
    const a = await api();
    apiHosts = () => a.hosts();
    // vt-down is in the config, with a known host key, but nothing answers there (the launcher
    // stopped it; a test below starts it).
    await rig.stopHost('vt-down');
  });

  suiteTeardown(async function () {
    this.timeout(90_000);
    for (const j of started) {
      try { await vscode.commands.executeCommand('linger.kill', { id: j.id, host: j.host }); } catch { /* gone */ }
    }
    // The hosts stay configured: the reattach phases use them (the launcher stops the sshds).
  });

  test('with no other host the view is flat (control); with hosts it groups by host, this host first', async function () {
    this.timeout(60_000);
    const a = await api();
    // CONTROL: before the hosts are configured, no host level.
    assert.ok(!(await rootNodes()).some((n) => n.kind === 'host'), 'no host nodes without other hosts');
    await useHosts(rig!);
    const roots = await rootNodes();
    assert.ok(roots.every((n) => n.kind === 'host'), `only host nodes at the top: ${roots.map((n) => n.kind).join(',')}`);
    const names = roots.map((n) => (n.kind === 'host' ? n.host.name : '?'));
    assert.equal(names[0], null, 'this host first');
    assert.deepEqual(names.slice(1).filter((n) => n?.startsWith('vt-')).sort(), ['vt-a', 'vt-b', 'vt-down']);
    const item = await a.tree.getTreeItem(await hostNode(null));
    assert.equal(item.contextValue, 'host.local');
  });

  test('a job run on vt-a is listed under vt-a with its host, its record is on vt-a only (control: this host has neither)', async function () {
    this.timeout(90_000);
    const job = await runOn('vt-a', 'echo on-a; sleep 300', 'vt-on-a');
    assert.equal(job.host, 'vt-a');
    const rec = await remoteJob('vt-a', job.id, (j) => j.state === 'running' && !!j.pid);
    await waitFor(async () => (await jobsUnder('vt-a')).some((j) => j.id === job.id), 20_000, 'the job under vt-a');
    assert.ok(!(await jobsUnder(null)).some((j) => j.id === job.id), 'not under this host');
    assert.ok(existsSync(join(stateDir('vt-a'), 'jobs', job.id)), 'record in vt-a\'s state dir');
    assert.ok(!existsSync(join(process.env.LINGER_HOME!, 'jobs', job.id)), 'CONTROL: no record in this host\'s state dir');
    assert.ok(alive(rec.pid!), 'the job runs');
    const hostItem = await (await api()).tree.getTreeItem(await hostNode('vt-a'));
    assert.equal(hostItem.contextValue, 'host.connected');
    assert.match(String(hostItem.description), /connected/);
  });

  test('an unreachable host says why; Retry while it is still down stays unreachable (control), Retry after it is back connects', async function () {
    this.timeout(120_000);
    const a = await api();
    // Idle hosts connect when expanded: that is what a user does.
    await a.tree.getChildren(await hostNode('vt-down'));
    const down = await status('vt-down', ['unreachable'], 60_000);
    assert.ok(down.status.kind === 'unreachable' && down.status.reason.length > 0, 'a reason');
    const item = await a.tree.getTreeItem(await hostNode('vt-down'));
    assert.equal(item.contextValue, 'host.unreachable');
    assert.match(String(item.description), /unreachable: /);
    const kids = (await a.tree.getChildren(await hostNode('vt-down'))) ?? [];
    assert.ok(kids.some((k) => k.kind === 'hostMessage' && /unreachable/.test(k.text)), 'the reason is a row under the host');
    // CONTROL: retrying a host that is still down does not pretend.
    const again = await vscode.commands.executeCommand<HostInfo | undefined>('linger.retryHost', { host: 'vt-down' });
    assert.equal(again?.status.kind, 'unreachable');
    await rig!.startHost('vt-down');
    const back = await vscode.commands.executeCommand<HostInfo | undefined>('linger.retryHost', { host: 'vt-down' });
    assert.ok(back, 'retry answered');
    await status('vt-down', ['connected'], 60_000);
    const after = await a.tree.getTreeItem(await hostNode('vt-down'));
    assert.equal(after.contextValue, 'host.connected');
  });

  test('attach on a vt-a job opens ssh to vt-a; kill from the view ends it there, a vt-b job is untouched (control)', async function () {
    this.timeout(90_000);
    const onA = started.find((j) => j.host === 'vt-a')!;
    const job = await remoteJob('vt-a', onA.id, (j) => j.state === 'running');
    assert.equal(await vscode.commands.executeCommand('linger.attach', { kind: 'job', job }), job.id);
    const t = await waitFor(() => terminalsOf(job.id, 'vt-a')[0], 15_000, 'the attach terminal');
    const opts = t.creationOptions as vscode.TerminalOptions;
    assert.match(String(opts.shellPath), /ssh$/, 'the terminal runs ssh');
    assert.ok((opts.shellArgs as string[]).includes('vt-a') || (opts.shellArgs as string[]).some((x) => x.includes('vt-a')), `ssh to vt-a: ${JSON.stringify(opts.shellArgs)}`);
    assert.match(t.name, /@ vt-a/);
    assert.ok(alive(await waitFor(() => t.processId, 10_000, 'terminal process')), 'attach client running');
    const other = await runOn('vt-b', 'sleep 300', 'vt-bystander');
    const bystander = await remoteJob('vt-b', other.id, (j) => j.state === 'running' && !!j.pid);
    const done = await vscode.commands.executeCommand<JobRecord | undefined>('linger.kill', { kind: 'job', job });
    assert.equal(done?.state, 'killed');
    await waitFor(() => !alive(job.pid!), 15_000, 'the vt-a job to be gone');
    assert.ok(alive(bystander.pid!), 'CONTROL: the vt-b job still runs');
    await remoteJob('vt-a', job.id, (j) => j.state === 'killed');
  });

  test('Install CLI on Host puts a working linger launcher into ~/.local/bin on vt-a (control: not on this host)', async function () {
    this.timeout(60_000);
    const home = rig!.hosts.find((h) => h.name === 'vt-a')!.home;
    const res = await vscode.commands.executeCommand<{ path: string; onPath: boolean } | undefined>('linger.installCli', { host: 'vt-a' });
    assert.ok(res, 'installCli answered');
    assert.equal(res.path, join(home, '.local/bin/linger'), 'in vt-a\'s home');
    // The test home's empty ~/.profile does not add ~/.local/bin: the message must say so.
    assert.equal(res.onPath, false);
    assert.ok(!existsSync(join(process.env.HOME!, '.local/bin/linger')), 'CONTROL: nothing written on this host');
    // The launcher runs the versioned agent copy there: `linger ls` on vt-a lists vt-a's jobs.
    const out = spawnSync(res.path, ['ls', '--json'], { encoding: 'utf8', env: { ...process.env, HOME: home, LINGER_HOME: stateDir('vt-a') } });
    assert.equal(out.status, 0, out.stderr);
    const listed = JSON.parse(out.stdout) as unknown;
    const jobs = (Array.isArray(listed) ? listed : (listed as { jobs: JobRecord[] }).jobs) as JobRecord[];
    assert.ok(jobs.some((j) => j.id === started.find((x) => x.host === 'vt-a')!.id), 'the launcher sees vt-a\'s job');
  });

  test('a "linger" task with "host": "vt-a" runs there and streams until it ends (control: nothing of it on this host)', async function () {
    this.timeout(60_000);
    const a = await api();
    const tasks = await vscode.tasks.fetchTasks({ type: 'linger' });
    const task = tasks.find((t) => t.name === 'vt-task-host');
    assert.ok(task, `task not found; got ${tasks.map((t) => t.name).join(', ')}`);
    const ended = new Promise<void>((resolve) => {
      const sub = vscode.tasks.onDidEndTask((e) => { if (e.execution.task.name === 'vt-task-host') { sub.dispose(); resolve(); } });
    });
    await vscode.tasks.executeTask(task);
    await ended;
    const job = await waitFor(() => a.jobs().find((j) => j.name === 'vt-task-host' && j.state !== 'running'), 20_000, 'the task\'s job on vt-a');
    assert.equal(job.host, 'vt-a');
    assert.equal(job.exitCode, 6);
    assert.ok(existsSync(join(stateDir('vt-a'), 'jobs', job.id)), 'its record is on vt-a');
    assert.ok(!a.jobs().some((j) => !j.host && j.name === 'vt-task-host'), 'CONTROL: no such job on this host');
  });

  test('vt-b drops and comes back: its attach terminal is back exactly once, and the job that ended meanwhile is reported', async function () {
    this.timeout(150_000);
    const a = await api();
    const keep = await runOn('vt-b', 'echo keep-b; sleep 300', 'vt-keep-b');
    const kept = await remoteJob('vt-b', keep.id, (j) => j.state === 'running' && !!j.pid);
    await vscode.commands.executeCommand('linger.attach', { kind: 'job', job: kept });
    const t1 = await waitFor(() => terminalsOf(keep.id, 'vt-b')[0], 15_000, 'the attach terminal');
    await waitFor(() => t1.processId, 10_000, 'terminal process');
    const short = await runOn('vt-b', 'sleep 6; exit 5', 'vt-ends-while-b-away');
    await remoteJob('vt-b', short.id, (j) => j.state === 'running');
    const reportsBefore = a.reattachReports().length;

    await rig!.stopHost('vt-b');
    await status('vt-b', ['unreachable', 'connecting', 'idle'], 60_000);
    // The ssh in the terminal lost its host: the terminal ends (that is not the user detaching).
    await waitFor(() => t1.exitStatus !== undefined || !vscode.window.terminals.includes(t1), 60_000, 'the old attach terminal to end');
    await waitFor(() => existsSync(join(stateDir('vt-b'), 'jobs', short.id, 'exit')), 30_000, 'the short job to end while vt-b is away');
    assert.ok(alive(kept.pid!), 'the job on vt-b keeps running while vt-b is unreachable');

    await rig!.startHost('vt-b');
    await vscode.commands.executeCommand('linger.retryHost', { host: 'vt-b' });
    await status('vt-b', ['connected'], 60_000);
    const report = await waitFor(() => a.reattachReports().slice(reportsBefore).find((r) => r.host === 'vt-b'), 30_000, 'vt-b\'s reattach report');
    assert.deepEqual(report.reopened, [`${keep.id}@vt-b`]);
    assert.deepEqual(report.finished.map((j) => j.id), [short.id], 'the job that ended while vt-b was away');
    assert.equal(report.finished[0]!.exitCode, 5);
    await waitFor(() => terminalsOf(keep.id, 'vt-b').some((t) => t !== t1 && t.exitStatus === undefined), 15_000, 'the new terminal');
    await sleep(2000); // a duplicate would appear within this time
    const live = terminalsOf(keep.id, 'vt-b').filter((t) => t.exitStatus === undefined);
    assert.equal(live.length, 1, 'exactly one live terminal for the job');
    assert.equal(a.reattachReports().slice(reportsBefore).filter((r) => r.host === 'vt-b').length, 1, 'one report for the reconnect');
  });
});
