// "Run Task Detached": turn a VS Code task's execution into RunParams without running it
// through the task system (the job must outlive this window).
import * as vscode from 'vscode';
import type { RunParams } from '../core/protocol';
import { shellParams } from './run_params';
import { InputError } from './errors';

function str(v: string | vscode.ShellQuotedString): string {
  return typeof v === 'string' ? v : v.value;
}

/** Quote for POSIX sh; used only when a ShellExecution gives command + args separately. */
export function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function folderOf(task: vscode.Task): vscode.WorkspaceFolder | undefined {
  return typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
}

/** The few variables tasks.json commonly uses in cwd; anything else is left for the user to see. */
function substitute(s: string, folder: vscode.WorkspaceFolder | undefined): string {
  if (!folder) return s;
  return s.replace(/\$\{workspaceFolder\}|\$\{workspaceRoot\}/g, folder.uri.fsPath)
    .replace(/\$\{workspaceFolderBasename\}/g, folder.name);
}

export function taskToRun(task: vscode.Task): RunParams {
  const folder = folderOf(task);
  const exec = task.execution;
  const cwdRaw = exec && 'options' in exec ? exec.options?.cwd : undefined;
  const cwd = cwdRaw ? substitute(cwdRaw, folder) : folder?.uri.fsPath;
  const env = exec && 'options' in exec && exec.options?.env ? { ...exec.options.env } : undefined;
  const name = task.name;
  if (exec instanceof vscode.ShellExecution) {
    const line = exec.commandLine ?? [exec.command, ...(exec.args ?? [])].filter((x) => x !== undefined)
      .map((x) => shQuote(substitute(str(x as string | vscode.ShellQuotedString), folder))).join(' ');
    if (!line.trim()) throw new InputError(`Task "${task.name}" has no command.`);
    return shellParams(substitute(line, folder), { cwd, env, name });
  }
  if (exec instanceof vscode.ProcessExecution) {
    return { argv: [exec.process, ...exec.args].map((a) => substitute(a, folder)), shell: false, cwd, env, name };
  }
  throw new InputError(`Task "${task.name}" is provided by an extension (no shell or process command), so it cannot run detached.`);
}
