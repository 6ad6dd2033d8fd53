// The agent: one process that is both the language server for sshd_config / ssh_config and the
// jobs agent (linger/* requests). Started by the extension's language client over IPC or stdio.
// It must outlive bad input: every handler is guarded, and a stray exception is logged, not fatal.
import {
  createConnection, DidChangeConfigurationNotification, ProposedFeatures,
  type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { JobAgent } from './agent';
import { logError } from './errors';
import { ConfigLanguageService } from './lsp/service';
import { LingerSettings } from './settings';
import { LINGER_VERSION } from '../core/hosts/version';

const TRANSPORTS = ['--stdio', '--node-ipc'];
if (!process.argv.slice(2).some((a) => TRANSPORTS.includes(a) || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.stderr.write('usage: node dist/server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n'
    + 'The Linger agent speaks LSP; it is started by the Linger extension (or a test client).\n');
  process.exit(2);
}

process.on('uncaughtException', (e) => logError('uncaught exception', e));
process.on('unhandledRejection', (e) => logError('unhandled rejection', e));

const connection = createConnection(ProposedFeatures.all);
const agent = new JobAgent(connection);
const language = new ConfigLanguageService(connection);

let hasConfigurationCapability = false;
let initRaw: unknown = undefined;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  hasConfigurationCapability = caps.workspace?.configuration === true;
  initRaw = params.initializationOptions;
  agent.updateSettings(LingerSettings.from(initRaw));
  language.setClientCapabilities(caps);
  return {
    capabilities: language.serverCapabilities(),
    serverInfo: { name: 'linger-agent', version: LINGER_VERSION },
  };
});

connection.onInitialized(() => {
  if (hasConfigurationCapability) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'linger' })
      .catch((e: unknown) => logError('register didChangeConfiguration', e));
    void refreshSettings(undefined);
  }
  agent.start();
});

/** Pushed settings win; otherwise ask the client; a non-object answer keeps the init options. */
async function refreshSettings(pushed: unknown): Promise<void> {
  let raw: unknown = pushed;
  if ((raw === undefined || raw === null || (typeof raw === 'object' && Object.keys(raw).length === 0))
    && hasConfigurationCapability) {
    try {
      raw = await connection.workspace.getConfiguration('linger');
    } catch (e) {
      logError('workspace/configuration', e);
      raw = undefined;
    }
  }
  const usable = typeof raw === 'object' && raw !== null && Object.keys(raw).length > 0;
  agent.updateSettings(LingerSettings.from(usable ? raw : initRaw));
}

connection.onDidChangeConfiguration((change) => {
  void refreshSettings(change.settings).catch((e: unknown) => logError('didChangeConfiguration', e));
});

connection.onShutdown(() => agent.dispose());

agent.register();
language.register();
connection.listen();
