// The reading rules both walks share (parse_server_config_depth / read_config_file_depth): what a
// walk carries, which words are handled before the keyword table, how a Host line and an Include
// pattern are read, and the Include depth limit.

import type { Dialect, Token } from './types';
import type { Event } from './diag';
import type { SshEvalState } from './matchEval';
import { matchPattern } from './patterns';
import { safeHome } from './fsDefaults';

/** servconf.c SERVCONF_MAX_DEPTH / readconf.c READCONF_MAX_DEPTH. */
export const MAX_DEPTH = 16;

/** State of one read of the document and its includes. */
export interface Walk {
  /** Inside a block that applies (or at top level). */
  active: boolean;
  /** First value per keyword (lowercase canonical name) among active lines. */
  first: Map<string, Event>;
  /** ssh: some `Match final`/`canonical` asks for a final read. */
  wantFinal: boolean;
  sshState: SshEvalState;
  /** A fatal() in OpenSSH: nothing after it is read. */
  aborted: boolean;
}

export function newWalk(): Walk {
  return { active: true, first: new Map(), wantFinal: false, sshState: { user: undefined }, aborted: false };
}

/** Words handled by the reader itself rather than by a table row's validator. */
export function isSpecial(dialect: Dialect, key: string): boolean {
  return key === 'match' || key === 'include' || (dialect === 'ssh' && key === 'host');
}

/** Match and Include are SSHCFG_ALL in servconf.c. */
export function sshdSpecialInMatch(key: string): boolean {
  return key === 'match' || key === 'include';
}

/** ssh `Host` patterns against the target host: readconf.c stops at the first empty argument
 *  (an error) and at the first negated match. */
export function hostLine(args: readonly Token[], host: string, neverMatch: boolean): { active: boolean; emptyAt: number } {
  let active = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.text;
    if (a === '') return { active, emptyAt: i };
    if (neverMatch) break;
    const neg = a.startsWith('!');
    if (matchPattern(host.toLowerCase(), neg ? a.slice(1) : a)) {
      if (neg) { active = false; break; }
      active = true;
    }
  }
  return { active, emptyAt: -1 };
}

/** An Include argument as the absolute glob pattern OpenSSH expands, or the reason it refuses it. */
export function includePattern(dialect: Dialect, text: string, includeBase: string, sshSystem: boolean): { pattern: string } | { refused: string } {
  let pattern = text;
  if (dialect === 'ssh') {
    if (sshSystem && pattern.startsWith('~')) return { refused: `bad include path ${text}: '~' is only allowed in a user's own config` };
    if (!pattern.startsWith('/') && !pattern.startsWith('~')) pattern = `${includeBase}/${pattern}`;
    if (pattern === '~' || pattern.startsWith('~/')) pattern = safeHome() + pattern.slice(1);
  } else if (!pattern.startsWith('/') && !pattern.startsWith('~')) {
    pattern = `${includeBase}/${pattern}`;
  }
  return { pattern };
}

/** ssh.c: CanonicalizeHostname other than "no" makes ssh read the configuration again (a final pass). */
export function rereadsForCanonicalization(v: string | undefined): boolean {
  return v !== undefined && v.toLowerCase() !== 'no';
}

/** `text.toLowerCase() === 'all'` without a lower-case copy per Match line. */
export function isAllWord(text: string): boolean {
  return text.length === 3 && (text.charCodeAt(0) | 32) === 97 && (text.charCodeAt(1) | 32) === 108 && (text.charCodeAt(2) | 32) === 108;
}

/** Keeps the first value of a keyword among active lines (OpenSSH's first-value-wins guards);
 *  ssh's User and HostName feed its later Match criteria. */
export function recordFirst(w: Walk, dialect: Dialect, canon: string, file: string, line: number, args: Token[], finalPass: boolean): boolean {
  if (!w.active || w.first.has(canon)) return false;
  w.first.set(canon, { key: canon, value: args, loc: { file, line } });
  if (dialect === 'ssh' && canon === 'user') w.sshState.user = args[0]?.text;
  // Before the final pass ssh.c has fixed the host name (the first pass's HostName or the argument).
  if (dialect === 'ssh' && canon === 'hostname' && !finalPass) w.sshState.hostname = args[0]?.text;
  return true;
}
