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

function blankOrComment(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
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

function keywordEntry(s: string, start: number, end: number, dialect: Dialect): KeywordEntry {
  let h = (start * 31 + end) | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  let slot = (h >>> 0) & (KW_TABLE_SIZE - 1);
  for (;;) {
    const e = kwTable[slot];
    if (e === undefined) break;
    const t = e.token;
    if (t.start === start && t.end === end && sameChars(t.text, s, start)) return e;
    slot = (slot + 1) & (KW_TABLE_SIZE - 1);
  }
  const text = s.slice(start, end);
  const lo = lower(text);
  const e: KeywordEntry = {
    token: { text, start, end, quoted: false }, lower: lo,
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
 * splitLine's 'directive' verdict for the common line shape (a plain keyword, whitespace and/or
 * one '=', then arguments), computed without allocating: returns the keyword's end with the
 * arguments' start in `fast.rest` and the stripped end in `fast.end`, or -1 when the line needs
 * splitLine (blank, comment, quotes or '=' in the keyword, no argument).
 */
const fast = { start: 0, rest: 0, end: 0 };
function plainDirective(s: string): number {
  let end = s.length;
  while (end > 1) {
    const c = s.charCodeAt(end - 1);
    if (isWs(c) || c === 12) end--;
    else break;
  }
  let start = 0;
  while (start < end) {
    const c = s.charCodeAt(start);
    if (c === 32 || c === 9 || c === 13) start++;
    else break;
  }
  if (start >= end) return -1;
  const c0 = s.charCodeAt(start);
  if (c0 === 35 /* # */ || c0 === 61 /* = */ || c0 === 34 /* " */ || c0 === 10) return -1;
  let q = start + 1;
  while (q < end) {
    const c = s.charCodeAt(q);
    if (isWs(c) || c === 34 || c === 61) break;
    q++;
  }
  if (q >= end || s.charCodeAt(q) === 34) return -1;
  // strdelim: after whitespace, one '=' (itself followed by whitespace) may follow.
  const wspace = s.charCodeAt(q) === 61;
  let next = q + 1;
  while (next < end && isWs(s.charCodeAt(next))) next++;
  if (!wspace && next < end && s.charCodeAt(next) === 61) {
    next++;
    while (next < end && isWs(s.charCodeAt(next))) next++;
  }
  if (next >= end) return -1;
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
/** A file whose first lines hardly repeat is not looked up further (the lookups would be pure cost). */
const PROBE_LINES = 2048;
const MIN_REPEAT_SHARE = 1 / 16;

export function parseFile(path: string, text: string, dialect: Dialect): ParsedFile {
  const raw = splitText(text);
  const lines: ParsedLine[] = new Array(raw.length);
  const byText = new Map<string, ParsedLine>();
  let sharing = true;
  let looked = 0;
  let repeats = 0;
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    // Blank and comment lines are cheaper to split than to look up (and comments rarely repeat).
    const shareable = sharing && !blankOrComment(t);
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
    const kwEnd = plainDirective(t);
    if (kwEnd >= 0) {
      const e = keywordEntry(t, fast.start, kwEnd, dialect);
      const kwLower = e.lower;
      const restStart = fast.rest;
      const end = fast.end;
      const args = argvSplitInto(t, restStart, end);
      const badQuoteAt = argvOut.badQuoteAt;
      const pl: ParsedLine = {
        line: i,
        kind: badQuoteAt !== undefined ? 'invalid'
          : kwLower === 'match' ? 'match'
          : kwLower === 'include' ? 'include'
          : kwLower === 'host' && dialect === 'ssh' ? 'host'
          : 'directive',
        keyword: e.token, args, spec: entrySpec(e, dialect), block: 0, commentStart: argvOut.commentStart,
        sk: 'directive', to: end, kwLower, badQuoteAt,
        matchArgs: kwLower === 'match' ? (isPlain(t, restStart, end) ? args : matchTokens(t, restStart, end)) : undefined,
        twin: i,
      };
      lines[i] = pl;
      if (shareable && byText.size < MAX_SHARED_LINES) byText.set(t, pl);
      continue;
    }
    const sp = splitLine(t);
    // Every node gets the same fields in the same order: one hidden class, fast property access.
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
        const args = argvSplitInto(t, sp.restStart, sp.end);
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
    lines[i] = pl;
    if (shareable && byText.size < MAX_SHARED_LINES) byText.set(t, pl);
  }
  return { path, text, lines };
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
