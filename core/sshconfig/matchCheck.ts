// match_cfg_line() of servconf.c (sshd) and readconf.c (ssh): whether a Match line's criteria
// parse, in OpenSSH's words (whether they match a connection is matchEval.ts).

import type { Dialect, MatchCriterionSpec, Token } from './types';
import { SSHD_MATCH_CRITERIA, SSH_MATCH_CRITERIA } from './keywords/matchCriteria';
import { addrListInvalid } from './addrmatch';
import { type Validator, type ValueMemo, type ValueProblem, bad, missing, newValueMemo } from './argChecks';
import { a2port } from './misc';


/** ssh Match (readconf.c match_cfg_line): one step from args[i]; returns the last index used. */
function sshMatchStep(args: readonly Token[], i: number, attributes: number, spec: MatchCriterionSpec | undefined): ValueProblem | number {
  const oattrib = args[i]!.text;
  const attrib = oattrib.startsWith('!') ? oattrib.slice(1) : oattrib;
  const lc = attrib.toLowerCase();
  if (lc === 'all') {
    // `all` is not counted; it may follow at most one no-argument criterion (canonical/final).
    if (attributes - 1 > 1 || (i + 1 < args.length && args[i + 1]!.text !== '')) {
      return bad(`'${oattrib}' cannot be combined with other Match attributes`, i);
    }
    return args.length;
  }
  if (spec?.arg === 'none') return i;
  const arg = args[i + 1];
  if (!arg || arg.text === '') return missing(`Missing Match criteria for ${attrib}`, i);
  if (!spec) return bad(`Unsupported Match attribute ${attrib}`, i);
  return i + 1;
}


function criteriaByName(list: readonly MatchCriterionSpec[]): ReadonlyMap<string, MatchCriterionSpec> {
  const m = new Map<string, MatchCriterionSpec>();
  // First entry wins, as Array.find did.
  for (const k of list) if (!m.has(k.name.toLowerCase())) m.set(k.name.toLowerCase(), k);
  return m;
}
const CRITERIA: Record<Dialect, ReadonlyMap<string, MatchCriterionSpec>> = {
  sshd: criteriaByName(SSHD_MATCH_CRITERIA), ssh: criteriaByName(SSH_MATCH_CRITERIA),
};

/**
 * Checks the arguments of a `Match` line (sshd) the way match_cfg_line() does, returning
 * OpenSSH's message. For sshd the line is then also reported by sshd as "Bad Match condition".
 */
export function validateMatch(dialect: Dialect, args: readonly Token[], memo: ValueMemo = newValueMemo()): ValueProblem | null {
  if (args.length === 0) {
    return { message: `no argument after keyword "${dialect === 'ssh' ? 'match' : 'Match'}"`, tokenIndex: -1, code: 'missing-value' };
  }
  const criteria = CRITERIA[dialect];
  let attributes = 0;
  for (let i = 0; i < args.length; i++) {
    const attrib = args[i]!.text;
    if (attrib === '') break;
    attributes++;
    // ssh criteria may be negated with '!'; sshd's may not.
    const bare = dialect === 'ssh' && attrib.startsWith('!') ? attrib.slice(1) : attrib;
    const bareLower = bare.toLowerCase();
    const spec = criteria.get(bareLower);
    if (dialect === 'sshd') {
      // sshd: bare is attrib (no '!' form), so its lower case is attrib's.
      const lc = bareLower;
      if (lc === 'all') {
        if (attributes > 1 || (i + 1 < args.length && args[i + 1]!.text !== '')) {
          return bad("'all' cannot be combined with other Match attributes", i);
        }
        return null;
      }
      const arg = args[i + 1];
      if (!arg || arg.text === '') return missing(`Missing Match criteria for ${attrib}`, i);
      if (!spec) return bad(`Unsupported Match attribute ${attrib}`, i);
      i++;
      if ((lc === 'address' || lc === 'localaddress') && addrListInvalid(arg.text)) {
        return bad(`Invalid Match ${lc === 'address' ? 'address' : 'localaddress'} argument '${arg.text}'`, i);
      }
      if (lc === 'localport' && a2port(arg.text, memo.ports) === -1) return bad(`Invalid LocalPort '${arg.text}' on Match line`, i);
      continue;
    }
    const p = sshMatchStep(args, i, attributes, spec);
    if (typeof p !== 'number') return p;
    i = p;
  }
  if (attributes === 0) return bad('One or more attributes required for Match', -1);
  return null;
}

/** The Match row's handler in the keyword tables: match_cfg_line's verdict as a validator
 *  (a Match line consumes all its words, so there is never an "extra arguments" left). */
export const matchLine: Validator = (c) => validateMatch(c.dialect, c.args, { ports: c.ports }) ?? c.args.length;
