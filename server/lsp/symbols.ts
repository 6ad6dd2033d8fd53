// Outline: global directives, then each Match/Host block with its directives as children.
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LineNode } from '../../core/sshconfig/index';
import type { DocLines } from './analysis';
import { documentBlocks, lineLengths, type Dialect } from './blocks';

const MAX_NAME = 120;

function directiveSymbol(lengths: readonly number[], d: Readonly<LineNode>): DocumentSymbol {
  const kw = d.keyword!;
  const detail = d.args.map((a) => a.text).join(' ').slice(0, MAX_NAME);
  return {
    name: kw.text || '?',
    detail,
    kind: SymbolKind.Property,
    range: { start: { line: d.line, character: 0 }, end: { line: d.line, character: lengths[d.line] } },
    selectionRange: { start: { line: d.line, character: kw.start }, end: { line: d.line, character: kw.end } },
  };
}

export function documentSymbols(doc: TextDocument, dialect: Dialect, hierarchical: boolean, nodes: DocLines): DocumentSymbol[] | SymbolInformation[] {
  // Ranges end at each line's end: only the lengths come from the text, not another parse.
  const lengths = lineLengths(doc.getText());
  const blocks = documentBlocks(nodes, dialect);
  const out: DocumentSymbol[] = [];
  for (const b of blocks) {
    if (!b.header) {
      for (const d of b.directives) out.push(directiveSymbol(lengths, d));
      continue;
    }
    const h = b.header;
    const name = `${h.keyword!.text} ${h.args.map((a) => a.text).join(' ')}`.trim().slice(0, MAX_NAME);
    const endLine = Math.max(b.lastLine, h.line);
    out.push({
      name,
      kind: h.keyword!.text.toLowerCase() === 'host' ? SymbolKind.Module : SymbolKind.Namespace,
      range: { start: { line: h.line, character: 0 }, end: { line: endLine, character: lengths[endLine] } },
      selectionRange: { start: { line: h.line, character: h.keyword!.start }, end: { line: h.line, character: h.keyword!.end } },
      children: b.directives.map((d) => directiveSymbol(lengths, d)),
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
