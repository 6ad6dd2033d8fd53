// Killing the agent: the client restarts it, jobs are untouched and the view stays correct.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobRecord } from '../../core/protocol';
import { agentPids, alive, api, cleanup, jobById, run, waitFor } from './helpers';

const started: string[] = [];

suite('agent crash', () => {
  suiteSetup(async function () { this.timeout(60_000); await api(); });
  suiteTeardown(async function () { this.timeout(60_000); await cleanup(started); });

  test('SIGKILL to the agent: restarted, job still running, view still right', async function () {
    this.timeout(60_000);
    const a = await api();
    const job = await run({ command: 'sleep 300', name: 'vt-survivor' });
    started.push(job.id);
    const before = await jobById(a, job.id, (j) => j.state === 'running' && j.pid !== null);
    const [agent] = agentPids();
    assert.ok(agent, 'agent process (dist/server.js child of the extension host) not found');
    process.kill(agent, 'SIGKILL');
    await waitFor(() => !alive(agent), 5_000, 'agent to die');
    const fresh = await waitFor(() => agentPids().find((p) => p !== agent), 20_000, 'a new agent process');
    assert.notEqual(fresh, agent);
    await waitFor(() => a.agentState() === 'running', 20_000, 'client running again');
    assert.ok(alive(before.pid!), 'the job survived the agent crash');
    const n = await vscode.commands.executeCommand<number>('linger.refresh');
    assert.ok(typeof n === 'number' && n >= 1);
    const after = a.jobs().find((j) => j.id === job.id);
    assert.equal(after?.state, 'running');
    const nodes = (await a.tree.getChildren()) ?? [];
    assert.ok(nodes.some((n2) => n2.kind === 'job' && n2.job.id === job.id), 'job still in the view');
    // And the restarted agent serves requests (push included: a new job shows up).
    const next = await run({ command: 'true', name: 'vt-after-crash' });
    await jobById(a, next.id, (j: JobRecord) => j.state === 'exited');
  });

  test('Restart Agent twice: each connection\'s subscriptions go with it', async function () {
    this.timeout(60_000);
    const a = await api();
    await waitFor(() => a.agentState() === 'running', 20_000, 'the agent running');
    const first = a.agentCleanupCount();
    assert.ok(first > 0, 'the connection holds its subscriptions in its own scope');
    for (let i = 0; i < 2; i++) {
      await vscode.commands.executeCommand('linger.restartAgent');
      await waitFor(() => a.agentState() === 'running', 20_000, 'the agent running again');
      assert.equal(a.agentCleanupCount(), first, `restart ${i + 1} left the old connection's subscriptions behind`);
    }
  });
});
