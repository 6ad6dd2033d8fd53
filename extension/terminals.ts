// One integrated terminal per attached job. The terminal runs the agent's AttachCommand argv
// directly (shellPath/shellArgs, never a shell line). Closing it only ends the attach client:
// the job keeps running in its own session. Which jobs had terminals is remembered in
// workspaceState so a reloaded/reconnected window can reopen them exactly once.
import * as vscode from 'vscode';
import type { AttachCommand, ForeignSession, JobRecord } from '../core/protocol';
import type { Ctx } from './ctx';
import { terminalName } from './job_format';

/** Terminal env marker: lets us recognise our terminals, also ones created before a reload. */
export const JOB_ENV = 'LINGER_ATTACHED_JOB';
const STATE_KEY = 'linger.attachedJobs';

export class AttachTerminals implements vscode.Disposable {
  private readonly byJob = new Map<string, vscode.Terminal>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    for (const t of vscode.window.terminals) this.adopt(t);
    this.subs.push(
      vscode.window.onDidOpenTerminal((t) => this.adopt(t)),
      vscode.window.onDidCloseTerminal((t) => this.closed(t)),
    );
  }

  /** Job ids that should get a terminal back after a reload. */
  remembered(): string[] {
    return this.ctx.extCtx.workspaceState.get<string[]>(STATE_KEY, []);
  }

  private async remember(ids: Iterable<string>): Promise<void> {
    await this.ctx.extCtx.workspaceState.update(STATE_KEY, [...new Set(ids)]);
  }

  async forget(id: string): Promise<void> {
    await this.remember(this.remembered().filter((x) => x !== id));
  }

  terminalFor(id: string): vscode.Terminal | undefined {
    return this.byJob.get(id);
  }

  /** Number of open attach terminals (tests check "attach twice → one terminal"). */
  get count(): number { return this.byJob.size; }

  private jobIdOf(t: vscode.Terminal): string | undefined {
    const opts = t.creationOptions as vscode.TerminalOptions;
    const id = opts?.env?.[JOB_ENV];
    return typeof id === 'string' && id ? id : undefined;
  }

  private adopt(t: vscode.Terminal): void {
    const id = this.jobIdOf(t);
    if (!id) return;
    const existing = this.byJob.get(id);
    if (existing && existing !== t && existing.exitStatus === undefined) return;
    this.byJob.set(id, t);
    // Terminals we did not create ourselves (the Detached Shell profile) are remembered too.
    if (!this.remembered().includes(id)) void this.remember([...this.remembered(), id]);
  }

  private closed(t: vscode.Terminal): void {
    const id = this.jobIdOf(t);
    if (!id || this.byJob.get(id) !== t) return;
    this.byJob.delete(id);
    // A window shutting down is not the user detaching: keep it for reattach.
    if (t.exitStatus?.reason !== vscode.TerminalExitReason.Shutdown) void this.forget(id);
  }

  /** Focuses the job's terminal, creating it if needed. Returns the terminal. */
  async attach(job: JobRecord, opts: { preserveFocus?: boolean } = {}): Promise<vscode.Terminal> {
    const open = this.byJob.get(job.id);
    if (open && open.exitStatus === undefined) {
      open.show(opts.preserveFocus);
      return open;
    }
    const cmd = await this.ctx.agent().attach(job.id);
    // Re-check: a second click may have raced us while the request was in flight.
    const raced = this.byJob.get(job.id);
    if (raced && raced.exitStatus === undefined) { raced.show(opts.preserveFocus); return raced; }
    const t = vscode.window.createTerminal(terminalOptions(terminalName(job), cmd, job.id, undefined));
    this.byJob.set(job.id, t);
    await this.remember([...this.remembered(), job.id]);
    t.show(opts.preserveFocus);
    return t;
  }

  async attachForeign(session: ForeignSession): Promise<vscode.Terminal> {
    const cmd = await this.ctx.agent().attachForeign(session);
    const t = vscode.window.createTerminal(terminalOptions(`${session.session} (${session.backend})`, cmd, undefined, undefined));
    t.show();
    return t;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.byJob.clear();
  }
}

export function terminalOptions(name: string, cmd: AttachCommand, jobId: string | undefined, cwd: string | undefined): vscode.TerminalOptions {
  const [shellPath, ...shellArgs] = cmd.argv;
  if (!shellPath) throw new Error('the agent returned an empty attach command');
  return {
    name,
    shellPath,
    shellArgs,
    cwd,
    env: { ...(cmd.env ?? {}), ...(jobId ? { [JOB_ENV]: jobId } : {}) },
    iconPath: new vscode.ThemeIcon('debug-disconnect'),
    message: cmd.detachHint ? `\x1b[2m${cmd.detachHint} (closing this terminal detaches; the job keeps running)\x1b[0m` : undefined,
    // VS Code must not revive these itself after a reload: we reattach, exactly once.
    isTransient: true,
  };
}
