// C-library ports shared by both dialects' checks: misc.c (strtonum/atoi_err, convtime, a2port,
// hpdelim, cleanhostname), fmt_scaled.c scan_scaled and match.c match_pattern, with OpenSSH's limits.

import { readFileSync } from 'node:fs';

/** C's INT_MAX: OpenSSH's limit for most numbers. */
export const INT_MAX = 2147483647;

/** C strtol prefix for base 10/8/0: returns the parsed number and how many chars were used (0 = none). */
export function strtolPrefix(s: string, base: 8 | 10 | 0): { value: number; used: number } {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') { neg = s[i] === '-'; i++; }
  let b: number = base;
  if (b === 0) {
    if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) { b = 16; i += 2; }
    else if (s[i] === '0') b = 8;
    else b = 10;
  }
  const digits = b === 16 ? /[0-9a-fA-F]/ : b === 8 ? /[0-7]/ : /[0-9]/;
  const start = i;
  let v = 0;
  while (i < s.length && digits.test(s[i]!)) { v = v * b + parseInt(s[i]!, b); i++; }
  if (i === start) return { value: 0, used: 0 };
  return { value: neg ? -v : v, used: i };
}

export type StrtonumError = 'invalid' | 'too small' | 'too large';

/** OpenBSD strtonum(3): whole string, base 10. */
export function strtonum(s: string, min: number, max: number): { value: number } | { error: StrtonumError } {
  const r = strtolPrefix(s, 10);
  if (r.used === 0 || r.used !== s.length) return { error: 'invalid' };
  if (r.value < min) return { error: 'too small' };
  if (r.value > max) return { error: 'too large' };
  return { value: r.value };
}

/** misc.c atoi_err: 0..INT_MAX, or OpenSSH's error word ("missing", "invalid", "too small", "too large"). */
export function atoiErr(s: string): { value: number } | { error: StrtonumError | 'missing' } {
  if (s === '') return { error: 'missing' };
  return strtonum(s, 0, INT_MAX);
}

/** misc.c convtime: "90", "1m30s", "1h", "2w" … → seconds; null when OpenSSH says "invalid time value". */
export function parseTime(text: string): number | null {
  if (text === '') return null;
  const mult: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  let p = text;
  while (p.length > 0) {
    const r = strtolPrefix(p, 10);
    if (r.used === 0 || r.value < 0) return null;
    const unit = p[r.used];
    let m = 1;
    let next = r.used;
    if (unit !== undefined) {
      const u = mult[unit.toLowerCase()];
      if (u === undefined) return null;
      m = u;
      next++;
    }
    if (r.value > Math.floor(INT_MAX / m)) return null;
    const secs = r.value * m;
    if (total > INT_MAX - secs) return null;
    total += secs;
    p = p.slice(next);
  }
  return total;
}

/**
 * tcp service names from /etc/services (a2port falls back to getservbyname), read at most once
 * per instance: one per analysis (ValueMemo), so an edited /etc/services is seen next time.
 */
export class PortNames {
  private names: Set<string> | null | undefined;

  /** null when /etc/services cannot be read. */
  tcp(): Set<string> | null {
    if (this.names === undefined) this.names = readTcpServices();
    return this.names;
  }
}

function readTcpServices(): Set<string> | null {
  try {
    const set = new Set<string>();
    for (const line of readFileSync('/etc/services', 'utf8').split('\n')) {
      const body = line.replace(/#.*/, '').trim();
      if (!body) continue;
      const [name, portProto, ...aliases] = body.split(/\s+/);
      if (!name || !portProto?.endsWith('/tcp')) continue;
      set.add(name);
      for (const a of aliases) set.add(a);
    }
    return set;
  } catch {
    return null;
  }
}

/** misc.c a2port: 0..65535 or a tcp service name; -1 when invalid. Unknown names are given the
 *  benefit of the doubt (returns 1) when /etc/services cannot be read. */
export function a2port(s: string, ports: PortNames = new PortNames()): number {
  const r = strtonum(s, 0, 65535);
  if ('value' in r) return r.value;
  const svc = ports.tcp();
  if (svc === null) return /^[A-Za-z][A-Za-z0-9._+-]*$/.test(s) ? 1 : -1;
  return svc.has(s) ? 1 : -1;
}

/** fmt_scaled.c scan_scaled: "1G", "512M", "1.5K" …; returns bytes or the strerror text. */
export function scanScaled(s: string): { value: number } | { error: 'Invalid argument' | 'Numerical result out of range' } {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i]!)) i++;
  let sign = 0;
  while (s[i] === '-' || s[i] === '+') {
    if (sign) return { error: 'Invalid argument' };
    sign = s[i] === '-' ? -1 : 1;
    i++;
  }
  let whole = 0n;
  let ndigits = 0;
  let frac = '';
  let seenDot = false;
  for (; i < s.length && /[0-9.]/.test(s[i]!); i++) {
    if (s[i] === '.') {
      if (seenDot) return { error: 'Invalid argument' };
      seenDot = true;
      continue;
    }
    if (seenDot) { frac += s[i]; continue; }
    if (++ndigits >= 21) return { error: 'Numerical result out of range' };
    whole = whole * 10n + BigInt(s[i]!);
  }
  const LLMAX = 9223372036854775807n;
  if (whole > LLMAX) return { error: 'Numerical result out of range' };
  if (sign < 0) whole = -whole;
  if (i === s.length) return { value: Number(whole) };
  const scales = 'BKMGTPE';
  const idx = scales.indexOf(s[i]!.toUpperCase());
  if (idx < 0 || /[A-Za-z0-9]/.test(s[i + 1] ?? '')) return { error: 'Invalid argument' };
  const fact = 1024n ** BigInt(idx);
  if (whole > LLMAX / fact || whole < -LLMAX / fact) return { error: 'Numerical result out of range' };
  const fracPart = frac ? Number('0.' + frac) * Number(fact) : 0;
  return { value: Number(whole * fact) + (sign < 0 ? -fracPart : fracPart) };
}

/** OpenSSH match_pattern: shell-style `*` and `?`, case-sensitive. */
export function matchPattern(s: string, pattern: string): boolean {
  let re = '^';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  return new RegExp(re + '$', 's').test(s);
}

/** match_pattern_list for one name: != 0 when any (possibly negated) entry matches. */
export function patternListTouches(name: string, list: string): boolean {
  return list.split(',').some((p) => matchPattern(name, p.startsWith('!') ? p.slice(1) : p));
}


export function hpdelim(s: string): { host: string; rest: string | null } | null {
  let i: number;
  if (s.startsWith('[')) {
    const j = s.indexOf(']');
    if (j < 0) return null;
    i = j + 1;
  } else {
    const m = s.search(/[:/]/);
    i = m < 0 ? s.length : m;
  }
  if (i >= s.length) return { host: cleanhost(s), rest: null };
  if (s[i] === ':') return { host: cleanhost(s.slice(0, i)), rest: s.slice(i + 1) };
  return null; // '/' or junk after ']'
}
export function cleanhost(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}
