// misc.c vdollar_percent_expand(): the %-tokens and ${VAR} references ssh.c main() expands in
// the effective options before `ssh -G` prints them. A token outside the list, a lone trailing
// '%', an unclosed or empty ${} is fatal. Whether ${VAR} is set is the environment's business,
// not the file's, so it is never a refusal here.

/** Tokens of DEFAULT_CLIENT_PERCENT_EXPAND_ARGS (sshconnect.h). */
export const CLIENT_TOKENS = 'CLiklnpdhru';

/** The reason vdollar_percent_expand() fails on `s`, or null; `tokens` null: no %-expansion (dollar_expand). */
export function expandProblem(s: string, tokens: string | null, dollar: boolean): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (dollar && c === '$' && s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end < 0) return `environment variable '${s.slice(i + 2)}' missing closing '}'`;
      if (end === i + 2) return 'zero-length environment variable';
      i = end;
      continue;
    }
    if (c !== '%' || tokens === null) continue;
    const k = s[++i];
    if (k === '%') continue;
    if (k === undefined) return 'invalid format';
    if (!tokens.includes(k)) return `unknown key %${k}`;
  }
  return null;
}
