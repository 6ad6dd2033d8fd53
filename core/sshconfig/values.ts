// Argument checks for sshd_config / ssh_config keywords, reproducing the accept/reject decision
// of OpenSSH 9.2p1 (Debian 12 build) and its wording. Sources: servconf.c, readconf.c, misc.c
// (convtime, a2port, atoi_err, parse_ipqos, hpdelim2), addrmatch.c, fmt_scaled.c.
// Rule: only what `sshd -t` / `ssh -G` really rejects is reported; when in doubt, accept.
// Environment complaints (missing files, unknown users, unresolvable hosts) are never reported here.
//
// This module is the entry point (validateArgs); the checks live along OpenSSH's own files:
// misc.ts, addrmatch.ts (C-library ports), argChecks.ts (shared building blocks), sshdValues.ts
// (servconf.c), sshValues.ts (readconf.c), matchCheck.ts (match_cfg_line), assemble.ts (kex.c).

import type { Dialect, KeywordSpec, Token } from './types';
import { type ValueMemo, type ValueProblem, newValueMemo } from './argChecks';
import { sshValidators } from './sshValues';
import { sshdValidators } from './sshdValues';

export { newValueMemo, type ValueMemo, type ValueProblem } from './argChecks';
export { a2port, atoiErr, matchPattern, parseTime, PortNames, scanScaled, strtonum, type StrtonumError } from './misc';
export { addrListInvalid } from './addrmatch';
export { parseForwardSpec, proxyJumpValid } from './sshValues';
export { validateMatch } from './matchCheck';
export { ASSEMBLED_KEYWORDS, assembleProblem } from './assemble';
export {
  AUTH_METHOD_NAMES, CIPHER_NAMES, FINGERPRINT_HASH_NAMES, GSS_KEX_PREFIXES, IPQOS_NAMES, KEX_NAMES,
  KEY_TYPE_NAMES, LOG_LEVEL_NAMES, MAC_NAMES, SIG_NAMES, SYSLOG_FACILITY_NAMES,
} from './keywords/algorithms';

/** True when a validator name exists (the tables are checked against this in unit tests). */
export function hasValidator(dialect: Dialect, name: string): boolean {
  return name in (dialect === 'sshd' ? sshdValidators : sshValidators) || (dialect === 'ssh' && name in sshdValidators);
}

/**
 * Checks a keyword's arguments (comments already removed, quotes already stripped) the way
 * OpenSSH 9.2p1 does, returning its first complaint in its own words, or null when it accepts.
 * `typed` is the keyword as written in the file (OpenSSH echoes that spelling).
 * Deprecated / unsupported / ignored keywords consume any arguments: never a problem here
 * (their warning is the analysis layer's business). `Match` / `Host` lines are checked by
 * validateMatch / the analysis layer, not here.
 */
export function validateArgs(dialect: Dialect, spec: KeywordSpec, args: readonly Token[], typed?: string, memo: ValueMemo = newValueMemo()): ValueProblem | null {
  // readconf.c lowercases the keyword before any message; servconf.c echoes it as typed.
  const kw = dialect === 'ssh' ? (typed ?? spec.name).toLowerCase() : typed ?? spec.name;
  // Checked before the keyword is even looked up, so deprecated ones need an argument too.
  if (args.length === 0) return { message: `no argument after keyword "${kw}"`, tokenIndex: -1, code: 'missing-value' };
  if (spec.status !== 'active') return null;
  const used = spec.check({ dialect, spec, args, kw, ports: memo.ports });
  if (typeof used !== 'number') return used;
  if (used < args.length) {
    return { message: `keyword ${kw} extra arguments at end of line`, tokenIndex: used, code: 'extra-args' };
  }
  return null;
}
