// Algorithm-list assembly (kex.c kex_assemble_names), done once on the value that wins.

import type { Dialect, KeywordSpec, Token } from './types';
import type { AddDiagnostic, FirstValues } from './diag';
import { lookupKeyword } from './keywords/index';
import { CIPHER_NAMES, KEX_NAMES, KEY_TYPE_NAMES, MAC_NAMES, SIG_NAMES } from './keywords/algorithms';
import { type ValueProblem, bad } from './argChecks';
import { matchPattern } from './misc';

const ASSEMBLED: Record<string, { field: string; all: readonly string[] }> = {
  ciphers: { field: 'ciphers', all: CIPHER_NAMES },
  macs: { field: 'macs', all: MAC_NAMES },
  kexalgorithms: { field: 'kex_algorithms', all: KEX_NAMES },
  hostkeyalgorithms: { field: 'hostkeyalgorithms', all: KEY_TYPE_NAMES },
  hostbasedacceptedalgorithms: { field: 'hostbased_accepted_algos', all: KEY_TYPE_NAMES },
  pubkeyacceptedalgorithms: { field: 'pubkey_accepted_algos', all: KEY_TYPE_NAMES },
  casignaturealgorithms: { field: 'ca_sign_algorithms', all: SIG_NAMES },
};

/** Keywords whose winning value assembleProblem checks (canonical, lower case). */
export const ASSEMBLED_KEYWORDS: readonly string[] = Object.keys(ASSEMBLED);

/**
 * The check OpenSSH applies after parsing to the *effective* (first) value of an algorithm
 * list: a `!name` entry, or an explicit list naming nothing this build supports (e.g.
 * `KexAlgorithms gss-gex-sha1-…`, `CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com`),
 * is refused as "invalid argument". sshd -t fails (fatal, no line number); ssh -G only fails
 * for HostKeyAlgorithms but a real ssh connection refuses them all. Call it only for the line
 * whose value wins, after validateArgs accepted it. Returns null for other keywords.
 */
export function assembleProblem(dialect: Dialect, spec: KeywordSpec, args: readonly Token[]): ValueProblem | null {
  const a = ASSEMBLED[spec.name.toLowerCase()];
  const t = args[0]?.text;
  if (!a || t === undefined || t === '' || t.startsWith('-')) return null;
  const prefixed = t.startsWith('+') || t.startsWith('^');
  const entries = (prefixed ? t.slice(1) : t).split(',');
  const where = dialect === 'sshd' ? 'assemble_algorithms' : 'fill_default_options';
  const problem: ValueProblem = { message: `${where}: ${a.field}: invalid argument`, tokenIndex: 0, code: 'bad-value' };
  if (entries.some((e) => e.startsWith('!'))) return problem;
  if (prefixed) return null; // the defaults are added, so the result is never empty
  return entries.some((e) => a.all.some((n) => matchPattern(n, e))) ? null : problem;
}

/**
 * Algorithm lists whose effective value names nothing usable (or a `!name`): sshd refuses to
 * start; `ssh -G` refuses only HostKeyAlgorithms, a real connection refuses them all.
 * Returns true when the file is refused here.
 */
export function assembleChecks(dialect: Dialect, first: FirstValues, add: AddDiagnostic): boolean {
  let refused = false;
  for (const [key, e] of first) {
    const spec = lookupKeyword(dialect, key);
    if (!spec) continue;
    let p: ReturnType<typeof assembleProblem>;
    try {
      p = assembleProblem(dialect, spec, e.value);
    } catch {
      p = null;
    }
    if (!p) continue;
    const t = e.value[Math.max(0, p.tokenIndex)];
    const fatal = dialect === 'sshd' || key === 'hostkeyalgorithms';
    add(e.loc.file, e.loc.line, t?.start ?? 0, t?.end ?? 0, fatal ? 'error' : 'warning', 'bad-value',
      fatal ? `${spec.name}: ${p.message}` : `${spec.name}: ${p.message}: ssh -G accepts it, but every connection using this value fails`);
    if (fatal) refused = true;
  }
  return refused;
}
