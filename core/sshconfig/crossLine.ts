// Which keywords make one line's diagnostics depend on other lines, so that a consumer that
// re-analyses a single line (the language server's incremental path) knows when it must not.
// Derived from where the reading happens: the keyword table (lastWins), the post-parse modules
// (each exports the keywords it reads beside its code: sshdMain.ts, sshMain.ts, assemble.ts,
// refusals/index.ts) and
// the walk's own structure and evaluated values below. A new cross-line check exports its list
// the same way and adds it here.
import type { Dialect } from './types';
import { keywordsFor } from './keywords/index';
import { ASSEMBLED_KEYWORDS } from './assemble';
import { SSHD_MAIN_READS } from './sshdMain';
import { SSH_MAIN_READS } from './sshMain';
import { refusalLineKeywords, refusalPostParseKeywords } from './refusals/index';

/** Values the walk evaluates while deciding which Match/Host blocks apply and the keepalive report. */
export const EVAL_KEYWORDS: ReadonlySet<string> = new Set([
  'clientaliveinterval', 'clientalivecountmax', 'serveraliveinterval', 'serveralivecountmax', 'tcpkeepalive', 'user', 'hostname',
]);

const STRUCTURE: Record<Dialect, readonly string[]> = {
  sshd: ['match', 'include'],
  ssh: ['match', 'host', 'include', 'ignoreunknown'],
};

const POST_PARSE: Record<Dialect, ReadonlySet<string>> = {
  sshd: new Set([...ASSEMBLED_KEYWORDS, ...SSHD_MAIN_READS, ...refusalPostParseKeywords('sshd')]),
  ssh: new Set([...ASSEMBLED_KEYWORDS, ...SSH_MAIN_READS, ...refusalPostParseKeywords('ssh')]),
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
