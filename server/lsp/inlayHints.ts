// An inlay hint at the end of each keepalive line saying what the values add up to.
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocAnalysis } from './analysis';
import { lineText } from './blocks';

export function keepaliveLabel(a: DocAnalysis): string {
  const s = a.keepalive.deadPeerSeconds;
  return s === null ? 'idle sessions with a dead peer are never dropped by SSH keepalive' : `idle sessions are dropped after ~${s} s`;
}

export function inlayHints(doc: TextDocument, a: DocAnalysis, range: Range): InlayHint[] {
  const out: InlayHint[] = [];
  const label = keepaliveLabel(a);
  for (const line of new Set(a.keepalive.lines)) {
    if (line < range.start.line || line > range.end.line || line >= doc.lineCount) continue;
    out.push({
      position: { line, character: lineText(doc, line).length },
      label: label,
      kind: InlayHintKind.Parameter,
      paddingLeft: true,
      tooltip: a.keepalive.explanation,
    });
  }
  return out;
}
