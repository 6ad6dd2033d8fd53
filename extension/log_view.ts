// "Show Log": a read-only virtual document per job that follows the log while the job runs,
// by polling LogsRequest with fromByte (the agent only reads files; nothing here touches them).
// It asks for the terminal stream (raw): plainText below renders what the terminal showed.
import * as vscode from 'vscode';
import { isFinished } from '../core/jobs/state';
import type { JobRecord } from '../core/protocol';
import type { Ctx } from './ctx';
import { jobKey, type HostName } from './host_keys';
import { jobLabel } from './job_format';

export const LOG_SCHEME = 'linger-log';
const POLL_MS = 1000;
const INITIAL_TAIL_LINES = 5000;
/** Keep the document bounded: older text is dropped once it passes this many characters. */
const MAX_CHARS = 2_000_000;

interface Follow {
  id: string;
  host: HostName;
  /** host_keys.ts key: what `follows` is indexed by. */
  key: string;
  text: string;
  nextByte: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  polling: boolean;
}

/** linger-log:/ID/NAME.log, and for a job on another host linger-log:/ID/NAME.log?host=ALIAS. */
export function logUri(job: JobRecord): vscode.Uri {
  const safe = jobLabel(job).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'job';
  const query = job.host ? new URLSearchParams({ host: job.host }).toString() : '';
  return vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${job.id}/${safe}.log`, query });
}

function jobOf(uri: vscode.Uri): { id: string; host: HostName } {
  return { id: uri.path.split('/')[1] ?? '', host: new URLSearchParams(uri.query).get('host') || null };
}

function keyOfUri(uri: vscode.Uri): string {
  const { id, host } = jobOf(uri);
  return jobKey(host, id);
}

/** Terminal output in logs carries escape sequences; a text editor should show plain text. */
export function plainText(s: string): string {
  return s
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '') // OSC … BEL/ST
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '') // CSI
    .replace(/\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHMNOZ]/g, '')
    .replace(/\r+\n/g, '\n')
    .replace(/[^\n]*\r(?!\n)/g, '') // carriage-return redraws keep the last version of the line
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly follows = new Map<string, Follow>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.subs.push(
      vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === LOG_SCHEME) this.stop(keyOfUri(d.uri));
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { id, host } = jobOf(uri);
    const key = jobKey(host, id);
    let f = this.follows.get(key);
    if (!f) {
      f = { id, host, key, text: '', nextByte: 0, timer: undefined, polling: false };
      this.follows.set(key, f);
      try {
        const res = await this.ctx.agent().logs({ id, tailLines: INITIAL_TAIL_LINES, raw: true, host });
        f.text = plainText(res.text);
        f.nextByte = res.size;
      } catch (err) {
        this.follows.delete(key);
        return `Could not read the log of job ${id}${host ? ` on ${host}` : ''}: ${err instanceof Error ? err.message : String(err)}\n`;
      }
      this.schedule(uri, f);
    }
    return f.text;
  }

  /** Current text by job key (host_keys.ts; tests read it without an editor). */
  textOf(key: string): string | undefined { return this.follows.get(key)?.text; }

  private schedule(uri: vscode.Uri, f: Follow): void {
    const job = this.ctx.findJob(f.id, f.host);
    // Keep following while running or unknown (the list may lag behind a fresh job).
    if (job && isFinished(job) && f.polling) return;
    f.timer = setTimeout(() => void this.poll(uri, f), POLL_MS);
  }

  private async poll(uri: vscode.Uri, f: Follow): Promise<void> {
    if (this.follows.get(f.key) !== f) return;
    f.polling = true;
    try {
      const res = await this.ctx.agent().logs({ id: f.id, fromByte: f.nextByte, raw: true, host: f.host });
      if (res.size < f.nextByte) {
        // The log was capped/rotated under us: start over from its current tail.
        const tail = await this.ctx.agent().logs({ id: f.id, tailLines: INITIAL_TAIL_LINES, raw: true, host: f.host });
        f.text = plainText(tail.text);
        f.nextByte = tail.size;
        this.changed.fire(uri);
      } else if (res.text) {
        f.text += plainText(res.text);
        if (f.text.length > MAX_CHARS) f.text = f.text.slice(f.text.length - MAX_CHARS);
        f.nextByte = res.size;
        this.changed.fire(uri);
        this.revealEnd(uri);
      }
    } catch (err) {
      this.ctx.log.warn(`following log ${f.key}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.follows.get(f.key) === f) this.schedule(uri, f);
  }

  private revealEnd(uri: vscode.Uri): void {
    setTimeout(() => {
      for (const ed of vscode.window.visibleTextEditors) {
        if (ed.document.uri.toString() !== uri.toString()) continue;
        const last = ed.document.lineCount - 1;
        ed.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.Default);
      }
    }, 50);
  }

  private stop(key: string): void {
    const f = this.follows.get(key);
    if (f?.timer) clearTimeout(f.timer);
    this.follows.delete(key);
  }

  async show(job: JobRecord): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(logUri(job));
    const ed = await vscode.window.showTextDocument(doc, { preview: false });
    const last = doc.lineCount - 1;
    ed.revealRange(new vscode.Range(last, 0, last, 0));
    return doc;
  }

  dispose(): void {
    for (const id of [...this.follows.keys()]) this.stop(id);
    for (const s of this.subs) s.dispose();
    this.changed.dispose();
  }
}
