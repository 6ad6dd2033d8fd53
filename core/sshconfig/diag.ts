// What the checks of one analysis share: how they report a diagnostic, and the first value of a
// keyword (OpenSSH's "first value wins") with where it was set.
import type { ConfigDiagnostic, Severity, Token } from './types';

export interface Loc { file: string; line: number }

/** The first value of a keyword among the active lines, and where it was set. */
export interface Event {
  key: string;
  value: Token[];
  loc: Loc;
}

/** First values by canonical lower-case keyword. */
export type FirstValues = ReadonlyMap<string, Event>;

export type AddDiagnostic = (file: string, line: number, col: number, endCol: number, severity: Severity, code: string, message: string,
  extra?: Pick<ConfigDiagnostic, 'fixes' | 'related'>) => ConfigDiagnostic;
