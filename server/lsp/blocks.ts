// The block structure of a config file (global part, then Match/Host blocks), from the line
// lexer. Cheap enough (one pass, no allocation per character) to recompute per request.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isBlockHeader, lexLine, type LexedLine } from './lineLexer';

export type Dialect = 'sshd' | 'ssh';

export interface Directive { line: number; lex: LexedLine }

export interface Block {
  /** null for the global section before the first header. */
  header: Directive | null;
  /** Last line of the block (inclusive), trailing blank/comment lines excluded. */
  lastLine: number;
  directives: Directive[];
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function documentBlocks(lines: readonly string[], dialect: Dialect): Block[] {
  const blocks: Block[] = [{ header: null, lastLine: -1, directives: [] }];
  for (let i = 0; i < lines.length; i++) {
    const lex = lexLine(lines[i]);
    if (!lex.keyword) continue;
    if (isBlockHeader(lex, dialect)) {
      blocks.push({ header: { line: i, lex }, lastLine: i, directives: [] });
      continue;
    }
    const b = blocks[blocks.length - 1];
    b.directives.push({ line: i, lex });
    b.lastLine = i;
  }
  return blocks;
}

/** The header line of the block containing `line` (scanning upward), or null when global. */
export function headerAbove(doc: TextDocument, line: number, dialect: Dialect): { line: number; lex: LexedLine } | null {
  for (let l = line; l >= 0; l--) {
    const text = doc.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } });
    const lex = lexLine(text.replace(/\r?\n$/, ''));
    if (lex.keyword && isBlockHeader(lex, dialect)) return { line: l, lex };
  }
  return null;
}

export function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}
