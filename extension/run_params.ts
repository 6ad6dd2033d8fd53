// How a command line becomes RunParams, and the workspace-trust gate for starting anything.
import * as vscode from 'vscode';
import type { RunParams } from '../core/protocol';
import { InputError } from './errors';

export function requireTrust(): void {
  if (!vscode.workspace.isTrusted) {
    throw new InputError('Linger does not run commands in an untrusted workspace. Trust the workspace (Workspaces: Manage Workspace Trust) to run detached jobs.');
  }
}

/** The user's login shell on this (remote) host: the extension host runs where the jobs run. */
export function userShell(): string {
  return process.env.SHELL || '/bin/sh';
}

/**
 * The shell for a line run on another host. This window's $SHELL is a path on this machine and may
 * not exist there; /bin/sh does everywhere, and `-l` still reads the user's ~/.profile there.
 */
export const REMOTE_SHELL = '/bin/sh';

/**
 * A shell command line as RunParams: `$SHELL -lc LINE` (on another host `/bin/sh -lc LINE`), the
 * line passed unmodified as one argument.
 */
export function shellParams(line: string, extra: Omit<RunParams, 'argv' | 'shell'>): RunParams {
  return { ...extra, argv: [extra.host ? REMOTE_SHELL : userShell(), '-lc', line], shell: true };
}
