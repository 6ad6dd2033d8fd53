// Outline: global directives, then each Match/Host block with its directives as children.
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentBlocks, splitLines, type Dialect, type Directive } from './blocks';

const MAX_NAME = 120;

function directiveSymbol(lines: readonly string[], d: Directive): DocumentSymbol {
  const kw = d.lex.keyword!;
  const detail = d.lex.args.map((a) => a.text).join(' ').slice(0, MAX_NAME);
  return {
    name: kw.text || '?',
    detail,
    kind: SymbolKind.Property,
    range: { start: { line: d.line, character: 0 }, end: { line: d.line, character: lines[d.line].length } },
    selectionRange: { start: { line: d.line, character: kw.start }, end: { line: d.line, character: kw.end } },
  };
}

export function documentSymbols(doc: TextDocument, dialect: Dialect, hierarchical: boolean): DocumentSymbol[] | SymbolInformation[] {
  const lines = splitLines(doc.getText());
  const out: DocumentSymbol[] = [];
  for (const b of documentBlocks(lines, dialect)) {
    if (!b.header) {
      for (const d of b.directives) out.push(directiveSymbol(lines, d));
      continue;
    }
    const h = b.header;
    const name = `${h.lex.keyword!.text} ${h.lex.args.map((a) => a.text).join(' ')}`.trim().slice(0, MAX_NAME);
    const endLine = Math.max(b.lastLine, h.line);
    out.push({
      name,
      kind: h.lex.keyword!.text.toLowerCase() === 'host' ? SymbolKind.Module : SymbolKind.Namespace,
      range: { start: { line: h.line, character: 0 }, end: { line: endLine, character: lines[endLine].length } },
      selectionRange: { start: { line: h.line, character: h.lex.keyword!.start }, end: { line: h.line, character: h.lex.keyword!.end } },
      children: b.directives.map((d) => directiveSymbol(lines, d)),
    });
  }
  if (hierarchical) return out;
  const flat: SymbolInformation[] = [];
  const walk = (syms: DocumentSymbol[], container?: string): void => {
    for (const s of syms) {
      flat.push({ name: s.name, kind: s.kind, location: { uri: doc.uri, range: s.range }, containerName: container });
      if (s.children) walk(s.children, s.name);
    }
  };
  walk(out);
  return flat;
}
