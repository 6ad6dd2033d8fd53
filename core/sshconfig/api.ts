// The analysis API of an sshd_config / ssh_config document: what the language server, `linger lint`
// and `linger doctor` code against. Types only; the implementation is analyze.ts (re-exported by
// index.ts). Positions are 0-based (LSP style).

import type { ConfigDiagnostic, Dialect, KeywordSpec, Token } from './types';

export interface MatchContext {
  /** sshd: `-C user=…`; default 'root'. ssh: the local user (for `Match localuser`). */
  user?: string;
  /** sshd: the client host name; default 'localhost'. ssh: the host given on the command line; default 'example.com'. */
  host?: string;
  /** sshd: the client address; default '127.0.0.1'. */
  addr?: string;
  laddr?: string;
  lport?: number;
}

export interface AnalyzeOptions {
  dialect: Dialect;
  /** Absolute path of the document (used in diagnostics and to resolve relative Includes). */
  file: string;
  /** Reads an Include target; undefined = unreadable. Default: node fs, never throws. */
  readFile?: (path: string) => string | undefined;
  /** Lists a directory (names only) for Include globs; undefined = missing. Default: node fs. */
  listDir?: (dir: string) => string[] | undefined;
  /** Owner and mode of an Include target (ssh refuses group/world-writable ones). Default: node fs; undefined = unknown. */
  statFile?: (path: string) => { uid: number; gid: number; mode: number } | undefined;
  /** Directory relative Include paths resolve against. Default: /etc/ssh (sshd), ~/.ssh (ssh). */
  includeBase?: string;
  /** Whose connection the effective (keepalive) values are computed for. Defaults as `sshd -T -C user=root,host=localhost,addr=127.0.0.1` / `ssh -G example.com`. */
  matchContext?: MatchContext;
  /** Skip reading Include targets altogether (e.g. untrusted workspace). Default false. */
  noIncludes?: boolean;
}

export type LineKind = 'blank' | 'comment' | 'directive' | 'match' | 'host' | 'include' | 'invalid';

export interface LineNode {
  /** 0-based line number in the document. */
  line: number;
  kind: LineKind;
  /** The keyword as written (undefined for blank/comment lines). */
  keyword?: Token;
  /** Arguments as OpenSSH splits them (argv_split; comments removed, quotes stripped in `text`). */
  args: Token[];
  /** Match lines: the criteria as match_cfg_line splits them (strdelim; the args when both agree). */
  matchArgs?: Token[];
  /** Table entry of the keyword, when known. */
  spec?: KeywordSpec;
  /** Index into Analysis.blocks of the block this line belongs to. */
  block: number;
  /** Column of a trailing `# comment`, when there is one. */
  commentStart?: number;
}

export interface Block {
  kind: 'global' | 'match' | 'host';
  /** Line of the Match/Host line (0 for the global block). */
  line: number;
  /** Last line of the block (inclusive). */
  endLine: number;
  /** The criteria text after Match/Host ('' for global). */
  criteria: string;
  /** Whether this block applies to AnalyzeOptions.matchContext (global: always true). */
  active: boolean;
}

export interface IncludeRef {
  line: number;
  /** The pattern as written (one Include line may have several). */
  pattern: string;
  /** Absolute pattern after resolving against the include base. */
  resolved: string;
  /** Files that exist and match, in the lexical order OpenSSH reads them. */
  files: string[];
}

export interface KeepaliveReport {
  dialect: Dialect;
  /** Effective ClientAliveInterval / ServerAliveInterval, seconds (0 = off). */
  interval: number;
  countMax: number;
  tcpKeepAlive: boolean;
  /** Seconds after which a silent peer is dropped, or null when nothing drops it. */
  deadPeerSeconds: number | null;
  explanation: string;
  /** 0-based lines in THIS document where the effective value was set (absent: default or from an Include). */
  lines: { interval?: number; countMax?: number; tcpKeepAlive?: number };
  /** Where each effective value came from, when it was set in an included file. */
  sources: { interval?: { file: string; line: number }; countMax?: { file: string; line: number }; tcpKeepAlive?: { file: string; line: number } };
}

export interface Analysis {
  dialect: Dialect;
  /** One node per document line, in order. Read-only: the analysis's own model of the document,
   *  for callers to read instead of splitting the text again. */
  readonly lines: ReadonlyArray<Readonly<LineNode>>;
  readonly blocks: ReadonlyArray<Readonly<Block>>;
  includes: IncludeRef[];
  /** Sorted by (file, line, col). Includes diagnostics for included files (their `file` differs). */
  diagnostics: ConfigDiagnostic[];
  keepalive: KeepaliveReport;
}
