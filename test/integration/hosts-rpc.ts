// A client of the agent bundle (dist/server.js --stdio) as the extension is: initialize, then
// requests; notifications are collected for the test to wait on.
import type { ChildProcess } from 'node:child_process';
import {
  createProtocolConnection, InitializedNotification, InitializeRequest, StreamMessageReader, StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export interface Note { method: string; params: unknown }

export function rpc(child: ChildProcess) {
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const notes: Note[] = [];
  for (const method of ['linger/jobsChanged', 'linger/hostsChanged']) conn.onNotification(method, (params: unknown) => { notes.push({ method, params }); });
  conn.listen();
  return {
    notes,
    async init(settings: Record<string, unknown> = {}): Promise<void> {
      await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings } });
      await conn.sendNotification(InitializedNotification.type, {});
    },
    request<R>(method: string, params: unknown): Promise<R> { return conn.sendRequest(method, params) as Promise<R>; },
    notify(method: string, params: unknown): void { void conn.sendNotification(method, params); },
    dispose(): void { conn.dispose(); },
  };
}
