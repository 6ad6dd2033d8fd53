// The Remote Sessions view: one item per job, plus a group for the user's own tmux/screen
// sessions. Push-driven: it re-renders whenever Ctx gets a new job list or host status.
//
// With other hosts (ssh_config / linger.hosts) the first level is the hosts: "this host" first,
// then each other host with how it is reached (connected, connecting, unreachable and why, refused,
// or idle: expanding it connects). With no other host the view stays flat as it always was: a
// level holding a single "this host" node would only cost a click and push every job one indent
// to the right, and a user who never listed a host should see nothing of the feature.
import * as vscode from 'vscode';
import { isRunning } from '../core/jobs/state';
import type { ForeignSession, HostInfo, JobRecord } from '../core/protocol';
import type { Ctx } from './ctx';
import { keyOf, statusText } from './host_keys';
import { contextValue, jobDescription, jobIcon, jobLabel, jobTooltip } from './job_format';

export const VIEW_ID = 'linger.sessions';

export type SessionNode =
  | { kind: 'host'; host: HostInfo }
  | { kind: 'hostMessage'; host: HostInfo; text: string }
  | { kind: 'job'; job: JobRecord }
  | { kind: 'foreignGroup'; sessions: readonly ForeignSession[] }
  | { kind: 'foreign'; session: ForeignSession };

export class JobsTreeProvider implements vscode.TreeDataProvider<SessionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[];
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly ctx: Ctx) {
    this.subs = [ctx.onDidChangeJobs(() => this.refresh()), ctx.onDidChangeHosts(() => this.refresh())];
  }

  refresh(): void {
    this.changed.fire(undefined);
    this.updateTicker();
  }

  /** True when the view shows hosts as its first level. */
  get grouped(): boolean {
    return this.ctx.hosts.length > 1;
  }

  /** Running durations in descriptions go stale; re-render every 30 s only while something runs. */
  private updateTicker(): void {
    const running = this.ctx.jobs.some((j) => isRunning(j));
    if (running && !this.ticker) this.ticker = setInterval(() => this.changed.fire(undefined), 30_000);
    if (!running && this.ticker) { clearInterval(this.ticker); this.ticker = undefined; }
  }

  private localItems(): SessionNode[] {
    const items: SessionNode[] = this.ctx.jobsOn(null).map((job) => ({ kind: 'job', job }));
    if (this.ctx.foreign.length) items.push({ kind: 'foreignGroup', sessions: this.ctx.foreign });
    return items;
  }

  async getChildren(node?: SessionNode): Promise<SessionNode[]> {
    if (!node) {
      if (!this.grouped) return this.localItems();
      return this.ctx.hosts.map((host) => ({ kind: 'host', host }));
    }
    if (node.kind === 'foreignGroup') return node.sessions.map((session) => ({ kind: 'foreign', session }));
    if (node.kind !== 'host') return [];
    const host = this.ctx.hostInfo(node.host.name) ?? node.host;
    if (host.name === null) {
      const items = this.localItems();
      return items.length ? items : [{ kind: 'hostMessage', host, text: 'no jobs' }];
    }
    const s = host.status;
    // Expanding an idle host is the user asking for it: the list request connects it.
    if (s.kind === 'idle') await this.ctx.listHost(host.name);
    const jobs: SessionNode[] = this.ctx.jobsOn(host.name).map((job) => ({ kind: 'job', job }));
    const now = this.ctx.hostInfo(host.name)?.status ?? s;
    if (now.kind === 'unreachable' || now.kind === 'refused') {
      const msg: SessionNode = { kind: 'hostMessage', host, text: statusText(now) };
      // Last known jobs stay listed (they keep running there); the reason comes first.
      return [msg, ...jobs];
    }
    if (!jobs.length) return [{ kind: 'hostMessage', host, text: now.kind === 'connecting' ? 'connecting…' : 'no jobs' }];
    return jobs;
  }

  getTreeItem(node: SessionNode): vscode.TreeItem {
    switch (node.kind) {
      case 'host': return hostItem(node.host, this.ctx.jobsOn(node.host.name));
      case 'hostMessage': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = `hostMessage:${node.host.name ?? ''}`;
        const bad = node.host.status.kind === 'unreachable' || node.host.status.kind === 'refused';
        item.contextValue = `hostMessage.${node.host.status.kind}`;
        item.iconPath = bad ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : undefined;
        item.tooltip = node.text;
        if (node.host.status.kind === 'unreachable' && node.host.name) {
          item.command = { command: 'linger.retryHost', title: 'Retry', arguments: [{ kind: 'host', host: node.host }] };
        }
        return item;
      }
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
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
    if (this.ticker) clearInterval(this.ticker);
  }
}

const HOST_ICONS: Record<HostInfo['status']['kind'], [string, string | undefined]> = {
  local: ['home', undefined],
  idle: ['vm-outline', undefined],
  connecting: ['loading~spin', undefined],
  connected: ['vm-active', 'testing.iconPassed'],
  unreachable: ['vm-outline', 'problemsWarningIcon.foreground'],
  refused: ['error', 'problemsErrorIcon.foreground'],
};

function hostItem(host: HostInfo, jobs: readonly JobRecord[]): vscode.TreeItem {
  const s = host.status;
  const open = s.kind === 'local' || s.kind === 'connected' || s.kind === 'connecting';
  const item = new vscode.TreeItem(host.label, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `host:${host.name ?? ''}`;
  const running = jobs.filter((j) => isRunning(j)).length;
  const counts = jobs.length ? `${running} running${jobs.length > running ? `, ${jobs.length - running} ended` : ''}` : '';
  item.description = [statusText(s), counts].filter(Boolean).join(' · ');
  item.tooltip = new vscode.MarkdownString(`**${host.label}**${host.name ? ` — \`ssh ${host.name}\`` : ''}\n\n`
    + `${s.kind === 'local' ? 'The host this window runs on.' : statusText(s)}`
    + `${s.kind === 'idle' ? ': expand it to connect (over your ssh; the first contact copies Linger\'s agent there).' : ''}`
    + `${s.kind === 'connected' ? ` (agent ${s.agentVersion})` : ''}`
    + `${s.kind === 'unreachable' ? `\n\nsince ${s.since}; its jobs keep running there. Retry, or wait: Linger retries by itself.` : ''}`
    + `\n\nfrom: ${host.source === 'ssh_config' ? 'ssh_config' : host.source === 'setting' ? 'linger.hosts' : 'this machine'}`);
  item.contextValue = `host.${s.kind}`;
  const [icon, color] = HOST_ICONS[s.kind];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  return item;
}

function jobItem(job: JobRecord): vscode.TreeItem {
  const item = new vscode.TreeItem(jobLabel(job), vscode.TreeItemCollapsibleState.None);
  // This host's jobs keep their bare id (the view's remembered state and older tests use it).
  item.id = keyOf(job);
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
