// The status bar item: how many jobs run, wait and failed ("$(sync~spin) 2 $(clock) 3 $(error) 1"),
// a click opens the Remote Sessions view. Hidden when there are no jobs; a warning when the agent
// is down (jobs are not affected, but the counts would be stale).
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { statusCounts, statusText } from './job_format';
import { VIEW_ID } from './jobs_tree';

export class JobsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[];
  private shown = false;

  constructor(private readonly ctx: Ctx) {
    this.item = vscode.window.createStatusBarItem('linger.jobs', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Linger jobs';
    this.item.command = `${VIEW_ID}.focus`;
    this.subs = [ctx.onDidChangeJobs(() => this.update()), ctx.onDidChangeAgentState(() => this.update())];
    this.update();
  }

  /** What it shows now (tests read it: VS Code has no API to read another item). */
  get state(): { text: string; tooltip: string; visible: boolean } {
    return { text: this.item.text, tooltip: String(this.item.tooltip ?? ''), visible: this.shown };
  }

  private update(): void {
    if (this.ctx.agentState === 'down') {
      this.item.text = '$(warning) Linger';
      this.item.tooltip = 'The Linger agent is not running (jobs are not affected). Click to open the view.';
      this.show(true);
      return;
    }
    const t = statusText(statusCounts(this.ctx.jobs));
    if (t) { this.item.text = t.text; this.item.tooltip = t.tooltip; }
    this.show(t !== null);
  }

  private show(on: boolean): void {
    this.shown = on;
    if (on) this.item.show(); else this.item.hide();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
