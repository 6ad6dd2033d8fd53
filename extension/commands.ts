// Command factories: each takes the extension's parts and returns the handler. All handlers
// are wrapped by `register` so faults become messages, and return a value tests can check.
import * as vscode from 'vscode';
import { isFinished, isRunning } from '../core/jobs/state';

// Queued Slurm jobs count as live: they can be killed, not removed.
const live = (j: Parameters<typeof isFinished>[0]): boolean => !isFinished(j);
import type { ForeignSession, JobRecord, RunParams } from '../core/protocol';
import { keyOf, statusText } from './host_keys';
import { agentSettings, killGraceMs } from './config';
import type { Ctx } from './ctx';
import type { DoctorView } from './doctor_view';
import { InputError, reportError } from './errors';
import { jobLabel, outcomeLine } from './job_format';
import { hostArg, lastRunHost, pickHost, rememberRunHost } from './host_pick';
import type { HostName } from './host_keys';
import type { LogDocuments } from './log_view';
import { resolveJob, type JobArg } from './pick';
import { requireTrust, shellParams } from './run_params';
import { taskToRun } from './task_commands';
import type { AttachTerminals } from './terminals';

export interface Parts {
  ctx: Ctx;
  terminals: AttachTerminals;
  logs: LogDocuments;
  doctor: DoctorView;
}

type Handler = (...args: never[]) => Promise<unknown>;

const HISTORY_KEY = 'linger.commandHistory';
const HISTORY_MAX = 30;

/** Argument accepted by linger.runDetached to skip the prompts (palette users never pass it). */
export interface RunDetachedArg {
  /** A shell command line, run by $SHELL -lc exactly as typed. */
  command?: string;
  /** Or an argv, run without a shell. */
  argv?: string[];
  name?: string;
  cwd?: string;
  backend?: RunParams['backend'];
  /** backend slurm: sbatch options (partition, time, cpus, mem, gpus, args, array). */
  slurm?: RunParams['slurm'];
  /** Which host (ssh alias); absent or null: this host. */
  host?: string | null;
}

/**
 * With the slurm backend (chosen here or as linger.defaultBackend): sbatch options, typed as
 * flags and split on whitespace into separate arguments (no shell), e.g. "--partition=gpu --time=2:00:00".
 */
async function promptSlurm(): Promise<RunParams['slurm'] | undefined> {
  const v = await vscode.window.showInputBox({
    title: 'Linger: Run Detached on Slurm',
    prompt: 'sbatch options (optional): partition, time limit, CPUs, memory, GPUs…',
    placeHolder: '--partition=gpu --time=2:00:00 --cpus-per-task=4 --mem=8G --gpus=1',
  });
  if (v === undefined) return undefined;
  return { args: v.split(/\s+/).filter(Boolean) };
}

function workspaceCwd(uri?: vscode.Uri): string | undefined {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

async function runJob(p: Parts, params: RunParams): Promise<JobRecord> {
  requireTrust();
  if (!params.argv.length || params.argv.every((a) => !a.trim())) throw new InputError('Nothing to run: the command is empty.');
  // Answered once the backend accepted the job: a host or shell that is slow to start it is not
  // a failure. The view shows it "starting" until the pid arrives with the agent's jobsChanged.
  const host = params.host ?? null;
  p.ctx.markUsed(host);
  const got = await p.ctx.agent().run({ ...params, waitForPid: false });
  const job = host && got.host !== host ? { ...got, host } : got;
  p.ctx.log.info(`started ${job.id}${host ? ` on ${host}` : ''} (${job.backend}): ${JSON.stringify(job.argv)}`);
  const where = host ? ` on ${host}` : '';
  void vscode.window.showInformationMessage(`Linger: started "${jobLabel(job)}" detached${where} (${job.backend}).`, 'Attach', 'Show Log')
    .then((pick) => {
      if (pick === 'Attach') void vscode.commands.executeCommand('linger.attach', { id: job.id, host });
      if (pick === 'Show Log') void vscode.commands.executeCommand('linger.showLog', { id: job.id, host });
    });
  return job;
}

/**
 * Where Run Detached runs: the argument's host; else, with more than one host, the user's pick
 * (the last one first); else this host. undefined = cancelled.
 */
async function runHost(p: Parts, arg: unknown, ask: boolean): Promise<{ host: HostName } | undefined> {
  const given = hostArg(arg);
  if (given !== undefined) return { host: given };
  if (!ask || p.ctx.hosts.length <= 1) return { host: null };
  const picked = await pickHost(p.ctx, {
    title: 'Linger: Run Detached', placeHolder: 'Host to run the job on', preselect: lastRunHost(p.ctx),
  });
  if (picked) await rememberRunHost(p.ctx, picked.host);
  return picked;
}

/** The hosts whose finished jobs "Remove Finished" removes: this one and every connected one. */
function reachableHosts(p: Parts): HostName[] {
  return p.ctx.hosts.filter((h) => h.name === null || h.status.kind === 'connected').map((h) => h.name);
}

async function promptCommand(p: Parts): Promise<{ command: string; name?: string } | undefined> {
  const history = p.ctx.extCtx.globalState.get<string[]>(HISTORY_KEY, []);
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = 'Linger: Run Detached';
  qp.placeholder = 'Command line to run detached (runs in $SHELL in the workspace folder; survives disconnects)';
  const historyItems = history.map((h) => ({ label: h, description: 'history' }));
  qp.items = historyItems;
  qp.onDidChangeValue((v) => {
    qp.items = v.trim() ? [{ label: v, description: 'run' }, ...historyItems.filter((i) => i.label !== v)] : historyItems;
  });
  const command = await new Promise<string | undefined>((resolve) => {
    qp.onDidAccept(() => { resolve(qp.selectedItems[0]?.label ?? qp.value); qp.hide(); });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (command === undefined) return undefined;
  if (!command.trim()) throw new InputError('Nothing to run: the command is empty.');
  const name = await vscode.window.showInputBox({
    title: 'Linger: Run Detached', prompt: 'Job name (optional, Enter to skip)', placeHolder: 'e.g. train-model',
  });
  if (name === undefined) return undefined;
  await p.ctx.extCtx.globalState.update(HISTORY_KEY, [command, ...history.filter((h) => h !== command)].slice(0, HISTORY_MAX));
  return { command, name: name.trim() || undefined };
}

const running = live;
const finished = isFinished;

export const commandFactories: Record<string, (p: Parts) => Handler> = {
  'linger.runDetached': (p) => async (arg?: RunDetachedArg) => {
    requireTrust();
    const given = arg && typeof arg === 'object' && (arg.command !== undefined || arg.argv !== undefined) ? arg : undefined;
    // The host first: what follows (history, cwd) does not depend on it, and it is the question
    // a user with several hosts answers before typing.
    const where = await runHost(p, arg, !given);
    if (!where) return undefined;
    const host = where.host;
    const input = given ?? await promptCommand(p);
    if (!input) return undefined;
    const backend = given?.backend ?? agentSettings().defaultBackend;
    let slurm = given?.slurm;
    if (backend === 'slurm' && !given) {
      slurm = await promptSlurm();
      if (!slurm) return undefined;
    }
    // The workspace folder is a path on this machine; another host starts in the user's home there.
    const extra = { name: input.name ?? null, cwd: given?.cwd ?? (host ? undefined : workspaceCwd()), backend: given?.backend, slurm, host };
    if (given?.argv) return runJob(p, { ...extra, argv: given.argv, shell: false });
    const line = input.command ?? '';
    if (!line.trim()) throw new InputError('Nothing to run: the command is empty.');
    return runJob(p, shellParams(line, extra));
  },

  'linger.runSelection': (p) => async () => {
    const ed = vscode.window.activeTextEditor;
    if (!ed) throw new InputError('Open an editor and select the command to run detached.');
    const sel = ed.selection;
    const text = sel.isEmpty ? ed.document.lineAt(sel.active.line).text : ed.document.getText(sel);
    if (!text.trim()) throw new InputError('Nothing to run: the selection (or current line) is empty.');
    const cwd = workspaceCwd(ed.document.uri)
      ?? (ed.document.uri.scheme === 'file' ? vscode.Uri.joinPath(ed.document.uri, '..').fsPath : undefined);
    return runJob(p, shellParams(text, { cwd, name: null }));
  },

  'linger.runTask': (p) => async (arg?: { label?: string }) => {
    requireTrust();
    const tasks = (await vscode.tasks.fetchTasks()).filter((t) => t.definition.type !== 'linger');
    let task: vscode.Task | undefined;
    if (arg?.label) {
      task = tasks.find((t) => t.name === arg.label);
      if (!task) throw new InputError(`No task named "${arg.label}" (see .vscode/tasks.json).`);
    } else {
      if (!tasks.length) throw new InputError('No tasks found. Define one in .vscode/tasks.json, then run this again.');
      const pick = await vscode.window.showQuickPick(
        tasks.map((t) => ({ label: t.name, description: t.source, task: t })),
        { title: 'Linger: Run Task Detached', placeHolder: 'Task to run detached' });
      task = pick?.task;
    }
    if (!task) return undefined;
    return runJob(p, taskToRun(task));
  },

  'linger.attach': (p) => async (arg?: JobArg) => {
    const job = await resolveJob(p.ctx, arg, { title: 'Attach to…', filter: running, none: 'No running jobs to attach to.' });
    if (!job) return undefined;
    if (!isRunning(job)) throw new InputError(`"${jobLabel(job)}" is not running (${outcomeLine(job)}); use Show Log.`);
    await p.terminals.attach(job);
    return job.id;
  },

  'linger.attachForeign': (p) => async (arg?: { kind: 'foreign'; session: ForeignSession }) => {
    let session = arg?.session;
    if (!session) {
      const pick = await vscode.window.showQuickPick(
        p.ctx.foreign.map((s) => ({ label: s.session, description: s.backend, s })), { title: 'Attach to session…' });
      session = pick?.s;
    }
    if (!session) return undefined;
    await p.terminals.attachForeign(session);
    return session.session;
  },

  'linger.showLog': (p) => async (arg?: JobArg) => {
    const job = await resolveJob(p.ctx, arg, { title: 'Show the log of…', none: 'No jobs yet.' });
    if (!job) return undefined;
    const doc = await p.logs.show(job);
    return doc.uri.toString();
  },

  'linger.kill': (p) => async (arg?: JobArg) => {
    const job = await resolveJob(p.ctx, arg, { title: 'Kill…', filter: running, none: 'No running jobs.' });
    if (!job) return undefined;
    if (isFinished(job)) {
      void vscode.window.showInformationMessage(`"${jobLabel(job)}" already ended (${outcomeLine(job)}).`);
      return job;
    }
    const graceMs = killGraceMs();
    const done = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Killing "${jobLabel(job)}"`, cancellable: false },
      async (progress) => {
        const t0 = Date.now();
        progress.report({ message: `SIGTERM sent to the process group; SIGKILL after ${Math.round(graceMs / 1000)} s` });
        const tick = setInterval(() => {
          const left = Math.max(0, Math.ceil((graceMs - (Date.now() - t0)) / 1000));
          progress.report({ message: left ? `waiting for it to exit (SIGKILL in ${left} s)` : 'sending SIGKILL' });
        }, 1000);
        try {
          return await p.ctx.agent().kill({ id: job.id, graceMs, host: job.host ?? null });
        } finally {
          clearInterval(tick);
        }
      });
    p.ctx.log.info(`killed ${job.id}${job.host ? ` on ${job.host}` : ''}: ${outcomeLine(done)}`);
    return done;
  },

  'linger.restart': (p) => async (arg?: JobArg) => {
    requireTrust();
    const job = await resolveJob(p.ctx, arg, { title: 'Restart…', none: 'No jobs yet.' });
    if (!job) return undefined;
    if (live(job)) {
      const ok = await vscode.window.showWarningMessage(
        `"${jobLabel(job)}" is still running. Start another copy anyway?`, { modal: true }, 'Start Another');
      if (ok !== 'Start Another') return undefined;
    }
    const host = job.host ?? null;
    const got = await p.ctx.agent().restart(job.id, host);
    const fresh = host && got.host !== host ? { ...got, host } : got;
    void vscode.window.showInformationMessage(`Linger: restarted "${jobLabel(fresh)}" as ${fresh.id}${host ? ` on ${host}` : ''}.`);
    return fresh;
  },

  'linger.remove': (p) => async (arg?: JobArg) => {
    const job = await resolveJob(p.ctx, arg, { title: 'Remove…', filter: finished, none: 'No finished jobs to remove.' });
    if (!job) return undefined;
    if (live(job)) {
      // Not awaited: the command returns now; the button acts whenever it is clicked.
      void vscode.window.showWarningMessage(`"${jobLabel(job)}" is still running; kill it first.`, 'Kill').then((pick) => {
        if (pick) void vscode.commands.executeCommand('linger.kill', { id: job.id, host: job.host ?? null });
      });
      return undefined;
    }
    const res = await p.ctx.agent().remove({ ids: [job.id], host: job.host ?? null });
    await p.terminals.forget(keyOf(job));
    return res.removed;
  },

  'linger.removeFinished': (p) => async (arg?: unknown) => {
    // From a host's context menu: that host; from the view's title: every host it can reach.
    const one = hostArg(arg);
    const hosts = one !== undefined ? [one] : reachableHosts(p);
    const results = await Promise.allSettled(hosts.map((host) => p.ctx.agent().remove({ finished: true, host })));
    const removed = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.removed : []));
    const failedOn = hosts.filter((_, i) => results[i]!.status === 'rejected');
    for (const [i, r] of results.entries()) if (r.status === 'rejected') p.ctx.log.warn(`remove finished on ${hosts[i] ?? 'this host'}: ${String(r.reason)}`);
    void vscode.window.showInformationMessage((removed.length
      ? `Linger: removed ${removed.length} finished job${removed.length === 1 ? '' : 's'}.`
      : 'Linger: no finished jobs to remove.') + (failedOn.length ? ` Not reached: ${failedOn.map((h) => h ?? 'this host').join(', ')}.` : ''));
    return removed;
  },

  'linger.retryHost': (p) => async (arg?: unknown) => {
    let host = hostArg(arg);
    if (host === undefined) {
      const bad = p.ctx.hosts.filter((h) => h.name && h.status.kind === 'unreachable');
      if (!bad.length) { void vscode.window.showInformationMessage('Linger: no host is unreachable.'); return undefined; }
      const pick = await vscode.window.showQuickPick(bad.map((h) => ({ label: h.label, description: statusText(h.status), name: h.name })),
        { title: 'Linger: Retry Host' });
      host = pick?.name;
    }
    if (!host) return undefined;
    const info = await p.ctx.agent().retryHost(host);
    p.ctx.log.info(`retry ${host}: ${info.status.kind}`);
    // The answer may already be the outcome (connected, unreachable again): list its jobs now.
    if (info.status.kind === 'connected') await p.ctx.listHost(host);
    else if (info.status.kind === 'unreachable') void vscode.window.showWarningMessage(`Linger: ${host} is still ${statusText(info.status)}`);
    return info;
  },

  'linger.installCli': (p) => async (arg?: unknown) => {
    let host = hostArg(arg);
    if (host === undefined) {
      const picked = p.ctx.hosts.length > 1
        ? await pickHost(p.ctx, { title: 'Linger: Install CLI on Host', placeHolder: 'Host to put a `linger` command on', preselect: null })
        : { host: null };
      if (!picked) return undefined;
      host = picked.host;
    }
    const res = await p.ctx.agent().installCli(host);
    const where = host ?? 'this host';
    const msg = res.onPath
      ? `Linger: installed the \`linger\` command on ${where} at ${res.path}. It is on PATH there: \`linger ls\` works in a new shell.`
      : `Linger: installed the \`linger\` command on ${where} at ${res.path}, but its folder is not on PATH in a login shell there: add it (e.g. in ~/.profile) or call it by its path.`;
    void (res.onPath ? vscode.window.showInformationMessage(msg) : vscode.window.showWarningMessage(msg));
    return res;
  },

  'linger.copyId': (p) => async (arg?: JobArg) => {
    const job = await resolveJob(p.ctx, arg, { title: 'Copy the id of…', none: 'No jobs yet.' });
    if (!job) return undefined;
    await vscode.env.clipboard.writeText(job.id);
    void vscode.window.setStatusBarMessage(`Copied job id ${job.id}`, 3000);
    return job.id;
  },

  'linger.checkHost': (p) => async (arg?: unknown) => p.doctor.check(hostArg(arg) ?? null),

  'linger.refresh': (p) => async (arg?: unknown) => {
    const host = hostArg(arg);
    if (host) await p.ctx.listHost(host); else await p.ctx.refresh();
    return p.ctx.jobs.length;
  },

  'linger.restartAgent': (p) => async () => {
    await p.ctx.restartAgent();
    return p.ctx.agentState;
  },

  'linger.showOutput': (p) => async () => { p.ctx.log.show(); },
};

export function registerCommands(p: Parts): vscode.Disposable[] {
  return Object.entries(commandFactories).map(([id, make]) => {
    const handler = make(p) as (...args: unknown[]) => Promise<unknown>;
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        void reportError(p.ctx, titleOf(id), err);
        return undefined;
      }
    });
  });
}

function titleOf(id: string): string {
  const words = id.replace(/^linger\./, '').replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
