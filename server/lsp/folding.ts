// Folding: each Match/Host block, and runs of three or more comment lines.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentBlocks, splitLines, type Dialect } from './blocks';

export function foldingRanges(doc: TextDocument, dialect: Dialect): FoldingRange[] {
  const lines = splitLines(doc.getText());
  const out: FoldingRange[] = [];
  for (const b of documentBlocks(lines, dialect)) {
    if (b.header && b.lastLine > b.header.line) out.push({ startLine: b.header.line, endLine: b.lastLine });
  }
  let runStart = -1;
  for (let i = 0; i <= lines.length; i++) {
    const isComment = i < lines.length && /^\s*#/.test(lines[i]);
    if (isComment && runStart < 0) runStart = i;
    if (!isComment && runStart >= 0) {
      if (i - 1 - runStart >= 2) out.push({ startLine: runStart, endLine: i - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  return out;
}
