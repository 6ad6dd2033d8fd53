// Argument checks for sshd_config / ssh_config keywords, reproducing the accept/reject decision
// of OpenSSH 9.2p1 (Debian 12 build) and its wording. Sources: servconf.c, readconf.c, misc.c
// (convtime, a2port, atoi_err, parse_ipqos, hpdelim2), addrmatch.c, fmt_scaled.c.
// Rule: only what `sshd -t` / `ssh -G` really rejects is reported; when in doubt, accept.
// Environment complaints (missing files, unknown users, unresolvable hosts) are never reported here.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Dialect, KeywordSpec, MatchCriterionSpec, Token, ValueSpec } from './types';
import {
  AUTH_METHOD_NAMES, CIPHER_NAMES, FINGERPRINT_HASH_NAMES, GSS_KEX_PREFIXES, IPQOS_NAMES, KEX_NAMES,
  KEY_TYPE_NAMES, LOG_LEVEL_NAMES, MAC_NAMES, SIG_NAMES, SSHD_MATCH_CRITERIA, SYSLOG_FACILITY_NAMES,
} from './keywords/sshd';
export {
  AUTH_METHOD_NAMES, CIPHER_NAMES, FINGERPRINT_HASH_NAMES, GSS_KEX_PREFIXES, IPQOS_NAMES, KEX_NAMES,
  KEY_TYPE_NAMES, LOG_LEVEL_NAMES, MAC_NAMES, SIG_NAMES, SYSLOG_FACILITY_NAMES,
};
import { SSH_MATCH_CRITERIA } from './keywords/ssh';
import { dottedQuad } from './patterns';

export interface ValueProblem {
  message: string;
  /** Index into the args; -1 = the whole line. */
  tokenIndex: number;
  code: 'bad-value' | 'out-of-range' | 'missing-value' | 'extra-args';
}

// ---------------------------------------------------------------------------------------------
// Name lists (algorithms, log levels …) live beside the sshd table; re-exported here.

const INT_MAX = 2147483647;

// ---------------------------------------------------------------------------------------------
// Number parsing as OpenSSH does it.

/** C strtol prefix for base 10/8/0: returns the parsed number and how many chars were used (0 = none). */
function strtolPrefix(s: string, base: 8 | 10 | 0): { value: number; used: number } {
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
function patternListTouches(name: string, list: string): boolean {
  return list.split(',').some((p) => matchPattern(name, p.startsWith('!') ? p.slice(1) : p));
}

function ipv4Bytes(a: string): number[] | null {
  const v = dottedQuad(a);
  return v === null ? null : [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

function allDigits(s: string, from = 0, to = s.length): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * cidrCheck on list.slice(from, to) for the common entry, an IPv4 address with an optional
 * mask, read in place; anything else (IPv6, wildcards) goes to cidrCheck.
 */
function cidrCheckIn(list: string, from: number, to: number): 0 | -1 | -2 {
  if (to - from >= 64) return -1;
  let slash = list.indexOf('/', from);
  if (slash < 0 || slash >= to) slash = -1;
  const v4 = dottedQuad(list, from, slash < 0 ? to : slash);
  if (v4 === null) return cidrCheck(list.slice(from, to));
  if (slash < 0) return 0;
  if (!allDigits(list, slash + 1, to)) return -1;
  const mask = Number(list.slice(slash + 1, to));
  if (mask > 128) return -1;
  return hostBitsV4(v4, mask);
}

/** -2 when the mask is too long for IPv4 or host bits below it are set (addr_pton_cidr). */
function hostBitsV4(v4: number, mask: number): 0 | -2 {
  if (mask > 32) return -2;
  return mask < 32 && (v4 % 2 ** (32 - mask)) !== 0 ? -2 : 0;
}

/** addr_pton_cidr: 0 ok, -1 not an address (used as a wildcard), -2 inconsistent mask. */
function cidrCheck(entry: string): 0 | -1 | -2 {
  if (entry.length >= 64) return -1;
  const slash = entry.indexOf('/');
  let addr = entry;
  let mask: number | null = null;
  if (slash >= 0) {
    addr = entry.slice(0, slash);
    const m = entry.slice(slash + 1);
    if (!allDigits(m)) return -1;
    mask = Number(m);
    if (mask > 128) return -1;
  }
  const v4 = dottedQuad(addr);
  if (v4 !== null) return mask === null ? 0 : hostBitsV4(v4, mask);
  const fam = isIP(addr);
  // Forms Node does not parse (inet_aton shorthand, scope ids) are left alone: accept.
  if (fam === 0) return -1;
  const bits = fam === 4 ? 32 : 128;
  if (mask === null) return 0;
  if (mask > bits) return -2;
  // Host bits must be zero.
  let bytes: number[];
  if (fam === 4) bytes = ipv4Bytes(addr)!;
  else {
    const b = ipv6Bytes(addr);
    if (!b) return -1;
    bytes = b;
  }
  for (let bit = mask; bit < bits; bit++) {
    if ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) return -2;
  }
  return 0;
}

function ipv6Bytes(a: string): number[] | null {
  let s = a;
  let tail: number[] = [];
  const v4 = s.match(/:(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const b = ipv4Bytes(v4[1]!);
    if (!b) return null;
    tail = b;
    s = s.slice(0, s.length - v4[1]!.length) + '0:0';
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest ? rest.split(':') : [];
  const fill = 8 - h.length - r.length;
  const groups = rest !== undefined ? [...h, ...Array(fill).fill('0'), ...r] : h;
  if (groups.length !== 8) return null;
  const out: number[] = [];
  for (const g of groups) { const n = parseInt(g, 16); out.push(n >> 8, n & 255); }
  if (tail.length) out.splice(12, 4, ...tail);
  return out;
}

/** addrmatch.c addr_match_list(NULL, list) < 0: empty entries or a CIDR with bad mask/host bits. */
export function addrListInvalid(list: string): boolean {
  for (let from = 0; ; ) {
    let to = list.indexOf(',', from);
    if (to < 0) to = list.length;
    const start = from < to && list.charCodeAt(from) === 33 /* ! */ ? from + 1 : from;
    if (start === to) return true; // empty entry
    if (cidrCheckIn(list, start, to) === -2) return true;
    if (to >= list.length) return false;
    from = to + 1;
  }
}

/** misc.c hpdelim (colon only): splits "host:port" / "[v6]:port". null = bad syntax. */
function hpdelim(s: string): { host: string; rest: string | null } | null {
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
function cleanhost(h: string): string {
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

// ---------------------------------------------------------------------------------------------
// Validators.

interface Ctx {
  dialect: Dialect;
  spec: KeywordSpec;
  args: readonly Token[];
  /** The keyword as typed: OpenSSH echoes the user's spelling in many messages. */
  kw: string;
  ports: PortNames;
}
/** Returns a problem, or the number of args consumed (the rest is "extra arguments"). */
type Validator = (c: Ctx) => ValueProblem | number;

const bad = (message: string, tokenIndex: number, code: ValueProblem['code'] = 'bad-value'): ValueProblem =>
  ({ message, tokenIndex, code });
const missing = (message: string, tokenIndex = 0): ValueProblem => ({ message, tokenIndex, code: 'missing-value' });

/** One required argument, any text; OpenSSH's "missing" wording varies per keyword. */
function oneArg(missingMsg: (kw: string) => string, check?: (t: string, c: Ctx) => ValueProblem | null): Validator {
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(missingMsg(c.kw));
    const p = check?.(t, c) ?? null;
    return p ?? 1;
  };
}

/** RekeyLimit (both dialects): a scaled byte count (0 or >= 16, or "default"), then an optional time or "none". */
function rekeyLimit(c: Ctx, missingMsg: string, badNumber: string, tooSmall: string): ValueProblem | number {
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

function multistate(values: readonly string[], caseSensitive = false): Validator {
  const lowered = caseSensitive ? values : values.map((v) => v.toLowerCase());
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing argument.');
    const ok = lowered.includes(caseSensitive ? t : t.toLowerCase());
    if (!ok) return bad(`unsupported option "${t}".`, 0);
    return 1;
  };
}

const timeArg: Validator = (c) => {
  const t = c.args[0]!.text;
  if (t === '') return missing('missing time value.');
  if (parseTime(t) === null) return bad('invalid time value.', 0);
  return 1;
};

function intArg(min: number, max: number): Validator {
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
function listUntilEmpty(list: string, ok: (name: string) => boolean): boolean {
  if (list === '') return false;
  for (const p of list.split(',')) {
    if (p === '') return true;
    if (!ok(p)) return false;
  }
  return true;
}

function algoList(missingMsg: (c: Ctx) => string, badMsg: (arg: string, c: Ctx) => string, ok: (name: string) => boolean): Validator {
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(missingMsg(c));
    if (t.startsWith('-')) return 1;
    const body = t.startsWith('+') || t.startsWith('^') ? t.slice(1) : t;
    if (!listUntilEmpty(body, ok)) return bad(badMsg(t, c), 0);
    return 1;
  };
}

const cipherOk = (n: string) => CIPHER_NAMES.includes(n);
const macOk = (n: string) => MAC_NAMES.includes(n);
const kexOk = (n: string) => KEX_NAMES.includes(n) || GSS_KEX_PREFIXES.some((p) => n.startsWith(p));
const keyTypeOk = (n: string) => KEY_TYPE_NAMES.includes(n) || KEY_TYPE_NAMES.some((k) => patternListTouches(k, n));

/** servconf.c valid_rdomain: this Linux build has neither sys_valid_rdomain nor OpenBSD
 *  rtables, so every name is refused ("Routing domains are not supported on this platform"). */
function validRdomain(_name: string): boolean {
  return false;
}

const sshdValidators: Record<string, Validator> = {
  port: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing port number.');
    if (a2port(t, c.ports) <= 0) return bad('Badly formatted port number.', 0);
    return 1;
  },
  filename: oneArg(() => 'missing file name.'),
  socket: oneArg(() => 'missing socket name.'),
  arg: oneArg((kw) => `${kw} missing argument.`),
  localuser: oneArg((kw) => `missing ${kw} argument.`),
  loglevel: (c) => {
    const t = c.args[0]!.text;
    if (!LOG_LEVEL_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`unsupported log level '${t}'`, 0);
    return 1;
  },
  facility: (c) => {
    const t = c.args[0]!.text;
    if (!SYSLOG_FACILITY_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`unsupported log facility '${t}'`, 0);
    return 1;
  },
  logverbose: noneAloneList((t) => t !== ''),
  keytypes: algoList(() => 'Missing argument.', (a) => `Bad key types '${a}'.`, keyTypeOk),
  ciphers: algoList((c) => `${c.kw} missing argument.`, (a) => `Bad SSH2 cipher spec '${a}'.`, cipherOk),
  macs: algoList((c) => `${c.kw} missing argument.`, (a) => `Bad SSH2 mac spec '${a}'.`, macOk),
  kex: algoList((c) => `${c.kw} missing argument.`, (a) => `Bad SSH2 KexAlgorithms '${a}'.`, kexOk),
  gsskex: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (!listUntilEmpty(t, (n) => GSS_KEX_PREFIXES.some((p) => n.startsWith(p)))) return bad(`Bad GSSAPI KexAlgorithms '${t}'.`, 0);
    return 1;
  },
  pubkeyauthoptions: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text.toLowerCase();
      if (t !== 'none' && t !== 'touch-required' && t !== 'verify-required') {
        return bad(`unsupported ${c.kw} option ${c.args[i]!.text}`, i);
      }
    }
    return c.args.length;
  },
  permituserenv: oneArg((kw) => `${kw} missing argument.`),
  // servconf.c prefixes its messages with the keyword as typed; readconf.c does not.
  rekeylimit: (c) => rekeyLimit(c, `${c.kw} missing argument.`, `Bad ${c.kw} number`, `${c.kw} too small`),
  listenaddress: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing address');
    const colon = t.indexOf(':');
    if (!(t.indexOf('[') < 0 && colon >= 0 && t.indexOf(':', colon + 1) >= 0)) {
      const hp = hpdelim(t);
      if (hp === null) return bad('bad address:port usage', 0);
      if (hp.rest !== null && a2port(hp.rest, c.ports) <= 0) return bad('bad port number', 0);
    }
    if (c.args.length === 1) return 1;
    if (c.args[1]!.text !== 'rdomain' || c.args.length < 3) return bad('bad ListenAddress syntax', 1);
    if (!validRdomain(c.args[2]!.text)) return bad('bad routing domain', 2);
    return 3;
  },
  userpatterns: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      const at = t.indexOf('@');
      if (t === '' || (at >= 0 && addrListInvalid(t.slice(at + 1)))) return bad(`invalid ${c.kw} pattern: "${t}"`, i);
    }
    return c.args.length;
  },
  grouppatterns: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`empty ${c.kw} pattern`, i) : c.args.length;
  },
  subsystem: (c) => {
    if (c.args[0]!.text === '') return missing(`${c.kw} missing argument.`);
    if (c.args.length < 2 || c.args[1]!.text === '') return missing('Missing subsystem command.', c.args.length < 2 ? -1 : 1);
    return c.args.length;
  },
  maxstartups: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    const v = scanfInts(t, 3);
    const invalid = bad(`Invalid ${c.kw} spec.`, 0);
    let begin: number, rate: number, max: number;
    if (v.length === 3) {
      [begin, rate, max] = v as [number, number, number];
      if (begin > max || rate > 100 || rate < 1) return invalid;
    } else if (v.length !== 1) return invalid;
    else { begin = v[0]!; max = begin; }
    if (max <= 0 || begin <= 0) return invalid;
    return 1;
  },
  persourcenetblocksize: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    const v = scanfInts(t, 2);
    let n = v.length;
    if (n === 2 && (v[1]! < 0 || v[1]! > 128)) n = -1;
    if ((n === 2 || n === 1) && (v[0]! < 0 || v[0]! > 32)) n = -1;
    if (n !== 1 && n !== 2) return bad(`Invalid ${c.kw} spec.`, 0);
    return 1;
  },
  persourcemaxstartups: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (t === 'none') return 1;
    const r = atoiErr(t);
    if ('error' in r) return bad(`${c.kw} integer value ${r.error}.`, 0, r.error === 'invalid' ? 'bad-value' : 'out-of-range');
    return 1;
  },
  authkeysfile: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`keyword ${c.kw} empty argument`, i, 'missing-value') : c.args.length;
  },
  acceptenv: (c) => {
    const i = c.args.findIndex((a) => a.text === '' || a.text.includes('='));
    return i >= 0 ? bad('Invalid environment name.', i) : c.args.length;
  },
  setenv: (c) => {
    const i = c.args.findIndex((a) => a.text === '' || !a.text.includes('='));
    return i >= 0 ? bad('Invalid environment.', i) : c.args.length;
  },
  permittunnel: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (!['yes', 'point-to-point', 'ethernet', 'no'].includes(t)) return bad(`bad ${c.kw} argument ${t}`, 0);
    return 1;
  },
  include: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`keyword ${c.kw} empty argument`, i, 'missing-value') : c.args.length;
  },
  permitopen: permitOpenLike(false),
  permitlisten: permitOpenLike(true),
  restofline: (c) => c.args.length,
  versionaddendum: (c) => {
    const i = c.args.findIndex((a) => a.text.includes('\r'));
    return i >= 0 ? bad(`Invalid ${c.kw} argument`, i) : c.args.length;
  },
  abscommand: (c) => {
    const first = c.args[0]!;
    const isNone = c.args.length === 1 && !first.quoted && first.text.toLowerCase() === 'none';
    if (!isNone && (first.quoted || !first.text.startsWith('/'))) return bad(`${c.kw} must be an absolute path`, 0);
    return c.args.length;
  },
  ipqos: ipqos((c, a) => `Bad ${c.kw} value: ${a}`, (c) => `${c.kw} missing argument.`),
  authmethods: (c) => {
    let sawAny = false;
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t === 'any') {
        if (i > 0) return bad(`"any" must appear alone in ${c.kw}`, i);
        sawAny = true;
      } else if (sawAny) return bad(`"any" must appear alone in ${c.kw}`, i);
      else if (!authMethodsValid(t)) return bad(`invalid ${c.kw} method list.`, i);
    }
    return c.args.length;
  },
  octalmask: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    const r = strtolPrefix(t, 8);
    if (r.used === 0 || r.value < 0 || r.value > 0o777) return bad(`Invalid ${c.kw}.`, 0);
    return 1;
  },
  fphash: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (!FINGERPRINT_HASH_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`Invalid ${c.kw} algorithm "${t}".`, 0);
    return 1;
  },
  rdomain: () => bad('setting RDomain not supported on this platform.', -1),
  channeltimeout: noneAloneList((t) => {
    const eq = t.indexOf('=');
    return eq > 0 && parseTime(t.slice(eq + 1)) !== null;
  }, (t) => `invalid channel timeout ${t}`, true),
  timeornone: (c) => (c.args[0]!.text.toLowerCase() === 'none' ? 1 : timeArg(c)),
};

/** "none" must be alone (LogVerbose, ChannelTimeout …); each other element checked by `ok`.
 *  `onlyBefore`: servconf's ChannelTimeout loop never advances its counter, so 9.2p1 only
 *  refuses a "none" that has arguments after it ("session=5 none" passes). */
function noneAloneList(ok: (t: string) => boolean, badMsg?: (t: string) => string, onlyBefore = false): Validator {
  return (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t === '' && !badMsg) return bad(`keyword ${c.kw} empty argument`, i, 'missing-value');
      if (t.toLowerCase() === 'none') {
        const later = i < c.args.length - 1;
        if ((!onlyBefore && i > 0) || later) return bad(`keyword ${c.kw} "none" argument must appear alone.`, i);
        continue;
      }
      if (!ok(t)) return bad(badMsg ? badMsg(t) : `keyword ${c.kw} empty argument`, i);
    }
    return c.args.length;
  };
}

/** sscanf("%d:%d:%d") semantics: number of conversions; trailing junk is ignored. */
function scanfInts(s: string, max: number): number[] {
  const out: number[] = [];
  let rest = s;
  for (let k = 0; k < max; k++) {
    const r = strtolPrefix(rest, 10);
    if (r.used === 0) break;
    out.push(r.value);
    rest = rest.slice(r.used);
    if (k < max - 1) {
      if (!rest.startsWith(':')) break;
      rest = rest.slice(1);
    }
  }
  return out;
}

function authMethodsValid(list: string): boolean {
  if (list === '') return false;
  return list.split(',').every((m) => AUTH_METHOD_NAMES.includes(m.split(':')[0]!));
}

function parseIpqos(t: string): boolean {
  if (IPQOS_NAMES.some((n) => n === t.toLowerCase())) return true;
  const r = strtolPrefix(t, 0);
  return t !== '' && r.used === t.length && r.value >= 0 && r.value <= 255;
}

function ipqos(badMsg: (c: Ctx, arg: string) => string, missingMsg: (c: Ctx) => string): Validator {
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(missingMsg(c));
    if (!parseIpqos(t)) return bad(badMsg(c, t), 0);
    if (c.args.length < 2) return 1;
    if (!parseIpqos(c.args[1]!.text)) return bad(badMsg(c, c.args[1]!.text), 1);
    return 2;
  };
}

function permitOpenLike(listen: boolean): Validator {
  return (c) => {
    const first = c.args[0]!.text;
    if (first === '') return missing(`${c.kw} missing argument.`);
    if (first === 'any' || first === 'none') return 1;
    let i = 0;
    for (; i < c.args.length && c.args[i]!.text !== ''; i++) {
      const t = c.args[i]!.text;
      let port: string | null;
      if (listen && !t.includes(':')) port = t;
      else {
        const hp = hpdelim(t);
        if (hp === null) return bad(`${c.kw} missing host`, i);
        port = hp.rest;
      }
      if (port === null || (port !== '*' && a2port(port, c.ports) <= 0)) return bad(`${c.kw} bad port number`, i);
    }
    return i;
  };
}

// ---------------------------------------------------------------------------------------------
// ssh_config validators (readconf.c). `kw` is lower-case there: readconf lowercases the keyword
// before any message. Names not found here fall back to the sshd validators of the same name.

const sshString = oneArg(() => 'Missing argument.');

/** misc.c valid_domain (CanonicalDomains). Returns OpenSSH's errstr or null. */
function invalidDomain(name: string): string | null {
  const n = name.toLowerCase();
  if (n === '') return 'empty domain name';
  if (!/^[a-z0-9]/i.test(n)) return `domain name "${n}" starts with invalid character`;
  let last = '';
  for (const ch of n) {
    if (last === '.' && ch === '.') return `domain name "${n}" contains consecutive separators`;
    if (ch !== '.' && ch !== '-' && ch !== '_' && !/[a-z0-9]/.test(ch)) return `domain name "${n}" contains invalid characters`;
    last = ch;
  }
  return null;
}

/** readconf.c parse_fwd_field + parse_forward: number of fields, or 0 when invalid. */
export function parseForwardSpec(spec: string, dynamic: boolean, remote: boolean, ports: PortNames = new PortNames()): number {
  if (spec.includes('$')) return 1; // ${VAR} expansion depends on the environment: do not judge
  let cp: string | null = spec.replace(/^\s+/, '');
  const fields: Array<{ arg: string; isPath: boolean }> = [];
  for (let i = 0; i < 4 && cp !== null; i++) {
    if (cp === '') { cp = null; break; }
    if (cp.startsWith('[')) {
      const close = cp.indexOf(']');
      if (close < 0) break;
      const after = cp[close + 1];
      if (after !== ':' && after !== undefined) break;
      const inner = cp.slice(1, close);
      fields.push({ arg: inner, isPath: inner.includes('/') });
      cp = cp.slice(close + (after === ':' ? 2 : 1));
      continue;
    }
    let arg = '';
    let isPath = false;
    let j = 0;
    let failed = false;
    let ended = false;
    while (j < cp.length) {
      const ch = cp[j]!;
      if (ch === '\\') {
        if (j + 1 >= cp.length) { failed = true; break; }
        const nx = cp[j + 1]!;
        // After the memmove the escaped char is re-examined by the switch on the next turn.
        if (nx === '/') isPath = true;
        if (nx === ':') { j += 2; arg += ''; cp = cp.slice(j); ended = true; break; }
        arg += nx === '\\' ? '' : nx;
        j += 2;
        continue;
      }
      if (ch === '/') isPath = true;
      if (ch === ':') { cp = cp.slice(j + 1); ended = true; break; }
      arg += ch;
      j++;
    }
    if (failed) break;
    if (!ended) cp = '';
    fields.push({ arg, isPath });
  }
  let n = fields.length;
  if (cp !== null && cp !== '') n = 0;
  const port = (s: string) => a2port(s, ports);
  let listenPort = 0, connectPort = 0, listenPath = false, connectPath = false;
  const f = fields;
  switch (n) {
    case 1:
      if (f[0]!.isPath) listenPath = true; else listenPort = port(f[0]!.arg);
      break;
    case 2:
      if (f[0]!.isPath && f[1]!.isPath) { listenPath = true; connectPath = true; }
      else if (f[1]!.isPath) { listenPort = port(f[0]!.arg); connectPath = true; }
      else listenPort = port(f[1]!.arg);
      break;
    case 3:
      if (f[0]!.isPath) { listenPath = true; connectPort = port(f[2]!.arg); }
      else if (f[2]!.isPath) { listenPort = port(f[1]!.arg); connectPath = true; }
      else { listenPort = port(f[0]!.arg); connectPort = port(f[2]!.arg); }
      break;
    case 4:
      listenPort = port(f[1]!.arg);
      connectPort = port(f[3]!.arg);
      break;
    default:
      return 0;
  }
  if (dynamic) {
    if (!(n === 1 || n === 2)) return 0;
  } else {
    if (!(n === 3 || n === 4) && !connectPath && !listenPath) return 0;
    if (connectPort <= 0 && !connectPath) return 0;
  }
  if ((listenPort < 0 && !listenPath) || (!remote && listenPort === 0 && !listenPath)) return 0;
  return n;
}

function forward(kind: 'local' | 'remote' | 'dynamic'): Validator {
  return (c) => {
    const a = c.args[0]!.text;
    if (a === '') return missing('Missing argument.');
    let dynamic = kind === 'dynamic';
    let spec = a;
    let used = 1;
    if (!dynamic) {
      const b = c.args[1]?.text;
      if (b === undefined || b === '') {
        if (kind === 'remote') dynamic = true;
        else return missing('Missing target argument.', -1);
      } else {
        spec = `${a}:${b}`;
        used = 2;
      }
    }
    if (parseForwardSpec(spec, dynamic, kind === 'remote', c.ports) === 0) return bad('Bad forwarding specification.', 0);
    return used;
  };
}

function agentPath(t: string): ValueProblem | null {
  if (t.startsWith('$') && t[1] !== '{' && !/^[A-Za-z0-9_]+$/.test(t.slice(1))) return bad(`Invalid environment name ${t}.`, 0);
  return null;
}

/** misc.c parse_user_host_port: [user@]host[:port]. */
function userHostPortOk(p: string, ports: PortNames): boolean {
  let rest = p;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0) return false;
    rest = rest.slice(at + 1);
  }
  const hp = hpdelim(rest);
  if (hp === null || hp.host === '' || rest.startsWith('[]')) return false;
  return hp.rest === null || hp.rest === '' || a2port(hp.rest, ports) > 0;
}

/** misc.c parse_ssh_uri: ssh://[user[;params]@]host[:port][/]; 1 = not an ssh URI. */
function sshUri(p: string, ports: PortNames): 0 | 1 | -1 {
  if (!p.startsWith('ssh://')) return 1;
  let rest = p.slice(6);
  const urlOk = (t: string) => !/%(?![0-9a-fA-F]{2})/.test(t);
  const at = rest.indexOf('@');
  if (at >= 0) {
    const user = rest.slice(0, at).split(';')[0]!;
    if (user === '' || !urlOk(user)) return -1;
    rest = rest.slice(at + 1);
  }
  // hpdelim2: host ends at ':' or '/'.
  let i: number;
  if (rest.startsWith('[')) {
    const j = rest.indexOf(']');
    if (j < 0) return -1;
    i = j + 1;
  } else {
    const m = rest.search(/[:/]/);
    i = m < 0 ? rest.length : m;
  }
  const delim = rest[i];
  if (delim !== undefined && delim !== ':' && delim !== '/') return -1;
  const host = cleanhost(rest.slice(0, i));
  if (host === '' || invalidDomain(host) !== null) return -1;
  let tail = delim === undefined ? '' : rest.slice(i + 1);
  if (tail !== '' && delim === ':') {
    const slash = tail.indexOf('/');
    const port = slash < 0 ? tail : tail.slice(0, slash);
    if (a2port(port, ports) <= 0) return -1;
    tail = slash < 0 ? '' : tail.slice(slash + 1);
  }
  // A path (anything after the host/port) is not allowed in a ProxyJump URI.
  if (tail !== '') return -1;
  return 0;
}

/** readconf.c parse_jump on the raw value (comma-separated hops, or "none"). */
export function proxyJumpValid(raw: string, ports: PortNames = new PortNames()): boolean {
  if (raw.toLowerCase() === 'none') return true;
  return raw.split(',').every((hop) => {
    const r = sshUri(hop, ports);
    return r === 0 || (r === 1 && userHostPortOk(hop, ports));
  });
}

const sshOwn: Record<string, Validator> = {
  string: sshString,
  command: (c) => c.args.length,
  proxyjump: (c) => {
    // Measured on this build: only the first whitespace-separated word is judged ("a b:c"
    // passes, "b:c a" fails), and the message quotes the raw rest of the line.
    const raw = c.args.map((a) => (a.quoted ? `"${a.text}"` : a.text)).join(' ');
    // parse_jump() cuts its copy of the line at the first '#', even inside a word.
    // parse_jump() reads the raw line: a quoted word keeps its quotes ('""' is a host name there).
    const first = c.args[0]!.quoted ? `"${c.args[0]!.text}"` : c.args[0]!.text;
    return proxyJumpValid(first.split('#')[0]!, c.ports) ? c.args.length : bad(`Invalid ProxyJump "${raw}"`, 0);
  },
  port: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (a2port(t, c.ports) <= 0) return bad(`Bad port '${t}'.`, 0);
    return 1;
  },
  ciphers: algoList(() => 'Missing argument.', (a) => `Bad SSH2 cipher spec '${a}'.`, cipherOk),
  macs: algoList(() => 'Missing argument.', (a) => `Bad SSH2 MAC spec '${a}'.`, macOk),
  kex: algoList(() => 'Missing argument.', (a) => `Bad SSH2 KexAlgorithms '${a}'.`, kexOk),
  gsskex: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (!listUntilEmpty(t, (n) => GSS_KEX_PREFIXES.some((p) => n.startsWith(p)))) return bad(`Bad GSSAPI KexAlgorithms '${t}'.`, 0);
    return 1;
  },
  localforward: forward('local'),
  remoteforward: forward('remote'),
  dynamicforward: forward('dynamic'),
  permitremoteopen: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      const lc = t.toLowerCase();
      if (lc === 'none' || lc === 'any') {
        if (i > 0 || c.args.length > 1) return bad(`keyword ${c.kw} "${t}" argument must appear alone.`, i);
        continue;
      }
      const hp = hpdelim(t);
      if (hp === null) return bad('missing host in permitremoteopen', i);
      if (hp.rest === null || (hp.rest !== '*' && a2port(hp.rest, c.ports) <= 0)) return bad('bad port number in permitremoteopen', i);
    }
    return c.args.length;
  },
  escapechar: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (t === 'none' || [...t].length === 1 && Buffer.byteLength(t) === 1) return 1;
    const code = t.charCodeAt(1);
    if (t.length === 2 && t[0] === '^' && code >= 64 && code < 128) return 1;
    return bad('Bad escape character.', 0);
  },
  sendenv: (c) => {
    const i = c.args.findIndex((a) => a.text === '' || a.text.includes('='));
    return i >= 0 ? bad('Invalid environment name.', i) : c.args.length;
  },
  setenv: (c) => {
    const i = c.args.findIndex((a) => !a.text.includes('='));
    return i >= 0 ? bad('Invalid SetEnv.', i) : c.args.length;
  },
  controlpersist: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing ControlPersist argument.');
    if (['no', 'false', 'yes', 'true'].includes(t) || parseTime(t) !== null) return 1;
    return bad('Bad ControlPersist argument.', 0);
  },
  tunneldevice: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    const one = (s: string) => s.toLowerCase() === 'any' || 'value' in strtonum(s, 0, 0x7fffffff - 2);
    const colon = t.indexOf(':');
    const ok = colon < 0 ? one(t) : one(t.slice(colon + 1)) && one(t.slice(0, colon));
    return ok ? 1 : bad('Bad tun device.', 0);
  },
  ipqos: (c) => {
    const t = c.args[0]!.text;
    if (!parseIpqos(t)) return bad(`Bad IPQoS value: ${t}`, 0);
    if (c.args.length < 2) return 1;
    if (!parseIpqos(c.args[1]!.text)) return bad(`Bad IPQoS value: ${c.args[1]!.text}`, 1);
    return 2;
  },
  canonicaldomains: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t === '') return bad(`keyword ${c.kw} empty argument`, i, 'missing-value');
      if (t.toLowerCase() === 'none' && (i > 0 || c.args.length > 1)) return bad(`keyword ${c.kw} "none" argument must appear alone.`, i);
      const e = invalidDomain(t);
      if (e) return bad(e, i);
    }
    return c.args.length;
  },
  permittedcnames: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t.toLowerCase() === 'none') {
        if (i > 0 || c.args.length > 1) return bad(`keyword ${c.kw} "none" argument must appear alone.`, i);
        continue;
      }
      if (t === '*') continue;
      const colon = t.indexOf(':');
      if (colon < 0 || colon === t.length - 1) return bad(`Invalid permitted CNAME "${t.toLowerCase()}"`, i);
    }
    return c.args.length;
  },
  octalmask: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing StreamLocalBindMask argument.');
    const r = strtolPrefix(t, 8);
    if (r.used === 0 || r.value < 0 || r.value > 0o777) return bad('Bad mask.', 0);
    return 1;
  },
  fphash: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (!FINGERPRINT_HASH_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`Invalid hash algorithm "${t}".`, 0);
    return 1;
  },
  rekeylimit: (c) => rekeyLimit(c, 'Missing argument.', 'Bad number', 'RekeyLimit too small'),
  addkeystoagent: (c) => {
    const a = c.args[0]!.text;
    const b = c.args[1]?.text;
    if (a === '') return missing('missing argument.');
    const states = ['true', 'false', 'yes', 'no', 'ask', 'confirm'];
    const v = states.indexOf(a.toLowerCase());
    if (v === 5 && b !== undefined) {
      if (parseTime(b) === null) return bad('invalid time value.', 1);
    } else if (v < 0 && b === undefined) {
      if (parseTime(a) === null) return bad('unsupported option', 0);
    } else if (v < 0 || b !== undefined) {
      return bad('unsupported option', v < 0 ? 0 : 1);
    }
    return b === undefined ? 1 : 2;
  },
  identityagent: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    return agentPath(t) ?? 1;
  },
  forwardagent: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing argument.');
    if (['true', 'false', 'yes', 'no'].includes(t.toLowerCase())) return 1;
    return agentPath(t) ?? 1;
  },
  chararray: noneAloneList(() => true),
  host: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`keyword ${c.kw} empty argument`, i, 'missing-value') : c.args.length;
  },
  time: (c) => (c.args[0]!.text === 'none' ? 1 : timeArg(c)),
};
const sshValidators: Readonly<Record<string, Validator>> = sshOwn;

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

// ---------------------------------------------------------------------------------------------
// Entry point.

/**
 * Per analysis: the validator built for each table entry (a closure and a word list each) and
 * the service names a2port consults. A caller without one gets a fresh one per call.
 */
export interface ValueMemo {
  readonly validators: Map<ValueSpec, Validator>;
  readonly ports: PortNames;
}

export function newValueMemo(): ValueMemo {
  return { validators: new Map(), ports: new PortNames() };
}

function runSpec(dialect: Dialect, value: ValueSpec, memo: ValueMemo): Validator {
  let v = memo.validators.get(value);
  if (v === undefined) {
    v = buildSpec(dialect, value);
    memo.validators.set(value, v);
  }
  return v;
}

function buildSpec(dialect: Dialect, value: ValueSpec): Validator {
  switch (value.kind) {
    case 'yesno':
      // readconf's multistate_flag also takes true/false; servconf's does not.
      return multistate(dialect === 'ssh' ? ['yes', 'no', 'true', 'false'] : ['yes', 'no']);
    case 'enum':
      return multistate(value.values, value.caseSensitive);
    case 'int':
      return intArg(value.min ?? 0, value.max ?? INT_MAX);
    case 'time':
      return dialect === 'ssh' ? sshValidators['time']! : timeArg;
    case 'custom': {
      const table = dialect === 'sshd' ? sshdValidators : sshValidators;
      const v = table[value.validator] ?? (dialect === 'ssh' ? sshdValidators[value.validator] : undefined);
      if (!v) throw new Error(`no ${dialect} validator named ${value.validator}`);
      return v;
    }
  }
}

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
  if (spec.name === 'Match') return validateMatch(dialect, args, memo);
  const used = runSpec(dialect, spec.value, memo)({ dialect, spec, args, kw, ports: memo.ports });
  if (typeof used !== 'number') return used;
  if (used < args.length) {
    return { message: `keyword ${kw} extra arguments at end of line`, tokenIndex: used, code: 'extra-args' };
  }
  return null;
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



// ---------------------------------------------------------------------------------------------
// Algorithm-list assembly (kex.c kex_assemble_names), done once on the value that wins.

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
