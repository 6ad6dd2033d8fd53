// Which keywords make one line's diagnostics depend on other lines. The analysis (analyze.ts)
// is the source of truth; this table names the keywords its cross-line checks read, so that a
// consumer that re-analyses a single line (the language server's incremental path) knows when
// it must not. A new check in analyze.ts that reads a keyword from elsewhere belongs here.
import type { Dialect } from './types';
import { keywordsFor } from './keywords/index';
import { ASSEMBLED_KEYWORDS } from './values';
import { refusalLineKeywords, refusalPostParseKeywords } from './refusals/index';

/** Values the walk evaluates while deciding which Match/Host blocks apply and the keepalive report. */
export const EVAL_KEYWORDS: ReadonlySet<string> = new Set([
  'clientaliveinterval', 'clientalivecountmax', 'serveraliveinterval', 'serveralivecountmax', 'tcpkeepalive', 'user', 'hostname',
]);

/** sshd.c main() after reading the file (analyze.ts postParseChecks / authMethodsCheck). */
const SSHD_POST_PARSE = [
  'authorizedkeyscommand', 'authorizedkeyscommanduser', 'authorizedprincipalscommand', 'authorizedprincipalscommanduser',
  'authenticationmethods', 'pubkeyauthentication', 'gssapiauthentication', 'passwordauthentication',
  'kbdinteractiveauthentication', 'hostbasedauthentication',
];

/** ssh.c main() after reading the file (analyze.ts sshPostParseChecks). */
const SSH_POST_PARSE = [
  'proxycommand', 'proxyusefdpass', 'connectionattempts', 'forkafterauthentication', 'remotecommand', 'sessiontype',
  'globalknownhostsfile', 'userknownhostsfile',
];

const STRUCTURE: Record<Dialect, readonly string[]> = {
  sshd: ['match', 'include'],
  ssh: ['match', 'host', 'include', 'ignoreunknown'],
};

const POST_PARSE: Record<Dialect, ReadonlySet<string>> = {
  sshd: new Set([...ASSEMBLED_KEYWORDS, ...SSHD_POST_PARSE, ...refusalPostParseKeywords('sshd')]),
  ssh: new Set([...ASSEMBLED_KEYWORDS, ...SSH_POST_PARSE, ...refusalPostParseKeywords('ssh')]),
};

/**
 * Keywords read by the checks OpenSSH runs after the whole file parsed without errors (algorithm
 * list assembly, then sshd.c/ssh.c main()): with one of them present, the first error anywhere
 * in the file (or the last one going away) changes what those checks report.
 */
export function postParseKeywords(dialect: Dialect): ReadonlySet<string> {
  return POST_PARSE[dialect];
}

/**
 * Canonical lower-case keywords whose presence or value can change diagnostics on other lines:
 * block structure, Include/IgnoreUnknown, values the walk evaluates, the post-parse checks, the
 * algorithm lists (a refused one turns the post-parse checks off) and last-value-wins keywords.
 */
function crossLine(dialect: Dialect): ReadonlySet<string> {
  const all = new Set<string>([...STRUCTURE[dialect], ...EVAL_KEYWORDS, ...POST_PARSE[dialect], ...refusalLineKeywords(dialect)]);
  for (const k of keywordsFor(dialect)) if (k.lastWins) all.add(k.name.toLowerCase());
  return all;
}
const CROSS_LINE: Record<Dialect, ReadonlySet<string>> = { sshd: crossLine('sshd'), ssh: crossLine('ssh') };

export function crossLineKeywords(dialect: Dialect): ReadonlySet<string> {
  return CROSS_LINE[dialect];
}
