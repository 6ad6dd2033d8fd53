// Splits one configuration line the way OpenSSH 9.2p1 does (misc.c strdelim_internal + argv_split,
// servconf.c process_server_config_line_depth / readconf.c process_config_line_depth), keeping
// the column of every token so diagnostics can point at it. Pure, linear, never throws.

import type { Token } from './types';

/** strdelim's WHITESPACE (misc.c). */
function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

export interface Delimited {
  token: Token;
  /** Where the rest of the line starts, or -1 when nothing follows (OpenSSH's `*s = NULL`). */
  next: number;
}

/**
 * strdelim(): one token ending at whitespace, a double quote or a single '=' (which may be
 * surrounded by whitespace). Returns null where OpenSSH returns NULL (unterminated quote).
 * `end` is the limit of the line (after trailing-whitespace stripping).
 */
export function strdelim(s: string, start: number, end: number): Delimited | null {
  let q = start;
  while (q < end) {
    const c = s.charCodeAt(q);
    if (isWs(c) || c === 34 /* " */ || c === 61 /* = */) break;
    q++;
  }
  if (q >= end) {
    return { token: { text: s.slice(start, end), start, end, quoted: false }, next: -1 };
  }
  if (s.charCodeAt(q) === 34) {
    const r = s.indexOf('"', q + 1);
    if (r < 0 || r >= end) return null;
    const text = s.slice(start, q) + s.slice(q + 1, r);
    return { token: { text, start, end: r + 1, quoted: true }, next: Math.min(skipWs(s, r + 1), end) };
  }
  const wspace = s.charCodeAt(q) === 61;
  let next = Math.min(skipWs(s, q + 1), end);
  if (!wspace && next < end && s.charCodeAt(next) === 61) next = Math.min(skipWs(s, next + 1), end);
  return { token: { text: s.slice(start, q), start, end: q, quoted: false }, next };
}

export interface ArgvResult {
  args: Token[];
  /** Column of a `#` that starts a comment, if any. */
  commentStart?: number;
  /** Set when a quote is never closed ("invalid quotes"). */
  badQuoteAt?: number;
}

/**
 * argv_split(s, terminate_on_comment=1): whitespace = space/tab only; single and double quotes
 * (anywhere in a token) group; backslash escapes quote, backslash and (outside quotes) space;
 * `#` starts a comment only at the start of a token. No arguments gives one shared (frozen) empty
 * array: an analysis keeps one args array per line, and most of them are read-only anyway.
 */
export function argvSplit(s: string, start: number, end: number): ArgvResult {
  const args: Token[] = [];
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) { i++; continue; }
    if (c === 35 /* # */) return { args: orEmpty(args), commentStart: i };
    const tokStart = i;
    let quote = 0;
    let quoted = false;
    let text = '';
    let runStart = i;
    for (; i < end; i++) {
      const ch = s.charCodeAt(i);
      if (ch === 92 /* \ */) {
        const n = i + 1 < end ? s.charCodeAt(i + 1) : 0;
        if (n === 39 || n === 34 || n === 92 || (quote === 0 && n === 32)) {
          text += s.slice(runStart, i);
          i++;
          runStart = i;
        }
      } else if (quote === 0 && (ch === 32 || ch === 9)) {
        break;
      } else if (quote === 0 && (ch === 34 || ch === 39)) {
        text += s.slice(runStart, i);
        quote = ch;
        quoted = true;
        runStart = i + 1;
      } else if (quote !== 0 && ch === quote) {
        text += s.slice(runStart, i);
        quote = 0;
        runStart = i + 1;
      }
    }
    text += s.slice(runStart, i);
    if (i >= end && quote !== 0) return { args: orEmpty(args), badQuoteAt: tokStart };
    args.push({ text, start: tokStart, end: i, quoted });
  }
  return { args: orEmpty(args) };
}

const NO_ARGS: Token[] = Object.freeze([]) as unknown as Token[];
function orEmpty(args: Token[]): Token[] {
  return args.length === 0 ? NO_ARGS : args;
}

export type SplitLine =
  | { kind: 'blank' }
  | { kind: 'comment'; start: number }
  /** A quote in the keyword is never closed: OpenSSH silently skips the whole line. */
  | { kind: 'skipped'; start: number; end: number }
  /** Keyword with nothing after it: "no argument after keyword". */
  | { kind: 'noarg'; keyword: Token }
  | { kind: 'directive'; keyword: Token; restStart: number; end: number };

/**
 * Finds the keyword and where its arguments start, as process_*_config_line_depth does after
 * the file loader stripped leading " \t\r" (sshd) and the trailing " \t\r\n\f" strip.
 */
export function splitLine(s: string): SplitLine {
  let end = s.length;
  // Trailing strip: WHITESPACE "\f", never the first character.
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
  if (start >= end) return { kind: 'blank' };
  let d = strdelim(s, start, end);
  if (d === null) return { kind: 'skipped', start, end };
  if (d.token.text === '') {
    if (d.next < 0) return { kind: 'blank' };
    d = strdelim(s, d.next, end);
    if (d === null) return { kind: 'skipped', start, end };
  }
  const kw = d.token;
  if (kw.text === '' || kw.text.charCodeAt(0) === 35) {
    return kw.text === '' ? { kind: 'blank' } : { kind: 'comment', start: kw.start };
  }
  let rest = d.next;
  if (rest >= 0) rest = skipWs(s, rest);
  if (rest < 0 || rest >= end) return { kind: 'noarg', keyword: kw };
  return { kind: 'directive', keyword: kw, restStart: rest, end };
}

/**
 * The strdelim-based split match_cfg_line() applies to a Match line: tokens until an empty one
 * or one starting with '#'. An unterminated quote ends the list (strdelim returns NULL).
 */
export function matchTokens(s: string, start: number, end: number): Token[] {
  const out: Token[] = [];
  let p = start;
  while (p >= 0 && p < end) {
    const d = strdelim(s, p, end);
    if (d === null) break;
    if (d.token.text === '' || d.token.text.charCodeAt(0) === 35) break;
    out.push(d.token);
    p = d.next;
  }
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

/**
 * A line as OpenSSH splits it: the one line model. The parser builds its LineNodes from it and
 * the language server reads it at the cursor (hover, completion, on-type formatting).
 */
export interface LineTokens {
  kind: SplitLine['kind'];
  /** The keyword (directive and noarg lines). */
  keyword?: Token;
  /** Column of the one '=' between keyword and arguments, when written. */
  equals?: number;
  /** argv_split's tokens (directive lines; empty otherwise). */
  args: Token[];
  /** Match lines: match_cfg_line's strdelim tokens (the args themselves when both agree). */
  matchArgs?: Token[];
  /** End of the line after the trailing-whitespace strip (comment lines: the whole line). */
  end: number;
  /** Column of a `#` comment: the whole line's, or a trailing one after the arguments. */
  commentStart?: number;
  /** Column of a quote that is never closed ("invalid quotes"); skipped lines: where the line starts. */
  badQuoteAt?: number;
}

export function tokenizeLine(s: string): LineTokens {
  // Blank lines and comments (most of a large file's unique lines) first, without strdelim's
  // allocations; a quote in a comment's first word is left to strdelim (it may skip the line).
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9 || s.charCodeAt(i) === 13)) i++;
  if (i === s.length) return { kind: 'blank', args: NO_ARGS, end: 0 };
  if (s.charCodeAt(i) === 35 /* # */) {
    let q = i + 1;
    while (q < s.length && !isWs(s.charCodeAt(q)) && s.charCodeAt(q) !== 34 && s.charCodeAt(q) !== 61) q++;
    if (q >= s.length || s.charCodeAt(q) !== 34) return { kind: 'comment', args: NO_ARGS, end: s.length, commentStart: i };
  }
  const sp = splitLine(s);
  switch (sp.kind) {
    case 'blank':
      return { kind: 'blank', args: NO_ARGS, end: 0 };
    case 'comment':
      return { kind: 'comment', args: NO_ARGS, end: s.length, commentStart: sp.start };
    case 'skipped':
      return { kind: 'skipped', args: NO_ARGS, end: sp.end, badQuoteAt: sp.start };
    case 'noarg':
      return { kind: 'noarg', keyword: sp.keyword, equals: equalsAt(s, sp.keyword.end, s.length), args: NO_ARGS, end: sp.keyword.end };
    case 'directive': {
      const a = argvSplit(s, sp.restStart, sp.end);
      const kw = sp.keyword;
      const isMatch = kw.text.length === 5 && kw.text.toLowerCase() === 'match';
      return {
        kind: 'directive', keyword: kw, equals: equalsAt(s, kw.end, sp.restStart), args: a.args,
        // match_cfg_line splits with strdelim; on plain text that gives argv_split's tokens.
        matchArgs: isMatch ? (isPlain(s, sp.restStart, sp.end) ? a.args : matchTokens(s, sp.restStart, sp.end)) : undefined,
        end: sp.end, commentStart: a.commentStart, badQuoteAt: a.badQuoteAt,
      };
    }
  }
}

/** strdelim's separator: one '=' after the keyword, before the arguments. */
function equalsAt(s: string, from: number, to: number): number | undefined {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 61) return i;
  return undefined;
}
