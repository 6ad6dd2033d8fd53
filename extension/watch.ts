// Reacts to job-list changes while the window is open: the running-count status bar item,
// a notification when a job ends, and — on the first list after activation — reattaching
// terminals and one summary of jobs that finished while nobody watched.
import * as vscode from 'vscode';
import type { JobRecord } from '../core/protocol';
import { notifyOnExit, reattachOnReconnect } from './config';
import type { Ctx, JobsSnapshot } from './ctx';
import { reportError } from './errors';
import { failed, isFinished, isRunning } from '../core/jobs/state';
import { jobLabel, outcomeLine } from './job_format';
import type { AttachTerminals } from './terminals';
import { VIEW_ID } from './jobs_tree';

/** Running job ids this workspace last saw; what ended since is "finished while away". */
const SEEN_KEY = 'linger.seenRunning';

export interface ReattachReport {
  reopened: string[];
  finished: JobRecord[];
}

export class JobWatcher implements vscode.Disposable {
  private readonly status: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private lastState = new Map<string, JobRecord['state']>();
  private reattachDone = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly reattachEmitter = new vscode.EventEmitter<ReattachReport>();
  /** Fires once, after the first job list was handled (tests wait for it). */
  readonly onDidReattach = this.reattachEmitter.event;
  lastReattach: ReattachReport | undefined;

  constructor(private readonly ctx: Ctx, private readonly terminals: AttachTerminals) {
    this.status = vscode.window.createStatusBarItem('linger.running', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'Linger running jobs';
    this.status.command = `${VIEW_ID}.focus`;
    this.subs.push(
      this.status, this.reattachEmitter,
      // Handled strictly in order: the first list's reattach must see the state of the last session.
      ctx.onDidChangeJobs((s) => {
        this.queue = this.queue.then(() => this.onJobs(s)).catch((err) => ctx.log.warn(`job list handling: ${String(err)}`));
      }),
      ctx.onDidChangeAgentState(() => this.updateStatus()),
    );
    this.updateStatus();
  }

  private async onJobs(s: JobsSnapshot): Promise<void> {
    this.updateStatus();
    const previous = this.lastState;
    this.lastState = new Map(s.jobs.map((j) => [j.id, j.state]));
    if (!this.reattachDone) {
      this.reattachDone = true;
      try {
        // Read the previous session's "seen running" before anything overwrites it.
        await this.reattach(s.jobs, this.ctx.extCtx.workspaceState.get<string[]>(SEEN_KEY, []));
      } catch (err) {
        void reportError(this.ctx, 'reattach', err);
      }
    } else {
      for (const job of s.jobs) {
        if ((previous.get(job.id) === 'running' || previous.get(job.id) === 'queued') && isFinished(job)) this.notifyEnded(job);
      }
    }
    await this.ctx.extCtx.workspaceState.update(SEEN_KEY, s.jobs.filter((j) => !isFinished(j)).map((j) => j.id));
  }

  private updateStatus(): void {
    const agent = this.ctx.agentState;
    if (agent === 'down') {
      this.status.text = '$(warning) Linger';
      this.status.tooltip = 'The Linger agent is not running (jobs are not affected). Click to open the view.';
      this.status.show();
      return;
    }
    const running = this.ctx.jobs.filter((j) => isRunning(j)).length;
    this.status.text = `$(server-process) ${running}`;
    this.status.tooltip = `${running} detached job${running === 1 ? '' : 's'} running — show Remote Sessions`;
    if (running > 0) this.status.show(); else this.status.hide();
  }

  private notifyEnded(job: JobRecord): void {
    const mode = notifyOnExit();
    if (mode === 'never' || (mode === 'onFailure' && !failed(job))) return;
    const show = failed(job) ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`Linger: ${outcomeLine(job)}`, 'Show Log').then((pick) => {
      if (pick) void vscode.commands.executeCommand('linger.showLog', { kind: 'job', job });
    });
  }

  private async reattach(jobs: readonly JobRecord[], seen: readonly string[]): Promise<void> {
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const report: ReattachReport = { reopened: [], finished: [] };
    if (reattachOnReconnect()) {
      for (const id of this.terminals.remembered()) {
        const job = byId.get(id);
        if (!job || isFinished(job)) { await this.terminals.forget(id); continue; }
        if (this.terminals.terminalFor(id)) continue; // VS Code kept it: no duplicate
        await this.terminals.attach(job, { preserveFocus: true });
        report.reopened.push(id);
      }
      report.finished = seen.map((id) => byId.get(id)).filter((j): j is JobRecord => !!j && isFinished(j));
      if (report.finished.length) this.summarise(report.finished);
    }
    this.ctx.log.info(`reconnect: reopened terminals [${report.reopened.join(', ')}], finished while away [${report.finished.map((j) => j.id).join(', ')}]`);
    this.lastReattach = report;
    this.reattachEmitter.fire(report);
  }

  /** ONE notification for everything that ended while no window watched. */
  private summarise(finished: JobRecord[]): void {
    const head = finished.length === 1
      ? `Linger: a job finished while you were away — ${outcomeLine(finished[0]!)}`
      : `Linger: ${finished.length} jobs finished while you were away — ${finished.slice(0, 3).map(outcomeLine).join('; ')}${finished.length > 3 ? '; …' : ''}`;
    const show = finished.some(failed) ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(head, 'Show Log').then(async (pick) => {
      if (!pick) return;
      const job = finished.length === 1 ? finished[0] : await pickFrom(finished);
      if (job) void vscode.commands.executeCommand('linger.showLog', { kind: 'job', job });
    });
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

async function pickFrom(jobs: JobRecord[]): Promise<JobRecord | undefined> {
  const pick = await vscode.window.showQuickPick(
    jobs.map((job) => ({ label: jobLabel(job), description: outcomeLine(job), job })),
    { title: 'Show the log of…' });
  return pick?.job;
}
