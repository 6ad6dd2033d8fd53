// Folding: each Match/Host block, and runs of three or more comment lines.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver/node';
import type { DocLines } from './analysis';
import { documentBlocks, type Dialect } from './blocks';

export function foldingRanges(dialect: Dialect, nodes: DocLines): FoldingRange[] {
  const blocks = documentBlocks(nodes, dialect);
  const out: FoldingRange[] = [];
  for (const b of blocks) {
    if (b.header && b.lastLine > b.header.line) out.push({ startLine: b.header.line, endLine: b.lastLine });
  }
  let runStart = -1;
  for (let i = 0; i <= nodes.length; i++) {
    const isComment = i < nodes.length && nodes[i]!.kind === 'comment';
    if (isComment && runStart < 0) runStart = i;
    if (!isComment && runStart >= 0) {
      if (i - 1 - runStart >= 2) out.push({ startLine: runStart, endLine: i - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  return out;
}
