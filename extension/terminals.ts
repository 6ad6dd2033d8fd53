// One integrated terminal per attached job. The terminal runs the agent's AttachCommand argv
// directly (shellPath/shellArgs, never a shell line). Closing it only ends the attach client:
// the job keeps running in its own session. Which jobs had terminals is remembered in
// workspaceState so a reloaded/reconnected window can reopen them exactly once.
// Jobs are keyed by host + id (host_keys.ts). A job on another host is attached over `ssh -t`
// (the agent builds the argv): when that host drops off the network the ssh client exits 255 and
// the terminal closes; that is not the user detaching, so the job stays remembered and the
// watcher reopens its terminal, once, when the host's list comes back (watch.ts).
import * as vscode from 'vscode';
import type { AttachCommand, ForeignSession, JobRecord } from '../core/protocol';
import type { Ctx } from './ctx';
import { jobKey, keyOf, parseKey } from './host_keys';
import { terminalName } from './job_format';

/** Terminal env markers: let us recognise our terminals, also ones created before a reload. */
export const JOB_ENV = 'LINGER_ATTACHED_JOB';
export const HOST_ENV = 'LINGER_ATTACHED_HOST';
const STATE_KEY = 'linger.attachedJobs';
/** What ssh exits with when the connection failed or dropped (and never the remote command's own code). */
const SSH_CONNECTION_LOST = 255;

export class AttachTerminals implements vscode.Disposable {
  /** By job key (host_keys.ts). */
  private readonly byJob = new Map<string, vscode.Terminal>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    for (const t of vscode.window.terminals) this.adopt(t);
    this.subs.push(
      vscode.window.onDidOpenTerminal((t) => this.adopt(t)),
      vscode.window.onDidCloseTerminal((t) => this.closed(t)),
    );
  }

  /** Job keys (host_keys.ts) that should get a terminal back after a reload or reconnect. */
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
    if (typeof id !== 'string' || !id) return undefined;
    const host = opts.env?.[HOST_ENV];
    return jobKey(typeof host === 'string' && host ? host : null, id);
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
    // A window shutting down is not the user detaching: keep it for reattach. Neither is the
    // ssh of a remote job's terminal losing its host: the host's next list reopens it.
    const why = t.exitStatus;
    if (why?.reason === vscode.TerminalExitReason.Shutdown) return;
    if (parseKey(id).host && why?.reason === vscode.TerminalExitReason.Process && why.code === SSH_CONNECTION_LOST) {
      this.ctx.log.info(`attach terminal of ${id} lost its connection; it comes back when the host does`);
      return;
    }
    void this.forget(id);
  }

  /** Focuses the job's terminal, creating it if needed. Returns the terminal. */
  async attach(job: JobRecord, opts: { preserveFocus?: boolean } = {}): Promise<vscode.Terminal> {
    const key = keyOf(job);
    const open = this.byJob.get(key);
    if (open && open.exitStatus === undefined) {
      open.show(opts.preserveFocus);
      return open;
    }
    const cmd = await this.ctx.agent().attach(job.id, job.host ?? null);
    // Re-check: a second click may have raced us while the request was in flight.
    const raced = this.byJob.get(key);
    if (raced && raced.exitStatus === undefined) { raced.show(opts.preserveFocus); return raced; }
    const t = vscode.window.createTerminal(terminalOptions(terminalName(job), cmd, job, undefined));
    this.byJob.set(key, t);
    await this.remember([...this.remembered(), key]);
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

export function terminalOptions(
  name: string, cmd: AttachCommand, job: Pick<JobRecord, 'id' | 'host'> | undefined, cwd: string | undefined,
): vscode.TerminalOptions {
  const [shellPath, ...shellArgs] = cmd.argv;
  if (!shellPath) throw new Error('the agent returned an empty attach command');
  return {
    name,
    shellPath,
    shellArgs,
    cwd,
    env: { ...(cmd.env ?? {}), ...(job ? { [JOB_ENV]: job.id } : {}), ...(job?.host ? { [HOST_ENV]: job.host } : {}) },
    iconPath: new vscode.ThemeIcon('debug-disconnect'),
    message: cmd.detachHint ? `\x1b[2m${cmd.detachHint} (closing this terminal detaches; the job keeps running)\x1b[0m` : undefined,
    // VS Code must not revive these itself after a reload: we reattach, exactly once.
    isTransient: true,
  };
}
