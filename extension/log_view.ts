// "Show Log": a read-only virtual document per job that follows the log while the job runs,
// by polling LogsRequest with fromByte (the agent only reads files; nothing here touches them).
// It asks for the terminal stream (raw): plainText below renders what the terminal showed.
import * as vscode from 'vscode';
import { isFinished } from '../core/jobs/state';
import type { JobRecord } from '../core/protocol';
import type { Ctx } from './ctx';
import { jobLabel } from './job_format';

export const LOG_SCHEME = 'linger-log';
const POLL_MS = 1000;
const INITIAL_TAIL_LINES = 5000;
/** Keep the document bounded: older text is dropped once it passes this many characters. */
const MAX_CHARS = 2_000_000;

interface Follow {
  id: string;
  text: string;
  nextByte: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  polling: boolean;
}

export function logUri(job: JobRecord): vscode.Uri {
  const safe = jobLabel(job).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'job';
  return vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${job.id}/${safe}.log` });
}

function jobIdOf(uri: vscode.Uri): string {
  return uri.path.split('/')[1] ?? '';
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
        if (d.uri.scheme === LOG_SCHEME) this.stop(jobIdOf(d.uri));
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = jobIdOf(uri);
    let f = this.follows.get(id);
    if (!f) {
      f = { id, text: '', nextByte: 0, timer: undefined, polling: false };
      this.follows.set(id, f);
      try {
        const res = await this.ctx.agent().logs({ id, tailLines: INITIAL_TAIL_LINES, raw: true });
        f.text = plainText(res.text);
        f.nextByte = res.size;
      } catch (err) {
        this.follows.delete(id);
        return `Could not read the log of job ${id}: ${err instanceof Error ? err.message : String(err)}\n`;
      }
      this.schedule(uri, f);
    }
    return f.text;
  }

  /** Current text (tests read it without an editor). */
  textOf(id: string): string | undefined { return this.follows.get(id)?.text; }

  private schedule(uri: vscode.Uri, f: Follow): void {
    const job = this.ctx.findJob(f.id);
    // Keep following while running or unknown (the list may lag behind a fresh job).
    if (job && isFinished(job) && f.polling) return;
    f.timer = setTimeout(() => void this.poll(uri, f), POLL_MS);
  }

  private async poll(uri: vscode.Uri, f: Follow): Promise<void> {
    if (this.follows.get(f.id) !== f) return;
    f.polling = true;
    try {
      const res = await this.ctx.agent().logs({ id: f.id, fromByte: f.nextByte, raw: true });
      if (res.size < f.nextByte) {
        // The log was capped/rotated under us: start over from its current tail.
        const tail = await this.ctx.agent().logs({ id: f.id, tailLines: INITIAL_TAIL_LINES, raw: true });
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
      this.ctx.log.warn(`following log ${f.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.follows.get(f.id) === f) this.schedule(uri, f);
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

  private stop(id: string): void {
    const f = this.follows.get(id);
    if (f?.timer) clearTimeout(f.timer);
    this.follows.delete(id);
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
