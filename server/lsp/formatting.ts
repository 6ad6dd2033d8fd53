// Format-on-type: after Enter, indent the new line like its block (Match/Host bodies indented,
// the global section not). Only leading whitespace is ever touched: OpenSSH ignores it, so
// these edits never change what the file means.
import type { DocumentOnTypeFormattingParams, TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { tokenizeLine } from '../../core/sshconfig/index';
import { headerAbove, isHeaderKeyword, lineText, type Dialect } from './blocks';

export function onTypeFormatting(doc: TextDocument, dialect: Dialect, p: DocumentOnTypeFormattingParams): TextEdit[] {
  if (p.ch !== '\n') return [];
  const line = p.position.line;
  if (line <= 0 || line >= doc.lineCount) return [];
  const current = lineText(doc, line);
  const currentIndent = current.length - current.trimStart().length;
  const lex = tokenizeLine(current);
  // A header typed on the new line goes flush left; anything else follows its block.
  let want: string;
  if (lex.keyword && isHeaderKeyword(lex.keyword.text, dialect)) {
    want = '';
  } else {
    const header = headerAbove(doc, line - 1, dialect);
    if (!header) {
      want = '';
    } else {
      want = blockIndent(doc, header.line, line, dialect)
        ?? (p.options.insertSpaces ? ' '.repeat(Math.max(1, Math.min(p.options.tabSize, 8))) : '\t');
    }
  }
  if (current.slice(0, currentIndent) === want) return [];
  return [{ range: { start: { line, character: 0 }, end: { line, character: currentIndent } }, newText: want }];
}

/** The indentation already used by the block's directives (first one that has text), if any. */
function blockIndent(doc: TextDocument, headerLine: number, exceptLine: number, dialect: Dialect): string | null {
  for (let l = headerLine + 1; l < doc.lineCount && l < headerLine + 200; l++) {
    if (l === exceptLine) continue;
    const t = lineText(doc, l);
    const lex = tokenizeLine(t);
    if (!lex.keyword) continue;
    if (isHeaderKeyword(lex.keyword.text, dialect)) break;
    return t.slice(0, lex.keyword.start);
  }
  return null;
}
