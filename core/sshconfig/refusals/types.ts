// What the load checks see of a line and of an effective value, and how they report.

import type { Token } from '../types';

/** One directive line as the walk hands it over (after its own arguments were accepted). */
export interface LineRef {
  file: string;
  /** 0-based line. */
  line: number;
  keyword: Token;
  args: readonly Token[];
  /** Column of a trailing `# comment` (argv_split drops it; the raw rest of the line keeps it). */
  commentStart?: number;
  /** The whole file's text, for the rare check that needs the raw line. */
  fileText?: string;
}

/** The raw text from `col` to the end of line `l` (trailing whitespace stripped, as OpenSSH does). */
export function rawFrom(l: LineRef, col: number): string {
  const text = l.fileText ?? '';
  let start = 0;
  for (let i = 0; i < l.line; i++) {
    start = text.indexOf('\n', start) + 1;
    if (start === 0) return '';
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).slice(col).replace(/[ \t\r\n\f]+$/, '');
}

/** The first active value of a keyword (what OpenSSH keeps), with where it was set. */
export interface SetValue {
  value: readonly Token[];
  loc: { file: string; line: number };
}

/** Reports one refusal (severity error): OpenSSH's words, on the columns named. */
export type RefusalSink = (file: string, line: number, col: number, endCol: number, code: string, message: string) => void;

/** Span of a line's arguments from `from` on (the keyword when there is none). */
export function argSpan(l: LineRef, from = 0): [number, number] {
  const a = l.args[from] ?? l.args[0];
  const last = l.args[l.args.length - 1];
  return a && last ? [a.start, last.end] : [l.keyword.start, l.keyword.end];
}
