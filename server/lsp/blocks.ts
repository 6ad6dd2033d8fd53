// The block structure of a config file (global part, then Match/Host blocks), read from the lines
// the analysis built (lines end at '\n' only, as in OpenSSH: a lone CR is whitespace inside a
// line, not a line break), and the line under the cursor as core/sshconfig tokenizes it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { tokenizeLine, type LineNode, type LineTokens } from '../../core/sshconfig/index';
import type { DocLines } from './analysis';

export type Dialect = 'sshd' | 'ssh';

export interface Block {
  /** null for the global section before the first header. */
  header: Readonly<LineNode> | null;
  /** Last line of the block (inclusive), trailing blank/comment lines excluded. */
  lastLine: number;
  directives: Array<Readonly<LineNode>>;
}

/** True when the keyword opens a block: `Match …` (both dialects) or `Host …` (ssh_config). */
export function isHeaderKeyword(keyword: string, dialect: Dialect): boolean {
  const k = keyword.toLowerCase();
  return k === 'match' || (dialect === 'ssh' && k === 'host');
}

/**
 * Blocks as the editor shows them: every Match/Host line opens one, even one the analysis
 * refuses (its own Analysis.blocks skip a malformed Match line), so the outline stays stable
 * while a header is being typed.
 */
export function documentBlocks(nodes: DocLines, dialect: Dialect): Block[] {
  const blocks: Block[] = [{ header: null, lastLine: -1, directives: [] }];
  for (const n of nodes) {
    if (!n.keyword) continue;
    if (isHeaderKeyword(n.keyword.text, dialect)) {
      blocks.push({ header: n, lastLine: n.line, directives: [] });
      continue;
    }
    const b = blocks[blocks.length - 1]!;
    b.directives.push(n);
    b.lastLine = n.line;
  }
  return blocks;
}

/** Each '\n'-split line's length without its line break ('\r' of a CRLF ending dropped). */
export function lineLengths(text: string): number[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.length - 1 : l.length));
}

/** The header line of the block containing `line` (scanning upward), or null when global. */
export function headerAbove(doc: TextDocument, line: number, dialect: Dialect): { line: number; tokens: LineTokens } | null {
  for (let l = line; l >= 0; l--) {
    const tokens = tokenizeLine(lineText(doc, l));
    if (tokens.keyword && isHeaderKeyword(tokens.keyword.text, dialect)) return { line: l, tokens };
  }
  return null;
}

export function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}
