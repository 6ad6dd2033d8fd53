// Parsing layer of the analysis: every line of a file split the way OpenSSH 9.2p1 does it,
// once per file, into the objects the language server also receives as LineNodes.

import type { LineNode } from './api';
import type { Dialect, KeywordSpec, Token } from './types';
import type { ValueProblem } from './values';
import { lookupKeyword } from './keywords/index';
import { argvOut, argvSplitInto, matchTokens, splitLine, type SplitLine } from './tokenize';

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

/** No character on which strdelim and argv_split could split differently. */
function isPlain(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    // = " ' \ # CR LF
    if (c === 61 || c === 34 || c === 39 || c === 92 || c === 35 || c === 13 || c === 10) return false;
  }
  return true;
}

function blankOrComment(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return c === 35; /* # */
  }
  return true;
}

/** Lower-cased keyword spellings, shared across analyses (bounded). */
const lowerCache = new Map<string, string>();
function lower(s: string): string {
  let l = lowerCache.get(s);
  if (l === undefined) {
    l = s.toLowerCase();
    if (lowerCache.size < 4096) lowerCache.set(s, l);
  }
  return l;
}

/**
 * Keyword tokens shared by every line that spells a keyword the same way at the same column
 * (read-only like all tokens), found by their characters without slicing the line: most lines
 * of a large file then allocate no keyword token, no keyword string and no lower-case lookup.
 * Open addressing over a fixed table, shared across analyses; full enough, new ones are not kept.
 */
interface KeywordEntry { token: Token; lower: string; sshd: KeywordSpec | undefined; ssh: KeywordSpec | undefined }
const KW_TABLE_SIZE = 4096;
const kwTable: Array<KeywordEntry | undefined> = new Array(KW_TABLE_SIZE).fill(undefined);
let kwTableUsed = 0;

function sameChars(a: string, s: string, from: number): boolean {
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== s.charCodeAt(from + i)) return false;
  return true;
}

/** The keyword at [start, end) of `s`, a line starting at `base`. */
function keywordEntry(s: string, start: number, end: number, base: number, dialect: Dialect): KeywordEntry {
  const col = start - base;
  const colEnd = end - base;
  let h = (col * 31 + colEnd) | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  let slot = (h >>> 0) & (KW_TABLE_SIZE - 1);
  for (;;) {
    const e = kwTable[slot];
    if (e === undefined) break;
    const t = e.token;
    if (t.start === col && t.end === colEnd && sameChars(t.text, s, start)) return e;
    slot = (slot + 1) & (KW_TABLE_SIZE - 1);
  }
  // A copy, not a slice: the table outlives the document the slice would keep alive.
  const text = JSON.parse(JSON.stringify(s.slice(start, end))) as string;
  const lo = lower(text);
  const e: KeywordEntry = {
    token: { text, start: col, end: colEnd, quoted: false }, lower: lo,
    sshd: dialect === 'sshd' ? lookupKeyword('sshd', lo) : undefined,
    ssh: dialect === 'ssh' ? lookupKeyword('ssh', lo) : undefined,
  };
  if (kwTableUsed < KW_TABLE_SIZE / 2) {
    kwTable[slot] = e;
    kwTableUsed++;
  }
  return e;
}

function entrySpec(e: KeywordEntry, dialect: Dialect): KeywordSpec | undefined {
  if (dialect === 'sshd') return e.sshd ??= lookupKeyword('sshd', e.lower);
  return e.ssh ??= lookupKeyword('ssh', e.lower);
}

/** strdelim's WHITESPACE (misc.c). */
function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/**
 * splitLine's verdict for the common line shapes, computed without allocating, on the line at
 * [base, lineEnd) of `s`: PLAIN_BLANK, PLAIN_COMMENT (its start in `fast.start`), or a plain
 * keyword followed by whitespace and/or one '=' and arguments: the keyword's end, with its start in
 * `fast.start`, the arguments' start in `fast.rest` and the stripped end in `fast.end` (all
 * offsets in `s`). PLAIN_NO when the line needs splitLine (quotes or '=' in the keyword, no argument…).
 */
const PLAIN_NO = -1;
const PLAIN_BLANK = -2;
const PLAIN_COMMENT = -3;
const fast = { start: 0, rest: 0, end: 0 };
function plainLine(s: string, base: number, lineEnd: number): number {
  let end = lineEnd;
  // Trailing strip: WHITESPACE "\f", never the first character.
  while (end > base + 1) {
    const c = s.charCodeAt(end - 1);
    if (isWs(c) || c === 12) end--;
    else break;
  }
  let start = base;
  while (start < end) {
    const c = s.charCodeAt(start);
    if (c === 32 || c === 9 || c === 13) start++;
    else break;
  }
  if (start >= end) return PLAIN_BLANK;
  const c0 = s.charCodeAt(start);
  if (c0 === 61 /* = */ || c0 === 34 /* " */ || c0 === 10) return PLAIN_NO;
  let q = start + 1;
  while (q < end) {
    const c = s.charCodeAt(q);
    if (isWs(c) || c === 34 || c === 61) break;
    q++;
  }
  // A quote in the first word: strdelim may find no closing one ("skipped").
  if (q < end && s.charCodeAt(q) === 34) return PLAIN_NO;
  if (c0 === 35 /* # */) {
    fast.start = start;
    return PLAIN_COMMENT;
  }
  if (q >= end) return PLAIN_NO;
  // strdelim: after whitespace, one '=' (itself followed by whitespace) may follow.
  const wspace = s.charCodeAt(q) === 61;
  let next = q + 1;
  while (next < end && isWs(s.charCodeAt(next))) next++;
  if (!wspace && next < end && s.charCodeAt(next) === 61) {
    next++;
    while (next < end && isWs(s.charCodeAt(next))) next++;
  }
  if (next >= end) return PLAIN_NO;
  fast.start = start;
  fast.rest = next;
  fast.end = end;
  return q;
}

const NO_ARGS: Token[] = [];

/**
 * Distinct line texts remembered per file. Large configurations repeat the same lines (one
 * Match block body per user or network): a repeat shares the first one's tokens instead of being
 * split again, and the analysis checks its values once (see ParsedLine.twin).
 */
const MAX_SHARED_LINES = 8192;
/**
 * A file whose first lines repeat less than this is not looked up further: a lookup slices and
 * hashes the whole line, about what splitting a short line costs, so rare repeats do not pay.
 */
const PROBE_LINES = 2048;
const MIN_REPEAT_SHARE = 1 / 4;

export function parseFile(path: string, text: string, dialect: Dialect): ParsedFile {
  // Lines are read in place in `text` (no string per line) unless a NUL byte needs splitText's cut.
  const raw = text.includes('\0') ? splitText(text) : undefined;
  let n = raw !== undefined ? raw.length : 1;
  if (raw === undefined) {
    for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) n++;
    if (n > 1 && text.charCodeAt(text.length - 1) === 10) n--; // as splitText drops the last ''
  }
  const lines: ParsedLine[] = new Array(n);
  const byText = new Map<string, ParsedLine>();
  let sharing = true;
  let looked = 0;
  let repeats = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    let s: string;
    let base: number;
    let lineEnd: number;
    if (raw !== undefined) {
      s = raw[i]!;
      base = 0;
      lineEnd = s.length;
    } else {
      s = text;
      base = pos;
      const nl = text.indexOf('\n', pos);
      lineEnd = nl < 0 ? text.length : nl;
      pos = lineEnd + 1;
    }
    // Blank and comment lines are cheaper to split than to look up (and comments rarely repeat).
    const shareable = sharing && !blankOrComment(s, base, lineEnd);
    const t = shareable ? (raw !== undefined ? s : text.slice(base, lineEnd)) : '';
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
    const kwEnd = plainLine(s, base, lineEnd);
    if (kwEnd >= 0) {
      const e = keywordEntry(s, fast.start, kwEnd, base, dialect);
      const kwLower = e.lower;
      const restStart = fast.rest;
      const end = fast.end;
      const args = argvSplitInto(s, restStart, end, base);
      const badQuoteAt = argvOut.badQuoteAt;
      const pl: ParsedLine = {
        line: i,
        kind: badQuoteAt !== undefined ? 'invalid'
          : kwLower === 'match' ? 'match'
          : kwLower === 'include' ? 'include'
          : kwLower === 'host' && dialect === 'ssh' ? 'host'
          : 'directive',
        keyword: e.token, args, spec: entrySpec(e, dialect), block: 0, commentStart: argvOut.commentStart,
        sk: 'directive', to: end - base, kwLower, badQuoteAt,
        matchArgs: kwLower === 'match'
          ? (isPlain(s, restStart, end) ? args : matchTokens(s.slice(base, lineEnd), restStart - base, end - base))
          : undefined,
        twin: i,
      };
      lines[i] = pl;
      if (shareable && byText.size < MAX_SHARED_LINES) byText.set(t, pl);
      continue;
    }
    if (kwEnd === PLAIN_BLANK || kwEnd === PLAIN_COMMENT) {
      // Every node gets the same fields in the same order: one hidden class, fast property access.
      const comment = kwEnd === PLAIN_COMMENT;
      const pl: ParsedLine = {
        line: i, kind: comment ? 'comment' : 'blank', keyword: undefined, args: NO_ARGS, spec: undefined, block: 0,
        commentStart: comment ? fast.start - base : undefined,
        sk: comment ? 'comment' : 'blank', to: comment ? lineEnd - base : 0, kwLower: '', badQuoteAt: undefined, matchArgs: undefined, twin: i,
      };
      lines[i] = pl;
      if (shareable && byText.size < MAX_SHARED_LINES) byText.set(t, pl);
      continue;
    }
    const line = raw !== undefined ? s : text.slice(base, lineEnd);
    const pl = parseOther(line, i, dialect);
    lines[i] = pl;
    if (shareable && byText.size < MAX_SHARED_LINES) byText.set(t, pl);
  }
  return { path, text, lines };
}

/** A line plainLine leaves to splitLine (quotes or '=' in the keyword, a keyword alone…). */
function parseOther(t: string, i: number, dialect: Dialect): ParsedLine {
  const sp = splitLine(t);
  const pl: ParsedLine = {
    line: i, kind: 'blank', keyword: undefined, args: NO_ARGS, spec: undefined, block: 0, commentStart: undefined,
    sk: sp.kind, to: 0, kwLower: '', badQuoteAt: undefined, matchArgs: undefined, twin: i,
  };
  switch (sp.kind) {
    case 'blank':
      break;
    case 'comment':
      pl.kind = 'comment';
      pl.commentStart = sp.start;
      pl.to = t.length;
      break;
    case 'skipped':
      pl.kind = 'invalid';
      pl.badQuoteAt = sp.start;
      pl.to = sp.end;
      break;
    case 'noarg':
      pl.kind = 'invalid';
      pl.keyword = sp.keyword;
      pl.to = sp.keyword.end;
      pl.kwLower = lower(sp.keyword.text);
      pl.spec = lookupKeyword(dialect, pl.kwLower);
      break;
    case 'directive': {
      const kwLower = lower(sp.keyword.text);
      const args = argvSplitInto(t, sp.restStart, sp.end, 0);
      const a = { args, commentStart: argvOut.commentStart, badQuoteAt: argvOut.badQuoteAt };
      pl.kind = a.badQuoteAt !== undefined ? 'invalid'
        : kwLower === 'match' ? 'match'
        : kwLower === 'include' ? 'include'
        : kwLower === 'host' && dialect === 'ssh' ? 'host'
        : 'directive';
      pl.keyword = sp.keyword;
      pl.args = a.args;
      pl.to = sp.end;
      pl.kwLower = kwLower;
      pl.spec = lookupKeyword(dialect, kwLower);
      pl.commentStart = a.commentStart;
      pl.badQuoteAt = a.badQuoteAt;
      // match_cfg_line splits with strdelim; on plain text that gives argv_split's tokens.
      if (kwLower === 'match') pl.matchArgs = isPlain(t, sp.restStart, sp.end) ? a.args : matchTokens(t, sp.restStart, sp.end);
      break;
    }
  }
  return pl;
}

/** Canonical lower-case names per table entry. */
const canonCache = new WeakMap<KeywordSpec, string>();
export function canonOf(spec: KeywordSpec): string {
  let c = canonCache.get(spec);
  if (c === undefined) {
    c = spec.name.toLowerCase();
    canonCache.set(spec, c);
  }
  return c;
}
