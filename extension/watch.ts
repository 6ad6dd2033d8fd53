// Reacts to job-list changes while the window is open: a notification when a job ends (exit
// status, duration, Show Log / Restart; linger.notifyOnExit: failures only, all, none), and — on
// the first list after activation — reattaching terminals and one summary of jobs that finished
// while nobody watched. (The counts in the status bar: status_bar.ts.)
import * as vscode from 'vscode';
import type { JobRecord } from '../core/protocol';
import { notifyOnExit, reattachOnReconnect } from './config';
import type { Ctx, JobsSnapshot } from './ctx';
import { reportError } from './errors';
import { failed, isCancelled, isFinished } from '../core/jobs/state';
import { isLive } from '../core/jobs/types';
import { endedNotice, jobLabel, outcomeLine } from './job_format';
import type { AttachTerminals } from './terminals';
import { VIEW_ID } from './jobs_tree';
import { keyOf, parseKey, sameHost, type HostName } from './host_keys';

/**
 * Running jobs this workspace last saw, as host keys (host_keys.ts: a job on this host is its bare
 * id); what ended since is "finished while away".
 */
const SEEN_KEY = 'linger.seenRunning';

export interface ReattachReport {
  /** Whose list this was (null = this host). */
  host: HostName;
  /** Job keys (host_keys.ts) whose terminal was reopened. */
  reopened: string[];
  finished: JobRecord[];
}

/** A notification as shown (tests read them: VS Code has no API to list notifications). */
export interface Notice { severity: 'info' | 'warning'; message: string; buttons: string[]; jobIds: string[] }

export class JobWatcher implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  /** A job that ends after this was running (or waiting) while the window was open. */
  private readonly openedAt = Date.now();
  /** Every notification this window showed about jobs ending, oldest first (the last 50). */
  readonly notices: Notice[] = [];
  /** Last seen state per job key, all hosts. */
  private lastState = new Map<string, JobRecord['state']>();
  private queue: Promise<void> = Promise.resolve();
  private readonly reattachEmitter = new vscode.EventEmitter<ReattachReport>();
  /**
   * Fires after each host's "initial" list was handled: this host's once per activation, a
   * remote host's also each time it came back from unreachable (tests wait for it).
   */
  readonly onDidReattach = this.reattachEmitter.event;
  /** This host's report (the activation's). */
  lastReattach: ReattachReport | undefined;
  /** The latest report per remote host. */
  readonly hostReattach = new Map<string, ReattachReport>();

  constructor(private readonly ctx: Ctx, private readonly terminals: AttachTerminals) {
    this.subs.push(
      this.reattachEmitter,
      // Handled strictly in order: the first list's reattach must see the state of the last session.
      ctx.onDidChangeJobs((s) => {
        this.queue = this.queue.then(() => this.onJobs(s)).catch((err) => ctx.log.warn(`job list handling: ${String(err)}`));
      }),
    );
  }

  private async onJobs(s: JobsSnapshot): Promise<void> {
    const previous = this.lastState;
    const mine = (key: string): boolean => sameHost(parseKey(key).host, s.host);
    this.lastState = new Map([...[...previous].filter(([k]) => !mine(k)), ...s.hostJobs.map((j): [string, JobRecord['state']] => [keyOf(j), j.state])]);
    const seen = this.ctx.extCtx.workspaceState.get<string[]>(SEEN_KEY, []);
    if (s.initial) {
      let report: ReattachReport | undefined;
      try {
        // Read the previous session's "seen running" before anything overwrites it.
        report = await this.reattach(s.host, s.hostJobs, seen.filter(mine));
      } catch (err) {
        void reportError(this.ctx, 'reattach', err);
      }
      // Jobs that ran and ended after this window opened but before its first list (a slow agent
      // start) ended while it was open: told like any other, not folded into the away summary.
      const away = new Set(report?.finished.map(keyOf) ?? []);
      this.notifyEnded(s.hostJobs.filter((job) => !away.has(keyOf(job)) && this.endedNow(job, undefined)));
    } else {
      this.notifyEnded(s.hostJobs.filter((job) => this.endedNow(job, previous.get(keyOf(job)))));
    }
    // Only this host's part of "seen" is replaced: the others' lists did not come with this one.
    const now = [...seen.filter((k) => !mine(k)), ...s.hostJobs.filter((j) => !isFinished(j)).map(keyOf)];
    await this.ctx.extCtx.workspaceState.update(SEEN_KEY, now);
  }

  /**
   * Ended since the last list: it was running or queued then, or it is new and both started and
   * ended in between (a short job) after this window opened.
   */
  private endedNow(job: JobRecord, before: JobRecord['state'] | undefined): boolean {
    if (!isFinished(job)) return false;
    if (before !== undefined) return isLive(before);
    return Date.parse(job.endedAt ?? '') >= this.openedAt;
  }

  /**
   * One notification per job that ended, as linger.notifyOnExit says; dependents cancelled in the
   * same moment share one (a chain of twenty is one message, not twenty).
   */
  private notifyEnded(ended: readonly JobRecord[]): void {
    const mode = notifyOnExit();
    if (mode === 'never') return;
    const wanted = ended.filter((j) => mode === 'always' || failed(j));
    const cancelled = wanted.filter(isCancelled);
    for (const job of wanted) {
      if (isCancelled(job) && cancelled.length > 1) continue;
      this.show(failed(job) ? 'warning' : 'info', `Linger: ${endedNotice(job)}${job.host ? ` (on ${job.host})` : ''}`, isCancelled(job) ? ['Show Jobs'] : ['Show Log', 'Restart'], [job]);
    }
    if (cancelled.length > 1) {
      const names = cancelled.slice(0, 3).map((j) => `"${jobLabel(j)}"`).join(', ') + (cancelled.length > 3 ? ', …' : '');
      this.show('warning', `Linger: ${cancelled.length} jobs were cancelled (${names}): ${cancelled[0]!.cancelReason ?? 'a dependency did not end as required'}`, ['Show Jobs'], cancelled);
    }
  }

  private show(severity: Notice['severity'], message: string, buttons: string[], jobs: readonly JobRecord[]): void {
    this.notices.push({ severity, message, buttons, jobIds: jobs.map((j) => j.id) });
    if (this.notices.length > 50) this.notices.shift();
    const showMessage = severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void showMessage(message, ...buttons).then((pick) => {
      const job = jobs[0];
      if (!pick || !job) return;
      if (pick === 'Show Log') void vscode.commands.executeCommand('linger.showLog', { kind: 'job', job });
      else if (pick === 'Restart') void vscode.commands.executeCommand('linger.restart', { kind: 'job', job });
      else void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    });
  }

  private async reattach(host: HostName, jobs: readonly JobRecord[], seen: readonly string[]): Promise<ReattachReport> {
    const byKey = new Map(jobs.map((j) => [keyOf(j), j]));
    const report: ReattachReport = { host, reopened: [], finished: [] };
    if (reattachOnReconnect()) {
      for (const key of this.terminals.remembered()) {
        if (!sameHost(parseKey(key).host, host)) continue; // another host's: its own list decides
        const job = byKey.get(key);
        if (!job || isFinished(job)) { await this.terminals.forget(key); continue; }
        if (this.terminals.terminalFor(key)) continue; // VS Code kept it: no duplicate
        await this.terminals.attach(job, { preserveFocus: true });
        report.reopened.push(key);
      }
      report.finished = seen.map((k) => byKey.get(k)).filter((j): j is JobRecord => !!j && isFinished(j));
      if (report.finished.length) this.summarise(report.finished, host);
    }
    this.ctx.log.info(`reconnect${host ? ` to ${host}` : ''}: reopened terminals [${report.reopened.join(', ')}], finished while away [${report.finished.map((j) => j.id).join(', ')}]`);
    if (host) this.hostReattach.set(host, report); else this.lastReattach = report;
    this.reattachEmitter.fire(report);
    return report;
  }

  /** ONE notification (per host) for everything that ended while no window watched. */
  private summarise(finished: JobRecord[], host: HostName): void {
    const where = host ? ` on ${host}` : '';
    const head = finished.length === 1
      ? `Linger: a job finished${where} while you were away — ${outcomeLine(finished[0]!)}`
      : `Linger: ${finished.length} jobs finished${where} while you were away — ${finished.slice(0, 3).map(outcomeLine).join('; ')}${finished.length > 3 ? '; …' : ''}`;
    const severity = finished.some(failed) ? 'warning' : 'info';
    this.notices.push({ severity, message: head, buttons: ['Show Log'], jobIds: finished.map((j) => j.id) });
    const show = severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
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
