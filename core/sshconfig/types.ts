// Shared model of an OpenSSH configuration file (sshd_config or ssh_config).
// Positions are 0-based (LSP style); the CLI prints them 1-based.

import type { Validator } from './argChecks';

export type Dialect = 'sshd' | 'ssh';

/** How a keyword's arguments are checked. Validators live in values.ts, keyed by `kind`. */
export type ValueSpec =
  | { kind: 'yesno' }
  /** A fixed set of words (OpenSSH's multistate tables), case-insensitive unless noted. */
  | { kind: 'enum'; values: readonly string[]; caseSensitive?: boolean }
  | { kind: 'int'; min?: number; max?: number }
  /** Time interval: 90, 1m30s, 1h … (convtime). */
  | { kind: 'time' }
  /** Anything else: named validator in values.ts (e.g. 'port', 'listenaddress', 'ciphers', 'string', 'path'). */
  | {
      kind: 'custom'; validator: string; minArgs?: number; maxArgs?: number;
      /** Completion candidates (e.g. algorithm names, `none`); not a closed set unless the validator says so. */
      values?: readonly string[];
    };

export type KeywordStatus =
  | 'active'
  /** OpenSSH warns "Deprecated option X" and ignores it (rc 0). */
  | 'deprecated'
  /** OpenSSH warns "Unsupported option X" (compiled out, e.g. GSSAPI on some builds) and ignores it. */
  | 'unsupported'
  /** OpenSSH ignores it silently (e.g. sshd `Protocol`). */
  | 'ignored';

export interface KeywordSpec {
  /** Canonical spelling as the man page writes it, e.g. 'ClientAliveInterval'. */
  name: string;
  /** Other accepted spellings (OpenSSH aliases), each mapping to this keyword. */
  aliases?: readonly string[];
  /** sshd: allowed inside Match (SSHCFG_ALL / SSHCFG_MATCH). ssh: always true. */
  match: boolean;
  /** sshd: allowed outside Match. False only for keywords that are Match-only. */
  global?: boolean;
  /** 'first': OpenSSH keeps the first value (later ones are ignored). 'accumulate': every line adds. */
  multi: 'first' | 'accumulate';
  status: KeywordStatus;
  /** e.g. 'deprecated since OpenSSH 7.5'. */
  statusNote?: string;
  value: ValueSpec;
  /** One paragraph, from the man page, plain text. */
  doc: string;
  /** Default value as `sshd -T` / `ssh -G` prints it, when meaningful. */
  default?: string;
  /** Set when this entry is an alias spelling that OpenSSH scopes differently from its target
   *  (e.g. sshd `DSAAuthentication` → PubkeyAuthentication but not allowed in Match). */
  aliasOf?: string;
  /** With multi 'first': OpenSSH has no first-value guard here and overwrites, so the LAST line
   *  wins (sshd MaxStartups, IPQoS, FingerprintHash …; ssh StreamLocalBindMask). */
  lastWins?: boolean;
  /** 'debian': only in Debian's patched OpenSSH (GSSAPI key exchange, DebianBanner …). */
  origin?: 'upstream' | 'debian';
  /** The argument check that runs for this keyword (a validator of sshdValues.ts / sshValues.ts). */
  readonly check: Validator;
}

/** One criterion of a `Match` line (sshd) or of `Match`/`Host` matching (ssh). */
export interface MatchCriterionSpec {
  /** Canonical spelling as the man page writes it; matched case-insensitively. */
  name: string;
  /** 'none': takes no argument (`all`, `canonical`, `final`); 'required': one argument follows. */
  arg: 'none' | 'required';
  /** Must be the only criterion (`all`; for ssh also allowed after canonical/final). */
  alone?: boolean;
  doc: string;
}

export interface Token {
  /** Unquoted text. */
  text: string;
  /** Column range in the line, quotes included. */
  start: number;
  end: number;
  quoted: boolean;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEditSpec { line: number; col: number; endLine: number; endCol: number; newText: string }

export interface ConfigDiagnostic {
  /** File the diagnostic belongs to (absolute path or URI-less path as given). */
  file: string;
  line: number; col: number; endLine: number; endCol: number;
  severity: Severity;
  /** Stable code, e.g. 'unknown-keyword', 'bad-value', 'not-in-match', 'duplicate-ignored', 'keepalive-off'. */
  code: string;
  message: string;
  /** Where a fix exists: one or more edits in `file`, with a title for the quick fix. */
  fixes?: Array<{ title: string; edits: TextEditSpec[] }>;
  related?: Array<{ file: string; line: number; message: string }>;
}
