// ConfigDiagnostic (core) → LSP Diagnostic. Ranges are clamped to the document so a stale or
// odd range can never make a client reject the whole publish.
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigDiagnostic, Severity } from '../../core/sshconfig/types';
import type { DocAnalysis } from './analysis';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'linger';

export function clampRange(doc: TextDocument, line: number, col: number, endLine: number, endCol: number): Range {
  const int = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.min(Math.trunc(n), 0x7fffffff)) : 0);
  const clampLine = (l: number): number => Math.min(int(l), Math.max(0, doc.lineCount - 1));
  // offsetAt clamps a too-large character to the end of its line.
  const start = doc.positionAt(doc.offsetAt({ line: clampLine(line), character: int(col) }));
  let end = doc.positionAt(doc.offsetAt({ line: clampLine(endLine), character: int(endCol) }));
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

function uriFor(doc: TextDocument, a: DocAnalysis, file: string): string {
  if (file === a.file || file === '') return doc.uri;
  if (file.startsWith('/')) return pathToFileURL(file).toString();
  return file;
}

/** Only this document's own diagnostics are published for it (included files have their own). */
export function belongsToDocument(d: ConfigDiagnostic, a: DocAnalysis): boolean {
  return d.file === a.file || d.file === '';
}

export function toLspDiagnostic(doc: TextDocument, a: DocAnalysis, d: ConfigDiagnostic, relatedInfo: boolean): Diagnostic {
  const out: Diagnostic = {
    range: clampRange(doc, d.line, d.col, d.endLine, d.endCol),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: SOURCE,
    message: d.message,
  };
  if (relatedInfo && d.related?.length) {
    out.relatedInformation = d.related.map((r): DiagnosticRelatedInformation => {
      const uri = uriFor(doc, a, r.file);
      const range = uri === doc.uri
        ? clampRange(doc, r.line, 0, r.line, 0x7fffffff)
        : { start: { line: Math.max(0, r.line), character: 0 }, end: { line: Math.max(0, r.line), character: 0 } };
      return { location: { uri, range }, message: r.message };
    });
  }
  return out;
}

export function toLspDiagnostics(doc: TextDocument, a: DocAnalysis, relatedInfo: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of a.diagnostics) if (belongsToDocument(d, a)) out.push(toLspDiagnostic(doc, a, d, relatedInfo));
  return out;
}
