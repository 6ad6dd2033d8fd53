// The first time a workspace opens with other hosts to show, Remote Sessions is revealed once:
// the hosts came from the user's ssh_config, not from anything they did in this window, and a
// view nobody opens would hide them. Later windows leave the layout as the user left it.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { VIEW_ID } from './jobs_tree';

const REVEALED_KEY = 'linger.revealedHosts';

export function revealOnceWithHosts(ctx: Ctx): vscode.Disposable {
  if (ctx.extCtx.workspaceState.get<boolean>(REVEALED_KEY)) return new vscode.Disposable(() => undefined);
  const sub = ctx.onDidChangeHosts((hosts) => {
    if (hosts.length < 2 || ctx.extCtx.workspaceState.get<boolean>(REVEALED_KEY)) return;
    sub.dispose();
    void ctx.extCtx.workspaceState.update(REVEALED_KEY, true);
    void vscode.commands.executeCommand(`${VIEW_ID}.focus`).then(undefined, (err: unknown) => ctx.log.warn(`revealing the view: ${String(err)}`));
  });
  return sub;
}
