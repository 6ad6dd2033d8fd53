// Building blocks of the keyword validators (servconf.c/readconf.c argument handling): the
// context a validator reads, the problem it returns, and the checks several keywords share.

import type { Dialect, KeywordSpec, Token, ValueSpec } from './types';
import { CIPHER_NAMES, GSS_KEX_PREFIXES, KEX_NAMES, KEY_TYPE_NAMES, MAC_NAMES } from './keywords/algorithms';
import { PortNames, atoiErr, parseTime, patternListTouches, scanScaled } from './misc';


export interface ValueProblem {
  message: string;
  /** Index into the args; -1 = the whole line. */
  tokenIndex: number;
  code: 'bad-value' | 'out-of-range' | 'missing-value' | 'extra-args';
}

export interface Ctx {
  dialect: Dialect;
  spec: KeywordSpec;
  args: readonly Token[];
  /** The keyword as typed: OpenSSH echoes the user's spelling in many messages. */
  kw: string;
  ports: PortNames;
}
/** Returns a problem, or the number of args consumed (the rest is "extra arguments"). */
export type Validator = (c: Ctx) => ValueProblem | number;

export const bad = (message: string, tokenIndex: number, code: ValueProblem['code'] = 'bad-value'): ValueProblem =>
  ({ message, tokenIndex, code });
export const missing = (message: string, tokenIndex = 0): ValueProblem => ({ message, tokenIndex, code: 'missing-value' });

/** One required argument, any text; OpenSSH's "missing" wording varies per keyword. */
export function oneArg(missingMsg: (kw: string) => string, check?: (t: string, c: Ctx) => ValueProblem | null): Validator {
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(missingMsg(c.kw));
    const p = check?.(t, c) ?? null;
    return p ?? 1;
  };
}

/** RekeyLimit (both dialects): a scaled byte count (0 or >= 16, or "default"), then an optional time or "none". */
export function rekeyLimit(c: Ctx, missingMsg: string, badNumber: string, tooSmall: string): ValueProblem | number {
  const t = c.args[0]!.text;
  if (t === '') return missing(missingMsg);
  if (t !== 'default') {
    const r = scanScaled(t);
    if ('error' in r) return bad(`${badNumber} '${t}': ${r.error}`, 0);
    if (r.value !== 0 && r.value < 16) return bad(tooSmall, 0, 'out-of-range');
  }
  if (c.args.length < 2) return 1;
  const t2 = c.args[1]!.text;
  if (t2 === 'none') return 2;
  if (t2 === '') return missing('missing time value.', 1);
  if (parseTime(t2) === null) return bad('invalid time value.', 1);
  return 2;
}

export function multistate(values: readonly string[], caseSensitive = false): Validator {
  const lowered = caseSensitive ? values : values.map((v) => v.toLowerCase());
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing argument.');
    const ok = lowered.includes(caseSensitive ? t : t.toLowerCase());
    if (!ok) return bad(`unsupported option "${t}".`, 0);
    return 1;
  };
}

export const timeArg: Validator = (c) => {
  const t = c.args[0]!.text;
  if (t === '') return missing('missing time value.');
  if (parseTime(t) === null) return bad('invalid time value.', 0);
  return 1;
};

export function intArg(min: number, max: number): Validator {
  return (c) => {
    const t = c.args[0]!.text;
    const r = atoiErr(t);
    const prefix = c.dialect === 'sshd' ? `${c.kw} integer value` : 'integer value';
    if ('error' in r) {
      const code = r.error === 'missing' ? 'missing-value' : r.error === 'invalid' ? 'bad-value' : 'out-of-range';
      return bad(`${prefix} ${r.error}.`, 0, code);
    }
    // OpenSSH itself only enforces 0..INT_MAX; a table may narrow it (none does today).
    if (r.value < min) return bad(`${prefix} too small.`, 0, 'out-of-range');
    if (r.value > max) return bad(`${prefix} too large.`, 0, 'out-of-range');
    return 1;
  };
}

/** Comma list checked element by element up to the first empty element (strsep loop in OpenSSH). */
export function listUntilEmpty(list: string, ok: (name: string) => boolean): boolean {
  if (list === '') return false;
  for (const p of list.split(',')) {
    if (p === '') return true;
    if (!ok(p)) return false;
  }
  return true;
}

export function algoList(missingMsg: (c: Ctx) => string, badMsg: (arg: string, c: Ctx) => string, ok: (name: string) => boolean): Validator {
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(missingMsg(c));
    if (t.startsWith('-')) return 1;
    const body = t.startsWith('+') || t.startsWith('^') ? t.slice(1) : t;
    if (!listUntilEmpty(body, ok)) return bad(badMsg(t, c), 0);
    return 1;
  };
}

export const cipherOk = (n: string) => CIPHER_NAMES.includes(n);
export const macOk = (n: string) => MAC_NAMES.includes(n);
export const kexOk = (n: string) => KEX_NAMES.includes(n) || GSS_KEX_PREFIXES.some((p) => n.startsWith(p));
export const keyTypeOk = (n: string) => KEY_TYPE_NAMES.includes(n) || KEY_TYPE_NAMES.some((k) => patternListTouches(k, n));

/** servconf.c valid_rdomain: this Linux build has neither sys_valid_rdomain nor OpenBSD
 *  rtables, so every name is refused ("Routing domains are not supported on this platform"). */
export function validRdomain(_name: string): boolean {
  return false;
}

/**
 * Per analysis: the service names a2port consults (read once, so an edited /etc/services is seen
 * by the next analysis). A caller without one gets a fresh one per call.
 */
export interface ValueMemo {
  readonly ports: PortNames;
}

export function newValueMemo(): ValueMemo {
  return { ports: new PortNames() };
}

