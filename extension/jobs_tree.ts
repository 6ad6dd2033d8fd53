// The Remote Sessions view: one item per job, plus a group for the user's own tmux/screen
// sessions. Push-driven: it re-renders whenever Ctx gets a new job list.
import * as vscode from 'vscode';
import { isRunning } from '../core/jobs/state';
import type { ForeignSession, JobRecord } from '../core/protocol';
import type { Ctx } from './ctx';
import { contextValue, jobDescription, jobIcon, jobLabel, jobTooltip } from './job_format';

export const VIEW_ID = 'linger.sessions';

export type SessionNode =
  | { kind: 'job'; job: JobRecord }
  | { kind: 'foreignGroup'; sessions: readonly ForeignSession[] }
  | { kind: 'foreign'; session: ForeignSession };

export class JobsTreeProvider implements vscode.TreeDataProvider<SessionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly ctx: Ctx) {
    this.sub = ctx.onDidChangeJobs(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
    this.updateTicker();
  }

  /** Running durations in descriptions go stale; re-render every 30 s only while something runs. */
  private updateTicker(): void {
    const running = this.ctx.jobs.some((j) => isRunning(j));
    if (running && !this.ticker) this.ticker = setInterval(() => this.changed.fire(undefined), 30_000);
    if (!running && this.ticker) { clearInterval(this.ticker); this.ticker = undefined; }
  }

  getChildren(node?: SessionNode): SessionNode[] {
    if (!node) {
      const items: SessionNode[] = this.ctx.jobs.map((job) => ({ kind: 'job', job }));
      if (this.ctx.foreign.length) items.push({ kind: 'foreignGroup', sessions: this.ctx.foreign });
      return items;
    }
    if (node.kind === 'foreignGroup') return node.sessions.map((session) => ({ kind: 'foreign', session }));
    return [];
  }

  getTreeItem(node: SessionNode): vscode.TreeItem {
    switch (node.kind) {
      case 'job': return jobItem(node.job);
      case 'foreignGroup': {
        const item = new vscode.TreeItem('Other tmux / screen sessions', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'foreign';
        item.contextValue = 'foreignGroup';
        item.iconPath = new vscode.ThemeIcon('terminal-tmux');
        item.tooltip = 'Sessions you started yourself. Linger can attach to them but never kills them.';
        return item;
      }
      case 'foreign': {
        const s = node.session;
        const item = new vscode.TreeItem(s.session, vscode.TreeItemCollapsibleState.None);
        item.id = `foreign:${s.backend}:${s.socket}:${s.session}`;
        item.description = `${s.backend}${s.attached ? ' · attached' : ''}`;
        item.tooltip = `${s.backend} session ${s.session}\nsocket: ${s.socket}${s.createdAt ? `\ncreated: ${s.createdAt}` : ''}`;
        item.contextValue = 'foreign';
        item.iconPath = new vscode.ThemeIcon('terminal');
        item.command = { command: 'linger.attachForeign', title: 'Attach', arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
    if (this.ticker) clearInterval(this.ticker);
  }
}

function jobItem(job: JobRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(jobLabel(job), vscode.TreeItemCollapsibleState.None);
  item.id = job.id;
  item.description = jobDescription(job);
  item.tooltip = jobTooltip(job);
  item.contextValue = contextValue(job);
  const icon = jobIcon(job);
  item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  // Clicking a running job attaches; a finished one shows its log.
  item.command = isRunning(job)
    ? { command: 'linger.attach', title: 'Attach', arguments: [{ kind: 'job', job }] }
    : { command: 'linger.showLog', title: 'Show Log', arguments: [{ kind: 'job', job }] };
  return item;
}
