// Task type `linger`: {"type": "linger", "command": "make", "args": ["all"]} starts the command
// as a detached job and streams its log into the task terminal until the job ends. Closing the
// task terminal stops the streaming only; the job keeps running.
import * as vscode from 'vscode';
import { isFinished } from '../core/jobs/state';
import type { JobRecord } from '../core/protocol';
import { requireTrust, shellParams } from './run_params';
import type { Ctx } from './ctx';
import { classify } from './errors';
import { jobDescription } from './job_format';

export const TASK_TYPE = 'linger';

interface LingerTaskDefinition extends vscode.TaskDefinition {
  command: string;
  args?: string[];
  name?: string;
  /** Run `command` as a shell line (default when there are no args). */
  shell?: boolean;
  cwd?: string;
  /** ssh alias of the host to run on (absent: this host). */
  host?: string;
}

function isDefinition(d: vscode.TaskDefinition): d is LingerTaskDefinition {
  return typeof d.command === 'string' && (d.host === undefined || typeof d.host === 'string')
    && (d.args === undefined || (Array.isArray(d.args) && d.args.every((a) => typeof a === 'string')));
}

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

class JobStreamTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: Ctx, private readonly def: LingerTaskDefinition, private readonly folder: string | undefined) {}

  open(): void { void this.start(); }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async start(): Promise<void> {
    let job: JobRecord;
    try {
      requireTrust();
      const shell = this.def.shell ?? !(this.def.args && this.def.args.length);
      const host = this.def.host || null;
      // The workspace folder is a path on this machine: on another host the job starts in the home there.
      const extra = { name: this.def.name ?? null, cwd: this.def.cwd ?? (host ? undefined : this.folder), host };
      const params = shell
        ? shellParams([this.def.command, ...(this.def.args ?? [])].join(' '), extra)
        : { ...extra, argv: [this.def.command, ...(this.def.args ?? [])], shell: false };
      // Accepted is started: the pid of a slow start arrives later (see runJob in commands.ts).
      job = await this.ctx.agent().run({ ...params, waitForPid: false });
    } catch (err) {
      const c = classify(err);
      this.writer.fire(crlf(`Linger: could not start the job: ${'message' in c ? c.message : 'cancelled'}\n`));
      this.closer.fire(1);
      return;
    }
    const where = this.def.host ? ` on ${this.def.host}` : '';
    this.writer.fire(crlf(`\x1b[2mLinger job ${job.id}${where} (${job.backend}) — closing this terminal stops following; the job keeps running.\x1b[0m\n`));
    await this.follow(job.id, 0);
  }

  private async follow(id: string, from: number): Promise<void> {
    if (this.stopped) return;
    try {
      const agent = this.ctx.agent();
      const host = this.def.host || null;
      const chunk = await agent.logs({ id, fromByte: from, raw: true, host });
      if (chunk.text) this.writer.fire(crlf(chunk.text));
      const next = Math.max(from, chunk.size);
      const job = await agent.show(id, host);
      if (isFinished(job)) {
        const rest = await agent.logs({ id, fromByte: next, raw: true, host });
        if (rest.text) this.writer.fire(crlf(rest.text));
        this.writer.fire(crlf(`\n\x1b[2mLinger: ${jobDescription(job)}\x1b[0m\n`));
        this.closer.fire(job.exitCode ?? 1);
        return;
      }
      this.timer = setTimeout(() => void this.follow(id, next), 500);
    } catch (err) {
      const c = classify(err);
      if (c.kind === 'agentDown') {
        // The agent is being restarted: keep trying, the job is unaffected.
        this.timer = setTimeout(() => void this.follow(id, from), 1000);
        return;
      }
      this.writer.fire(crlf(`\nLinger: stopped following: ${'message' in c ? c.message : 'cancelled'}\n`));
      this.closer.fire(1);
    }
  }
}

export class LingerTaskProvider implements vscode.TaskProvider {
  constructor(private readonly ctx: Ctx) {}

  provideTasks(): vscode.Task[] { return []; }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition;
    if (!isDefinition(def)) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const resolved = new vscode.Task(def, task.scope ?? vscode.TaskScope.Workspace, task.name, TASK_TYPE,
      new vscode.CustomExecution(async (d) => new JobStreamTerminal(this.ctx, d as LingerTaskDefinition, folder)));
    return resolved;
  }
}
