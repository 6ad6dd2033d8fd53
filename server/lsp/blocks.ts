// The block structure of a config file (global part, then Match/Host blocks) and the line under
// the cursor, both as core/sshconfig splits them (one tokenizer; lines end at '\n' only, as in
// OpenSSH: a lone CR is whitespace inside a line, not a line break).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseLines, tokenizeLine, type LineNode, type LineTokens } from '../../core/sshconfig/index';

export type Dialect = 'sshd' | 'ssh';

export interface Block {
  /** null for the global section before the first header. */
  header: LineNode | null;
  /** Last line of the block (inclusive), trailing blank/comment lines excluded. */
  lastLine: number;
  directives: LineNode[];
}

/** True when the keyword opens a block: `Match …` (both dialects) or `Host …` (ssh_config). */
export function isHeaderKeyword(keyword: string, dialect: Dialect): boolean {
  const k = keyword.toLowerCase();
  return k === 'match' || (dialect === 'ssh' && k === 'host');
}

export interface DocumentLines {
  nodes: readonly LineNode[];
  /** Each line's text without its line break ('\r' of a CRLF ending dropped), for ranges. */
  texts: readonly string[];
  blocks: Block[];
}

export function documentLines(text: string, dialect: Dialect): DocumentLines {
  const nodes = parseLines(text, dialect);
  const texts = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
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
  return { nodes, texts, blocks };
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
