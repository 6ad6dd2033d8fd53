// The language client that talks to the agent (dist/server.js): LSP for the ssh config
// languages plus the linger/* job requests. The agent owns all job work; if it dies it is
// restarted (jobs live in their own sessions and do not notice).
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind,
  type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { agentSettings, ROOT_SECTION } from './config';

/** Restarts allowed inside RESTART_WINDOW_MS before we give up and ask the user. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60_000;

class RestartingErrorHandler implements ErrorHandler {
  private restarts: number[] = [];
  constructor(private readonly log: vscode.LogOutputChannel) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.log.warn(`agent connection error (${count ?? 1}): ${error.message}`);
    return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS) {
      this.log.error(`agent stopped ${MAX_RESTARTS} times in ${RESTART_WINDOW_MS / 60_000} minutes; not restarting`);
      return {
        action: CloseAction.DoNotRestart,
        message: 'The Linger agent keeps stopping and will not be restarted. Your jobs keep running. '
          + 'See the "Linger" output, then run "Linger: Restart Agent".',
      };
    }
    this.restarts.push(now);
    this.log.warn('agent stopped; restarting it (jobs are not affected)');
    return { action: CloseAction.Restart, handled: true };
  }
}

export function createAgentClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // No --inspect in debug mode: a fixed inspector port would collide between windows.
    debug: { module, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'sshd_config' }, { language: 'ssh_config' }],
    // Sent once at start; later changes arrive as workspace/didChangeConfiguration { settings: { linger: … } }.
    initializationOptions: { settings: agentSettings() },
    synchronize: { configurationSection: ROOT_SECTION },
    outputChannel: log,
    errorHandler: new RestartingErrorHandler(log),
    initializationFailedHandler: (error) => {
      log.error(`agent failed to initialise: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
  };
  return new LanguageClient('linger', 'Linger Agent', serverOptions, clientOptions);
}
