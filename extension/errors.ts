// Every command runs through `guarded`: faults become one clear message with a next step,
// never an unhandled-exception toast.
import * as vscode from 'vscode';
import { CONNECTION_INACTIVE, PENDING_RESPONSE_REJECTED, REQUEST_CANCELLED, rpcCode, userErrorKind, USER_ERROR_CODE_MIRROR } from './codes';

/** Thrown by our own code for input problems (empty command…): shown as a warning, not logged as a fault. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The agent is not running (never started, crashed past its restart budget, or stopping). */
export class AgentDownError extends Error {
  override name = 'AgentDownError';
}

export type Classified =
  | { kind: 'input'; message: string }
  | { kind: 'user'; message: string; missingJob: boolean; backend: boolean }
  | { kind: 'agentDown'; message: string }
  | { kind: 'cancelled' }
  | { kind: 'fault'; message: string };

export function classify(err: unknown): Classified {
  if (err instanceof InputError) return { kind: 'input', message: err.message };
  if (err instanceof AgentDownError) return { kind: 'agentDown', message: err.message };
  if (err instanceof vscode.CancellationError) return { kind: 'cancelled' };
  const code = rpcCode(err);
  if (code !== undefined) {
    const message = (err as Error).message;
    if (code === USER_ERROR_CODE_MIRROR) {
      const kind = userErrorKind(err);
      return { kind: 'user', message, missingJob: kind === 'noSuchJob', backend: kind === 'noBackend' };
    }
    if (code === CONNECTION_INACTIVE || code === PENDING_RESPONSE_REJECTED) return { kind: 'agentDown', message };
    if (code === REQUEST_CANCELLED) return { kind: 'cancelled' };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/Client is not running|Pending response rejected since connection got disposed|connection (got )?(closed|disposed)/i.test(message)) {
    return { kind: 'agentDown', message };
  }
  return { kind: 'fault', message };
}

export interface ErrorUi {
  log: vscode.LogOutputChannel;
  /** Called after a "no such job" answer so the view drops the stale item. */
  refresh(): void;
}

export async function reportError(ui: ErrorUi, what: string, err: unknown): Promise<void> {
  const c = classify(err);
  switch (c.kind) {
    case 'cancelled':
      return;
    case 'input':
      void vscode.window.showWarningMessage(c.message);
      return;
    case 'user': {
      ui.log.info(`${what}: ${c.message}`);
      if (c.missingJob) {
        ui.refresh();
        void vscode.window.showWarningMessage(`${c.message} — it may have been removed elsewhere; the list was refreshed.`);
        return;
      }
      if (c.backend) {
        const pick = await vscode.window.showErrorMessage(c.message, 'Check Host');
        if (pick) void vscode.commands.executeCommand('linger.checkHost');
        return;
      }
      void vscode.window.showErrorMessage(c.message);
      return;
    }
    case 'agentDown': {
      ui.log.warn(`${what}: agent down: ${c.message}`);
      const pick = await vscode.window.showErrorMessage(
        `Linger: cannot ${what.toLowerCase()} — the Linger agent is not running. Your jobs are not affected.`,
        'Restart Agent', 'Show Log');
      if (pick === 'Restart Agent') void vscode.commands.executeCommand('linger.restartAgent');
      if (pick === 'Show Log') ui.log.show(true);
      return;
    }
    case 'fault': {
      ui.log.error(`${what} failed: ${c.message}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
      const pick = await vscode.window.showErrorMessage(`Linger: ${what} failed: ${c.message}`, 'Show Log');
      if (pick) ui.log.show(true);
      return;
    }
  }
}
