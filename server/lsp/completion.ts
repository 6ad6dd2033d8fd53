// Completion: keywords (inside a Match block only those allowed there), Match criteria, and the
// fixed values of a keyword (yes/no, enums) after it.
import {
  CompletionItemKind, CompletionItemTag, MarkupKind, type CompletionItem, type CompletionList, type Position, type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { tokenizeLine } from '../../core/sshconfig/index';
import type { KeywordSpec } from '../../core/sshconfig/types';
import { headerAbove, lineText, type Dialect } from './blocks';
import { all, lookup, matchCriteria } from './keywords';

const MAX_LINE = 10_000;

function keywordItem(spec: KeywordSpec, range: Range): CompletionItem {
  const inactive = spec.status !== 'active';
  return {
    label: spec.name,
    kind: CompletionItemKind.Keyword,
    detail: inactive ? `${spec.status}${spec.statusNote ? `: ${spec.statusNote}` : ''}` : undefined,
    documentation: spec.doc ? { kind: MarkupKind.Markdown, value: spec.doc } : undefined,
    tags: spec.status === 'deprecated' ? [CompletionItemTag.Deprecated] : undefined,
    // Deprecated and ignored keywords sort after the live ones.
    sortText: `${inactive ? '1' : '0'}${spec.name.toLowerCase()}`,
    textEdit: { range, newText: spec.name },
  };
}

function valueItems(spec: KeywordSpec): string[] {
  switch (spec.value.kind) {
    case 'yesno': return ['yes', 'no'];
    case 'enum': return [...spec.value.values];
    case 'custom': return [...(spec.value.values ?? [])];
    default: return [];
  }
}

function isHeaderKeyword(dialect: Dialect, name: string): boolean {
  const k = name.toLowerCase();
  return k === 'match' || (dialect === 'ssh' && k === 'host');
}

export function completion(doc: TextDocument, dialect: Dialect, pos: Position): CompletionList | null {
  const full = lineText(doc, pos.line);
  if (full.length > MAX_LINE) return null;
  const before = full.slice(0, pos.character);
  const lex = tokenizeLine(before);
  if (lex.commentStart !== undefined) return null;

  // Still typing the keyword (or nothing yet): keyword completion.
  const typingKeyword = !lex.keyword || (lex.keyword.end === before.length && lex.equals === undefined);
  if (typingKeyword) {
    const start = lex.keyword ? lex.keyword.start : pos.character;
    const fullLex = tokenizeLine(full);
    const end = fullLex.keyword && fullLex.keyword.start === start ? fullLex.keyword.end : pos.character;
    const range = { start: { line: pos.line, character: start }, end: { line: pos.line, character: end } };
    const inMatch = dialect === 'sshd' && headerAbove(doc, pos.line - 1, dialect) !== null;
    const items: CompletionItem[] = [];
    for (const spec of all(dialect)) {
      if (inMatch && !spec.match && !isHeaderKeyword(dialect, spec.name)) continue;
      if (!inMatch && dialect === 'sshd' && spec.global === false) continue;
      items.push(keywordItem(spec, range));
    }
    return { isIncomplete: false, items };
  }

  const kw = lex.keyword!;
  // Inside a quote not closed yet: a value is being typed, no word list applies.
  if (lex.badQuoteAt !== undefined) return { isIncomplete: false, items: [] };
  // Which argument is being typed: the partial word under the cursor is the last arg when the
  // line does not end in a blank.
  const endsInBlank = /\s$/.test(before) || (lex.equals !== undefined && lex.equals + 1 === before.length);
  const argIndex = endsInBlank ? lex.args.length : Math.max(0, lex.args.length - 1);
  const partial = endsInBlank || lex.args.length === 0 ? null : lex.args[lex.args.length - 1];
  const range = partial
    ? { start: { line: pos.line, character: partial.start }, end: { line: pos.line, character: pos.character } }
    : { start: pos, end: pos };

  if (kw.text.toLowerCase() === 'match') {
    // Criteria alternate with their values; some (`all`, ssh's canonical/final) take none.
    const criteria = matchCriteria(dialect);
    const noArg = new Set(criteria.filter((c) => c.arg === 'none').map((c) => c.name.toLowerCase()));
    let expectCriterion = true;
    for (let i = 0; i < argIndex; i++) {
      const a = lex.args[i].text.toLowerCase();
      expectCriterion = expectCriterion ? noArg.has(a.replace(/^!/, '')) : true;
    }
    if (!expectCriterion) return { isIncomplete: false, items: [] };
    return {
      isIncomplete: false,
      items: criteria.map((c) => ({
        label: c.name, kind: CompletionItemKind.EnumMember, documentation: c.doc, textEdit: { range, newText: c.name },
      })),
    };
  }

  const spec = lookup(dialect, kw.text);
  if (!spec) return null;
  const values = valueItems(spec);
  if (values.length === 0) return { isIncomplete: false, items: [] };
  return {
    isIncomplete: false,
    items: values.map((v) => ({ label: v, kind: CompletionItemKind.Value, textEdit: { range, newText: v } })),
  };
}
