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
 * `#` starts a comment only at the start of a token.
 */
/**
 * Tokens are gathered here and copied out at their exact count: a fresh `[]` grown by push
 * reserves ~17 slots, and the analysis keeps one args array per line of the file.
 */
const scratch: Token[] = [];

/**
 * argvSplitInto's verdict besides the returned tokens (module-level: the parser calls it once per
 * line of the file, and a result object per line is garbage the collector has to chase).
 */
export const argvOut: { commentStart: number | undefined; badQuoteAt: number | undefined } = { commentStart: undefined, badQuoteAt: undefined };

export function argvSplit(s: string, start: number, end: number): ArgvResult {
  let args = argvSplitInto(s, start, end);
  if (args === NO_ARGS) args = []; // callers outside the parser may grow it
  if (argvOut.commentStart !== undefined) return { args, commentStart: argvOut.commentStart };
  if (argvOut.badQuoteAt !== undefined) return { args, badQuoteAt: argvOut.badQuoteAt };
  return { args };
}

/**
 * argvSplit with commentStart / badQuoteAt left in argvOut; no arguments gives one shared empty
 * array. `base`: where the line starts in `s` (columns are relative to it).
 */
export function argvSplitInto(s: string, start: number, end: number, base = 0): Token[] {
  const args = scratch;
  args.length = 0;
  argvOut.commentStart = undefined;
  argvOut.badQuoteAt = undefined;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) { i++; continue; }
    if (c === 35 /* # */) {
      argvOut.commentStart = i - base;
      return copyArgs(args);
    }
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
    if (i >= end && quote !== 0) {
      argvOut.badQuoteAt = tokStart - base;
      return copyArgs(args);
    }
    args.push({ text, start: tokStart - base, end: i - base, quoted });
  }
  return copyArgs(args);
}

const NO_ARGS: Token[] = [];
function copyArgs(args: Token[]): Token[] {
  // The parser treats args arrays as read-only, so every empty one can be the same.
  return args.length === 0 ? NO_ARGS : args.length === 1 ? [args[0]!] : args.slice();
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
