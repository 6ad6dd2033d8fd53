// Shared helpers for the suites that run inside VS Code's extension host.
/// <reference types="mocha" />
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LingerApi } from '../../extension/api';
import type { JobRecord } from '../../core/protocol';
import type { SessionNode } from '../../extension/jobs_tree';
// @ts-expect-error: a plain .mjs module (the launcher's sshd rig), bundled by esbuild
import { demoHostsAt } from '../../scripts/demo-hosts.mjs';

export const EXTENSION_ID = 'linger-dev.linger';

export async function api(): Promise<LingerApi> {
  const ext = vscode.extensions.getExtension<LingerApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const a = ext.isActive ? ext.exports : await ext.activate();
  await waitFor(() => a.agentState() === 'running', 20_000, 'agent running');
  await a.ready();
  return a;
}

export function packageJson(): { contributes: { commands: Array<{ command: string }> } } {
  return vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` (which may be async) until it is truthy; the value is returned. */
export async function waitFor<T>(cond: () => T | PromiseLike<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (err) { last = err; }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(100);
  }
}

export async function jobById(a: LingerApi, id: string, pred: (j: JobRecord) => boolean = () => true, timeoutMs = 15_000): Promise<JobRecord> {
  const jobs = await a.waitForJobs((js) => js.some((j) => j.id === id && pred(j)), timeoutMs);
  return jobs.find((j) => j.id === id)!;
}

function statFields(pid: string): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' '); // [state, ppid, pgrp, session, …]
  } catch { return null; }
}

/** Live (non-zombie) processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (f && f[0] !== 'Z' && Number(f[2]) === pgid) out.push(Number(name));
  }
  return out;
}

export function alive(pid: number): boolean {
  const f = statFields(String(pid));
  return !!f && f[0] !== 'Z';
}

export function cmdline(pid: number): string[] {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { return []; }
}

/** The agent: a child of this extension host running dist/server.js. */
export function agentPids(): number[] {
  const me = String(process.pid);
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (f && f[0] !== 'Z' && f[1] === me && cmdline(Number(name)).some((a) => a.endsWith('dist/server.js'))) out.push(Number(name));
  }
  return out;
}

export function jobTerminals(id: string): vscode.Terminal[] {
  return vscode.window.terminals.filter((t) => (t.creationOptions as vscode.TerminalOptions).env?.LINGER_ATTACHED_JOB === id);
}

export async function run(args: { command?: string; argv?: string[]; name?: string }): Promise<JobRecord> {
  const job = await vscode.commands.executeCommand<JobRecord | undefined>('linger.runDetached', args);
  if (!job) throw new Error(`linger.runDetached returned nothing for ${JSON.stringify(args)} (see the Linger output)`);
  return job;
}

/** Kills a job if still running; for suite teardown. */
export async function cleanup(ids: string[]): Promise<void> {
  for (const id of ids) {
    try { await vscode.commands.executeCommand('linger.kill', { id }); } catch { /* already gone */ }
  }
}

/** The view's row (tree item) of a job, as VS Code would render it. */
export async function treeItemFor(id: string): Promise<vscode.TreeItem | undefined> {
  const a = await api();
  const nodes = (await a.tree.getChildren()) ?? [];
  const node = nodes.find((n: SessionNode) => n.kind === 'job' && n.job.id === id);
  return node ? await a.tree.getTreeItem(node) : undefined;
}

export function iconId(item: vscode.TreeItem | undefined): string | undefined {
  return item?.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

/** The other hosts the launcher started (scripts/demo-hosts.mjs demoHostsAt). */
export interface Rig {
  sshConfig: string;
  hosts: Array<{ name: string; home: string; dir: string }>;
  stop(): Promise<void>;
  stopHost(name: string): Promise<void>;
  startHost(name: string): Promise<void>;
}

/** The launcher's hosts (LINGER_TEST_RIG), or the suite skips (no sshd here). */
export function rigOrSkip(ctx: Mocha.Context): Rig {
  const dir = process.env.LINGER_TEST_RIG;
  if (!dir) { console.log('skipping: no other hosts (see the launcher output)'); ctx.skip(); }
  return demoHostsAt(dir!) as Rig;
}

/** Names the rig's ssh_config in linger.sshConfigFile and waits for its hosts in the list. */
export async function useHosts(rig: Rig): Promise<void> {
  const a = await api();
  await vscode.workspace.getConfiguration('linger').update('sshConfigFile', rig.sshConfig, vscode.ConfigurationTarget.Global);
  await waitFor(() => rig.hosts.every((h) => a.hosts().some((x) => x.name === h.name)), 30_000, 'the other hosts in the list');
}
