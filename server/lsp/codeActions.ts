// Quick fixes straight from the analysis: each ConfigDiagnostic fix becomes one CodeAction
// (e.g. the did-you-mean keyword replacement).
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocAnalysis } from './analysis';
import { belongsToDocument, clampRange, toLspDiagnostic } from './diagnostics';

function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart <= bEnd && bStart <= aEnd;
}

export function codeActions(doc: TextDocument, a: DocAnalysis, p: CodeActionParams): CodeAction[] {
  if (p.context.only && !p.context.only.some((k) => k === CodeActionKind.QuickFix || k.startsWith(`${CodeActionKind.QuickFix}.`))) {
    return [];
  }
  const rs = doc.offsetAt(p.range.start);
  const re = doc.offsetAt(p.range.end);
  const out: CodeAction[] = [];
  for (const d of a.diagnostics) {
    if (!d.fixes?.length || !belongsToDocument(d, a)) continue;
    const lsp = toLspDiagnostic(doc, a, d, false);
    if (!overlaps(rs, re, doc.offsetAt(lsp.range.start), doc.offsetAt(lsp.range.end))) continue;
    for (const [i, fix] of d.fixes.entries()) {
      const edits: TextEdit[] = fix.edits.map((e) => ({ range: clampRange(doc, e.line, e.col, e.endLine, e.endCol), newText: e.newText }));
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        isPreferred: i === 0 && d.fixes.length === 1 ? true : undefined,
        edit: { changes: { [doc.uri]: edits } },
      });
    }
  }
  return out;
}
