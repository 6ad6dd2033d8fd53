// What activate() returns. Used by the in-VS-Code tests (test/vscode) to look inside;
// not a stable API for other extensions.
import type * as vscode from 'vscode';
import type { HostInfo, JobRecord } from '../core/protocol';
import type { AgentState } from './ctx';
import type { SessionNode } from './jobs_tree';
import type { Notice, ReattachReport } from './watch';

export interface LingerApi {
  readonly tree: vscode.TreeDataProvider<SessionNode>;
  jobs(): readonly JobRecord[];
  agentState(): AgentState;
  /** Resolves with the next job list that satisfies `pred` (or rejects after timeoutMs). */
  waitForJobs(pred: (jobs: readonly JobRecord[]) => boolean, timeoutMs?: number): Promise<readonly JobRecord[]>;
  /** Terminal attached to a job, if any; and how many attach terminals are open. */
  terminalFor(id: string): vscode.Terminal | undefined;
  attachTerminalCount(): number;
  /** Job ids remembered for reattach (workspaceState). */
  rememberedAttachments(): string[];
  /** Resolves after the first list has been handled (reattach done). */
  ready(): Promise<ReattachReport>;
  /** Every reattach report so far, this host's and each remote host's (one per "initial" list). */
  reattachReports(): readonly ReattachReport[];
  /** This host first, then the other hosts with their status. */
  hosts(): readonly HostInfo[];
  logText(id: string): string | undefined;
  /** Disposables tied to the current agent connection (constant across agent restarts). */
  agentCleanupCount(): number;
  /** Notifications shown about jobs that ended (oldest first). */
  notices(): readonly Notice[];
  /** The jobs status bar item as shown. */
  statusBar(): { text: string; tooltip: string; visible: boolean };
  /** Whether the Remote Sessions view is visible (the agent reads progress only then). */
  viewVisible(): boolean;
  /** Milliseconds activate() took. */
  readonly activationMs: number;
}
