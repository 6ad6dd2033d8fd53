// Activation only: build the parts, register them, start the agent without waiting for it.
// Everything long-lived is owned by Ctx (see ctx.ts).
import * as vscode from 'vscode';
import type { JobRecord } from '../core/protocol';
import type { LingerApi } from './api';
import { registerCommands } from './commands';
import { progressPatternProblems } from './config';
import { Ctx } from './ctx';
import { DoctorView } from './doctor_view';
import { revealOnceWithHosts } from './first_reveal';
import { JobsTreeProvider, VIEW_ID } from './jobs_tree';
import { LogDocuments } from './log_view';
import { LingerTaskProvider, TASK_TYPE } from './task_provider';
import { DetachedShellProfile, PROFILE_ID } from './terminal_profile';
import { AttachTerminals } from './terminals';
import type { ReattachReport } from './watch';
import { JobWatcher } from './watch';
import { JobsStatusBar } from './status_bar';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): LingerApi {
  const t0 = performance.now();
  try {
    const c = new Ctx(context);
    ctx = c;
    const tree = new JobsTreeProvider(c);
    const terminals = new AttachTerminals(c);
    const logs = new LogDocuments(c);
    const doctor = new DoctorView(c);
    const watcher = new JobWatcher(c, terminals);
    const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
    const status = new JobsStatusBar(c);
    // Progress is read only while someone looks at the view.
    c.setProgressVisible(view.visible);
    c.pushExtCleanup(
      tree, terminals, logs, doctor, watcher, view, status,
      view.onDidChangeVisibility((e) => c.setProgressVisible(e.visible)),
      ...registerCommands({ ctx: c, terminals, logs, doctor }),
      vscode.tasks.registerTaskProvider(TASK_TYPE, new LingerTaskProvider(c)),
      vscode.window.registerTerminalProfileProvider(PROFILE_ID, new DetachedShellProfile(c)),
      revealOnceWithHosts(c),
    );
    const ready = new Promise<ReattachReport>((resolve) => {
      if (watcher.lastReattach) resolve(watcher.lastReattach);
      else c.pushExtCleanup(watcher.onDidReattach((r) => { if (r.host === null) resolve(r); }));
    });
    warnAboutProgressPatterns();
    c.pushExtCleanup(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('linger.progressPatterns')) warnAboutProgressPatterns();
    }));
    const reports: ReattachReport[] = [];
    c.pushExtCleanup(watcher.onDidReattach((r) => reports.push(r)));
    c.startAgent();
    const activationMs = performance.now() - t0;
    return {
      tree,
      activationMs,
      jobs: () => c.jobs,
      agentState: () => c.agentState,
      waitForJobs: (pred, timeoutMs = 15_000) => waitForJobs(c, pred, timeoutMs),
      terminalFor: (id) => terminals.terminalFor(id),
      attachTerminalCount: () => terminals.count,
      rememberedAttachments: () => terminals.remembered(),
      ready: () => ready,
      reattachReports: () => reports,
      hosts: () => c.hosts,
      logText: (id) => logs.textOf(id),
      agentCleanupCount: () => c.clientCleanupCount,
      notices: () => watcher.notices,
      statusBar: () => status.state,
      viewVisible: () => view.visible,
    };
  } catch (err) {
    void vscode.window.showErrorMessage(`Linger failed to activate: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

/** The patterns the agent will leave out, said once per change (not per job, not per read). */
function warnAboutProgressPatterns(): void {
  const problems = progressPatternProblems();
  if (problems.length) void vscode.window.showWarningMessage(`Linger: ${problems.join('; ')}. Such patterns are ignored.`, 'Open Settings').then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'linger.progressPatterns');
  });
}

function waitForJobs(c: Ctx, pred: (jobs: readonly JobRecord[]) => boolean, timeoutMs: number): Promise<readonly JobRecord[]> {
  return new Promise<readonly JobRecord[]>((resolve, reject) => {
    if (pred(c.jobs)) { resolve(c.jobs); return; }
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${timeoutMs} ms waiting for the job list`)); }, timeoutMs);
    const sub = c.onDidChangeJobs((s) => {
      if (!pred(s.jobs)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(s.jobs);
    });
  });
}

export async function deactivate(): Promise<void> {
  const c = ctx;
  ctx = undefined;
  await c?.dispose();
}
