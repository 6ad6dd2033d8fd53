// The language half of the agent: sshd_config / ssh_config features over LSP. Every handler is
// guarded (an exception becomes an LSP error, never a dead process) and reads the per-version
// analysis cache, so a burst of requests after one edit costs one analysis.
import {
  TextDocuments, TextDocumentSyncKind, type ClientCapabilities, type Connection, type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { guarded, guardedVoid } from '../errors';
import { dialectOf, type DocAnalysis } from './analysis';
import { IncrementalAnalyses } from './incremental';
import type { Dialect } from './blocks';
import { codeActions } from './codeActions';
import { completion } from './completion';
import { definition } from './definition';
import { toLspDiagnostics } from './diagnostics';
import { foldingRanges } from './folding';
import { onTypeFormatting } from './formatting';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { documentSymbols } from './symbols';

/** Edits closer together than this are published once (typing bursts). */
const VALIDATE_DELAY_MS = 25;
/** After fast (incremental) edits, a full analysis confirms the result once typing pauses. */
const IDLE_CHECK_MS = 400;

export class ConfigLanguageService {
  readonly cache = new IncrementalAnalyses(
    (m) => process.stderr.write(`[linger-agent] ${m}\n`),
    4,
    process.env.LINGER_DEBUG ? (m) => process.stderr.write(`[linger-agent] ${m}\n`) : null,
  );
  readonly documents: TextDocuments<TextDocument>;
  private pending = new Map<string, NodeJS.Timeout>();
  private idle = new Map<string, NodeJS.Timeout>();
  private hierarchicalSymbols = true;
  private relatedInfo = true;

  constructor(private readonly connection: Connection) {
    // TextDocument.update mutates the document, so the incremental cache looks at the edited
    // line before and after the update here, where both are still visible.
    this.documents = new TextDocuments<TextDocument>({
      create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
      update: (doc, changes, version) => {
        let pending = null;
        try { pending = this.cache.before(doc, changes); } catch { pending = null; }
        const updated = TextDocument.update(doc, changes, version);
        guardedVoid('incremental analysis', () => this.cache.after(updated, pending));
        return updated;
      },
    });
  }

  setClientCapabilities(caps: ClientCapabilities): void {
    this.hierarchicalSymbols = caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport !== false;
    this.relatedInfo = caps.textDocument?.publishDiagnostics?.relatedInformation !== false;
  }

  serverCapabilities(): ServerCapabilities {
    return {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '='], resolveProvider: false },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      inlayHintProvider: { resolveProvider: false },
      documentOnTypeFormattingProvider: { firstTriggerCharacter: '\n' },
    };
  }

  /** The document and its dialect, or null for documents that are not ours. */
  private docOf(uri: string): { doc: TextDocument; dialect: Dialect } | null {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const dialect = dialectOf(doc.languageId);
    return dialect ? { doc, dialect } : null;
  }

  analysis(uri: string): { doc: TextDocument; dialect: Dialect; a: DocAnalysis } | null {
    const d = this.docOf(uri);
    return d ? { ...d, a: this.cache.get(d.doc, d.dialect) } : null;
  }

  register(): void {
    const c = this.connection;
    this.documents.listen(c);
    // Opening is debounced like typing: an edit that follows at once costs one analysis, not two.
    this.documents.onDidOpen((e) => guardedVoid('didOpen', () => this.schedule(e.document.uri)));
    this.documents.onDidChangeContent((e) => guardedVoid('didChange', () => this.schedule(e.document.uri)));
    this.documents.onDidClose((e) => guardedVoid('didClose', () => {
      for (const timers of [this.pending, this.idle]) {
        const t = timers.get(e.document.uri);
        if (t) clearTimeout(t);
        timers.delete(e.document.uri);
      }
      this.cache.delete(e.document.uri);
      void c.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    }));

    c.onHover((p) => guarded('hover', () => {
      const d = this.docOf(p.textDocument.uri);
      return d ? hover(d.doc, d.dialect, p.position, () => this.cache.get(d.doc, d.dialect), () => this.cache.editorLines(d.doc, d.dialect)) : null;
    }));
    c.onCompletion((p) => guarded('completion', () => {
      const d = this.docOf(p.textDocument.uri);
      return d ? completion(d.doc, d.dialect, p.position) : null;
    }));
    c.onDocumentSymbol((p) => guarded('documentSymbol', () => {
      const d = this.docOf(p.textDocument.uri);
      return d ? documentSymbols(d.doc, d.dialect, this.hierarchicalSymbols, this.cache.lines(d.doc, d.dialect)) : null;
    }));
    c.onFoldingRanges((p) => guarded('foldingRange', () => {
      const d = this.docOf(p.textDocument.uri);
      return d ? foldingRanges(d.dialect, this.cache.lines(d.doc, d.dialect)) : null;
    }));
    c.onDefinition((p) => guarded('definition', () => {
      const x = this.analysis(p.textDocument.uri);
      return x ? definition(x.a, p.position) : null;
    }));
    c.onCodeAction((p) => guarded('codeAction', () => {
      const x = this.analysis(p.textDocument.uri);
      return x ? codeActions(x.doc, x.a, p) : null;
    }));
    c.languages.inlayHint.on((p) => guarded('inlayHint', () => {
      const x = this.analysis(p.textDocument.uri);
      return x ? inlayHints(x.doc, x.a, p.range) : null;
    }));
    c.onDocumentOnTypeFormatting((p) => guarded('onTypeFormatting', () => {
      const d = this.docOf(p.textDocument.uri);
      return d ? onTypeFormatting(d.doc, d.dialect, p) : null;
    }));
  }

  private schedule(uri: string): void {
    const t = this.pending.get(uri);
    if (t) clearTimeout(t);
    this.pending.set(uri, setTimeout(() => {
      this.pending.delete(uri);
      guardedVoid('validate', () => this.validateNow(uri));
    }, VALIDATE_DELAY_MS));
    const i = this.idle.get(uri);
    if (i) clearTimeout(i);
    this.idle.set(uri, setTimeout(() => {
      this.idle.delete(uri);
      guardedVoid('idle check', () => {
        const d = this.docOf(uri);
        if (d && this.cache.needsIdleCheck(uri) && this.cache.idleCheck(d.doc, d.dialect)) this.validateNow(uri);
      });
    }, IDLE_CHECK_MS));
  }

  private validateNow(uri: string): void {
    const x = this.analysis(uri);
    if (!x) return;
    const diagnostics = toLspDiagnostics(x.doc, x.a, this.relatedInfo);
    void this.connection.sendDiagnostics({ uri, version: x.doc.version, diagnostics });
  }
}
