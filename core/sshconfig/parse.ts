// Parsing layer of the analysis: every line of a file split the way OpenSSH 9.2p1 does it,
// once per file, into the objects the language server also receives as LineNodes.

import type { LineNode } from './api';
import type { Dialect, KeywordSpec, Token } from './types';
import type { ValueProblem } from './values';
import { lookupKeyword } from './keywords/index';
import { tokenizeLine, type SplitLine } from './tokenize';

/**
 * One line as OpenSSH splits it. For the main document the same object is the LineNode handed
 * out (fewer objects kept alive: a 20k-line file is mostly garbage-collector work otherwise, and
 * these objects are most of what an analysis allocates, so they carry no more fields than needed).
 */
export interface ParsedLine extends LineNode {
  /** splitLine's verdict. */
  sk: SplitLine['kind'];
  /** End of the line after OpenSSH's trailing-whitespace strip. */
  to: number;
  /** Keyword in lower case ('' when none). */
  kwLower: string;
  /** Column of a quote that is never closed ("invalid quotes"); skipped lines: where the line starts. */
  badQuoteAt?: number;
  /** Match lines: strdelim-split criteria. */
  matchArgs?: Token[];
  /**
   * Index of the first line of this file with the same text (its own index when none): the
   * analysis keeps per-text results (ParsedFile.verdicts, .ctxMatches) at that index only.
   */
  twin: number;
}

export interface ParsedFile {
  path: string;
  /** The text as read (lines are split again only for the rare fix that needs a whole line). */
  text: string;
  lines: ParsedLine[];
  /** By twin index, filled by the analysis: the value / Match check's verdict (null: accepted). */
  verdicts?: Array<ValueProblem | null | undefined>;
  /** By twin index, sshd Match lines: whether they match the analysis's connection. */
  ctxMatches?: Array<boolean | undefined>;
}

export function splitText(text: string): string[] {
  const out = text.split('\n');
  // OpenSSH reads C strings: anything after a NUL byte on a line is never seen.
  if (text.includes('\0')) {
    for (let i = 0; i < out.length; i++) {
      const s = out[i]!;
      const z = s.indexOf('\0');
      if (z >= 0) out[i] = s.slice(0, z);
    }
  }
  if (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * Distinct line texts remembered per file. Large configurations repeat the same lines (one
 * Match block body per user or network): a repeat shares the first one's tokens instead of being
 * split again, and the analysis checks its values once (see ParsedLine.twin).
 */
const MAX_SHARED_LINES = 8192;
/**
 * A file whose first lines repeat less than this is not looked up further: a lookup hashes the
 * whole line, about what splitting a short line costs, so rare repeats do not pay.
 */
const PROBE_LINES = 2048;
const MIN_REPEAT_SHARE = 1 / 4;

/** Per analysis: a keyword spelling's lower-case form and table entry, looked up once. */
export interface KeywordMemo {
  readonly keywords: Map<string, { lower: string; spec: KeywordSpec | undefined }>;
}

export function newKeywordMemo(): KeywordMemo {
  return { keywords: new Map() };
}

function isBlankOrComment(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9) return c === 35; /* # */
  }
  return true;
}

export function parseFile(path: string, text: string, dialect: Dialect, memo: KeywordMemo = newKeywordMemo()): ParsedFile {
  const raw = splitText(text);
  const n = raw.length;
  const lines: ParsedLine[] = new Array(n);
  const byText = new Map<string, ParsedLine>();
  let sharing = true;
  let looked = 0;
  let repeats = 0;
  for (let i = 0; i < n; i++) {
    const t = raw[i]!;
    // Blank and comment lines are cheaper to split than to look up (and comments rarely repeat).
    const shareable = sharing && !isBlankOrComment(t);
    const same = shareable ? byText.get(t) : undefined;
    if (shareable && ++looked === PROBE_LINES && repeats < PROBE_LINES * MIN_REPEAT_SHARE) sharing = false;
    if (same !== undefined) {
      repeats++;
      // Tokens and arrays are read-only once parsed, so sharing them is safe; only `line` and
      // `block` are the line's own.
      lines[i] = {
        line: i, kind: same.kind, keyword: same.keyword, args: same.args, spec: same.spec, block: 0, commentStart: same.commentStart,
        sk: same.sk, to: same.to, kwLower: same.kwLower, badQuoteAt: same.badQuoteAt, matchArgs: same.matchArgs, twin: same.line,
      };
      continue;
    }
    const pl = parseLine(t, i, dialect, memo);
    lines[i] = pl;
    if (shareable && byText.size < MAX_SHARED_LINES) byText.set(t, pl);
  }
  return { path, text, lines };
}

/** One line's node from the tokenizer's model (tokenize.ts). */
function parseLine(t: string, i: number, dialect: Dialect, memo: KeywordMemo): ParsedLine {
  const lt = tokenizeLine(t);
  const kw = lt.keyword;
  let kwLower = '';
  let spec: KeywordSpec | undefined;
  if (kw !== undefined) {
    let e = memo.keywords.get(kw.text);
    if (e === undefined) {
      const lower = kw.text.toLowerCase();
      e = { lower, spec: lookupKeyword(dialect, lower) };
      memo.keywords.set(kw.text, e);
    }
    kwLower = e.lower;
    spec = e.spec;
  }
  let kind: LineNode['kind'];
  switch (lt.kind) {
    case 'blank': kind = 'blank'; break;
    case 'comment': kind = 'comment'; break;
    case 'skipped': case 'noarg': kind = 'invalid'; break;
    case 'directive':
      kind = lt.badQuoteAt !== undefined ? 'invalid'
        : kwLower === 'match' ? 'match'
        : kwLower === 'include' ? 'include'
        : kwLower === 'host' && dialect === 'ssh' ? 'host'
        : 'directive';
  }
  // Every node gets the same fields in the same order: one hidden class, fast property access.
  return {
    line: i, kind, keyword: kw, args: lt.args, spec, block: 0, commentStart: lt.commentStart,
    sk: lt.kind, to: lt.end, kwLower, badQuoteAt: lt.badQuoteAt, matchArgs: lt.matchArgs, twin: i,
  };
}

/** The lines of a document as the analysis splits them, without checking anything (outline, folding). */
export function parseLines(text: string, dialect: Dialect): readonly LineNode[] {
  return parseFile('', text, dialect).lines;
}
