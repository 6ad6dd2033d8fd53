// Hover: the keyword's documentation from the table, its status (deprecated…), and on keepalive
// lines what the effective keepalive means in plain words.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { tokenizeLine } from '../../core/sshconfig/index';
import type { KeywordSpec, Token } from '../../core/sshconfig/types';
import type { DocAnalysis, DocLines } from './analysis';
import { lineText, type Dialect } from './blocks';
import { isKeepaliveKeyword, lookup, matchCriteria, suggest } from './keywords';

const MAX_LINE_FOR_HOVER = 100_000;

function statusLine(spec: KeywordSpec): string | null {
  switch (spec.status) {
    case 'active': return null;
    case 'deprecated': return `**Deprecated**${spec.statusNote ? ` (${spec.statusNote})` : ''}: OpenSSH warns "Deprecated option ${spec.name}" and ignores it.`;
    case 'unsupported': return `**Unsupported** in this build${spec.statusNote ? ` (${spec.statusNote})` : ''}: OpenSSH ignores it.`;
    case 'ignored': return `**Ignored** by OpenSSH${spec.statusNote ? ` (${spec.statusNote})` : ''}.`;
  }
}

function scopeLine(spec: KeywordSpec, dialect: Dialect): string | null {
  if (dialect !== 'sshd') return null;
  if (!spec.match) return 'Not allowed inside a `Match` block.';
  if (spec.global === false) return 'Only allowed inside a `Match` block.';
  return 'Allowed globally and inside `Match` blocks.';
}

/** Hover on a Match criterion word (`User`, `Address`, ssh's `exec`…): its description. */
function criterionHover(dialect: Dialect, args: readonly Token[], pos: Position): Hover | null {
  const a = args.find((t) => pos.character >= t.start && pos.character <= t.end);
  if (!a) return null;
  const c = matchCriteria(dialect).find((x) => x.name.toLowerCase() === a.text.replace(/^!/, '').toLowerCase());
  if (!c) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: `**Match ${c.name}**${c.arg === 'none' ? ' (takes no argument)' : ''}\n\n${c.doc}` },
    range: { start: { line: pos.line, character: a.start }, end: { line: pos.line, character: a.end } },
  };
}

/**
 * @param lines the analysis's lines, or null when the editor numbers lines otherwise (a lone CR
 *   breaks the line in the editor, not in OpenSSH): then the line under the cursor is tokenized.
 */
export function hover(doc: TextDocument, dialect: Dialect, pos: Position, analysis: () => DocAnalysis,
  lines: () => DocLines | null): Hover | null {
  const text = lineText(doc, pos.line);
  if (text.length > MAX_LINE_FOR_HOVER) return null;
  const lex = lines()?.[pos.line] ?? tokenizeLine(text);
  const kw = lex.keyword;
  if (!kw) return null;
  const onKeyword = pos.character >= kw.start && pos.character <= kw.end;
  const range = { start: { line: pos.line, character: kw.start }, end: { line: pos.line, character: kw.end } };
  const spec = lookup(dialect, kw.text);
  if (!spec) {
    if (!onKeyword) return null;
    const s = suggest(dialect, kw.text);
    return {
      contents: { kind: MarkupKind.Markdown, value: `Bad configuration option: ${kw.text}${s ? ` (did you mean \`${s}\`?)` : ''}` },
      range,
    };
  }
  if (!onKeyword && spec.name.toLowerCase() === 'match') return criterionHover(dialect, lex.matchArgs ?? lex.args, pos);
  const isKeepalive = isKeepaliveKeyword(dialect, spec.name);
  if (!onKeyword && !isKeepalive) return null;
  const parts: string[] = [`**${spec.name}**`];
  if (spec.name.toLowerCase() === 'match') {
    parts.push(`Criteria: ${matchCriteria(dialect).map((c) => `\`${c.name}\``).join(', ')}`);
  }
  if (spec.doc) parts.push(spec.doc);
  const status = statusLine(spec);
  if (status) parts.push(status);
  const scope = scopeLine(spec, dialect);
  if (scope) parts.push(scope);
  if (spec.default !== undefined) parts.push(`Default: \`${spec.default}\``);
  if (isKeepalive) {
    const a = analysis();
    parts.push(`**Keepalive:** ${a.keepalive.explanation}`);
  }
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range };
}
