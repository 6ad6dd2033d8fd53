// addrmatch.c: address lists and CIDR entries as addr_match_cidr_list() accepts them.

import { isIP } from 'node:net';
import { dottedQuad } from './patterns';

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
