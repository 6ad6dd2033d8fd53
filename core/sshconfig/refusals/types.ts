// What the load checks see of a line and of an effective value, and how they report.

import type { Token } from '../types';

/** One directive line as the walk hands it over (after its own arguments were accepted). */
export interface LineRef {
  file: string;
  /** 0-based line. */
  line: number;
  keyword: Token;
  args: readonly Token[];
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
