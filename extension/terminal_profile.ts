// Terminal profile "Detached Shell": a login shell that is itself a Linger job. The terminal
// only attaches to it, so closing the terminal (or losing the connection) leaves the shell alive.
import * as vscode from 'vscode';
import { requireTrust, userShell } from './run_params';
import type { Ctx } from './ctx';
import { terminalName } from './job_format';
import { terminalOptions } from './terminals';

export const PROFILE_ID = 'linger.detachedShell';

export class DetachedShellProfile implements vscode.TerminalProfileProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideTerminalProfile(): Promise<vscode.TerminalProfile> {
    requireTrust();
    const shell = userShell();
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file' ? vscode.workspace.workspaceFolders[0].uri.fsPath : undefined;
    const agent = this.ctx.agent();
    const job = await agent.run({ argv: [shell, '-l'], shell: false, name: 'Detached Shell', cwd });
    const cmd = await agent.attach(job.id);
    this.ctx.log.info(`detached shell ${job.id} (${job.backend})`);
    return new vscode.TerminalProfile(terminalOptions(terminalName(job), cmd, job, undefined));
  }
}
