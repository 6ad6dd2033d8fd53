// Test-side client for the agent: spawns the real `node dist/server.js --stdio` and talks to it
// with vscode-jsonrpc's node message connection (re-exported by vscode-languageserver-protocol),
// which unlike ProtocolConnection can observe every notification. Used by lsp-*.test.ts and agent-*.test.ts.
// (Not a test file itself; owned with them.)
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  createMessageConnection, InitializeRequest, InitializedNotification, ExitNotification, ShutdownRequest,
  PublishDiagnosticsNotification, StreamMessageReader, StreamMessageWriter, IPCMessageReader, IPCMessageWriter,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  type MessageConnection, type PublishDiagnosticsParams, type NotificationType, type InitializeResult,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { useHermeticHome } from '../support/hermetic-home.cjs';

// The agent runs jobs with $SHELL -lc: give it a home and shell the test controls.
useHermeticHome();

export const ROOT = path.resolve(__dirname, '..', '..');
/** LINGER_TEST_SERVER points the tests at another build of the agent (default: dist/server.js). */
export const SERVER = process.env.LINGER_TEST_SERVER ?? path.join(ROOT, 'dist', 'server.js');

export interface StartOptions {
  env?: Record<string, string>;
  initializationOptions?: unknown;
  /** Detach the server in its own process group (so a test can SIGKILL it alone). */
  detached?: boolean;
  /** 'stdio' (default) or 'node-ipc' (what the extension's language client uses). */
  transport?: 'stdio' | 'node-ipc';
}

interface Waiter { method: string; pred: (p: unknown) => boolean; resolve: (p: unknown) => void }

export class LspSession {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: Waiter[] = [];
  private seen: Array<{ method: string; params: unknown }> = [];
  private stderrText = '';
  private exited = false;
  initializeResult: InitializeResult | null = null;

  constructor(readonly proc: ChildProcess, readonly conn: MessageConnection) {
    proc.stderr?.on('data', (d: Buffer) => { this.stderrText += d.toString(); });
    proc.on('exit', () => { this.exited = true; });
    conn.onNotification((method: string, params: unknown) => {
      if (method === PublishDiagnosticsNotification.method) {
        const p = params as PublishDiagnosticsParams;
        this.diagnostics.set(p.uri, p);
      }
      this.seen.push({ method, params });
      if (this.seen.length > 500) this.seen.shift();
      for (const w of [...this.waiters]) {
        if (w.method === method && w.pred(params)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(params);
        }
      }
    });
    // Answer server→client requests a test client would get (configuration, registration).
    conn.onRequest((method: string, params: unknown) => {
      if (method === 'workspace/configuration') {
        const items = (params as { items?: unknown[] }).items ?? [];
        return items.map(() => null);
      }
      return null;
    });
  }

  get pid(): number { return this.proc.pid ?? -1; }
  get isExited(): boolean { return this.exited || this.proc.exitCode !== null || this.proc.signalCode !== null; }
  stderr(): string { return this.stderrText; }

  /** Resolves with the first notification (already seen since `since`, or future) matching. */
  waitFor<P>(type: NotificationType<P> | string, pred: (p: P) => boolean = () => true, timeoutMs = 10_000,
    opts: { includeSeen?: boolean } = {}): Promise<P> {
    const method = typeof type === 'string' ? type : type.method;
    if (opts.includeSeen) {
      const hit = this.seen.find((s) => s.method === method && pred(s.params as P));
      if (hit) return Promise.resolve(hit.params as P);
    }
    return new Promise<P>((resolve, reject) => {
      const w: Waiter = { method, pred: (p) => pred(p as P), resolve: (p) => { clearTimeout(t); resolve(p as P); } };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${method}; stderr:\n${this.stderrText.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  waitDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    const have = this.diagnostics.get(uri);
    if (have && pred(have)) return Promise.resolve(have);
    return this.waitFor(PublishDiagnosticsNotification.type, (p) => p.uri === uri && pred(p), timeoutMs);
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void {
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version }, contentChanges,
    });
  }

  /** Polite shutdown, then SIGKILL if the process lingers. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.isExited) {
      try {
        await Promise.race([this.conn.sendRequest(ShutdownRequest.type), delay(2000)]);
        await this.conn.sendNotification(ExitNotification.type);
      } catch { /* already gone */ }
      await Promise.race([new Promise((r) => this.proc.once('exit', r)), delay(2000)]);
    }
    if (!this.isExited) this.proc.kill('SIGKILL');
    this.conn.dispose();
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startServer(opts: StartOptions = {}): Promise<LspSession> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} missing: run \`npm run build\` first`);
  const env = { ...process.env, ...opts.env };
  let proc: ChildProcess;
  let conn: MessageConnection;
  if (opts.transport === 'node-ipc') {
    proc = fork(SERVER, ['--node-ipc'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: opts.detached ?? false, execArgv: [] });
    conn = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
  } else {
    proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: opts.detached ?? false });
    conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  }
  const session = new LspSession(proc, conn);
  conn.listen();
  session.initializeResult = await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      textDocument: {
        publishDiagnostics: { relatedInformation: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: false, documentationFormat: ['markdown', 'plaintext'] } },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
      },
      workspace: { configuration: false },
    },
    initializationOptions: opts.initializationOptions ?? null,
  });
  await conn.sendNotification(InitializedNotification.type, {});
  return session;
}
