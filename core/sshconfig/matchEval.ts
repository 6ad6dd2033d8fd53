// Whether a Match / Host block applies to one connection, as servconf.c / readconf.c
// match_cfg_line() decide it. Only used for the effective values (keepalive); syntax checks are
// values.ts validateMatch.

import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { MatchContext } from './api';
import type { Dialect, Token } from './types';
import { dottedQuad, matchPatternIn, matchPatternList } from './patterns';

export type ResolvedContext = Required<Pick<MatchContext, 'user' | 'host'>> & MatchContext;

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

/** Defaults: `sshd -T -C user=root,host=localhost,addr=127.0.0.1`; `ssh -G example.com` as the local user. */
export function resolveMatchContext(dialect: Dialect, c: MatchContext | undefined): ResolvedContext {
  if (dialect === 'sshd') {
    return { user: c?.user ?? 'root', host: c?.host ?? 'localhost', addr: c?.addr ?? '127.0.0.1', laddr: c?.laddr, lport: c?.lport };
  }
  return { ...c, user: c?.user ?? localUser(), host: (c?.host ?? 'example.com').toLowerCase() };
}

/** Groups of a user from /etc/passwd + /etc/group (best effort; empty when unreadable). */
function groupsOf(user: string): string[] {
  const out: string[] = [];
  try {
    let gid: string | undefined;
    for (const l of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = l.split(':');
      if (f[0] === user) { gid = f[3]; break; }
    }
    for (const l of readFileSync('/etc/group', 'utf8').split('\n')) {
      const f = l.split(':');
      if (f.length < 4) continue;
      if (f[2] === gid || f[3]!.split(',').includes(user)) out.push(f[0]!);
    }
  } catch {
    /* unknown groups: Group never matches */
  }
  return out;
}

/** addrmatch.c addr_match_list, IPv4 CIDR and wildcard patterns: 1 match, 0 none, -1 negated. */
export function addrMatchList(addr: string, list: string): -1 | 0 | 1 {
  let got: 0 | 1 = 0;
  let a: number | null | undefined; // the connection's address, parsed at the first CIDR entry
  // Entries are read in place (no split/slice per entry): every Match Address line goes through here.
  for (let from = 0; ; ) {
    let to = list.indexOf(',', from);
    if (to < 0) to = list.length;
    const neg = from < to && list.charCodeAt(from) === 33; /* ! */
    const start = neg ? from + 1 : from;
    let hit = false;
    const slash = list.indexOf('/', start);
    if (slash >= 0 && slash < to) {
      if (a === undefined) a = dottedQuad(addr, 0, addr.length, false);
      const net = dottedQuad(list, start, slash, false);
      const bits = Number(list.slice(slash + 1, to));
      if (a !== null && net !== null && Number.isInteger(bits) && bits >= 0 && bits <= 32) {
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        hit = ((a & mask) >>> 0) === ((net & mask) >>> 0);
      }
    } else {
      hit = matchPatternIn(addr, list, start, to);
    }
    if (hit) {
      if (neg) return -1;
      got = 1;
    }
    if (to >= list.length) return got;
    from = to + 1;
  }
}

/** servconf.c match_cfg_line with a test connection (`-C`); arguments already validated. */
export function sshdMatches(args: readonly Token[], c: ResolvedContext): boolean {
  let result = true;
  for (let i = 0; i < args.length; i++) {
    const attrib = args[i]!.text.toLowerCase();
    if (attrib === 'all') return true;
    const arg = args[++i]?.text ?? '';
    switch (attrib) {
      case 'user':
        if (!c.user || matchPatternList(c.user, arg, false) !== 1) result = false;
        break;
      case 'group': {
        if (!c.user) { result = false; break; }
        const gs = groupsOf(c.user);
        if (!gs.some((g) => matchPatternList(g, arg, false) === 1)) result = false;
        break;
      }
      case 'host':
        if (!c.host || matchPatternList(c.host.toLowerCase(), arg, true) !== 1) result = false;
        break;
      case 'address':
        if (!c.addr || addrMatchList(c.addr, arg) !== 1) result = false;
        break;
      case 'localaddress':
        if (!c.laddr || addrMatchList(c.laddr, arg) !== 1) result = false;
        break;
      case 'localport':
        if (!c.lport || String(c.lport) !== arg) result = false;
        break;
      default:
        // rdomain and anything not in the test spec: no match in test mode.
        result = false;
    }
  }
  return result;
}

export interface SshEvalState {
  /** First User value seen so far (Match user compares the remote user). */
  user: string | undefined;
  /** First HostName value seen so far (Match host compares it, %h expanded, when set). */
  hostname?: string | undefined;
}

/** readconf.c match_cfg_line for `ssh -G HOST`. `exec` is never run here: counted as not matching. */
export function sshMatches(args: readonly Token[], c: ResolvedContext, finalPass: boolean, st: SshEvalState): { matched: boolean; wantFinal: boolean } {
  let result = true;
  let wantFinal = false;
  for (let i = 0; i < args.length; i++) {
    let attrib = args[i]!.text;
    const negate = attrib.startsWith('!');
    if (negate) attrib = attrib.slice(1);
    const lc = attrib.toLowerCase();
    if (lc === 'all') return { matched: result && !negate, wantFinal };
    if (lc === 'canonical' || lc === 'final') {
      if (lc === 'final') wantFinal = true;
      if (finalPass === negate) result = false;
      continue;
    }
    const arg = args[++i]?.text ?? '';
    let r: boolean;
    switch (lc) {
      case 'host': {
        const h = st.hostname !== undefined ? st.hostname.replace(/%h/g, c.host).replace(/%%/g, '%') : c.host;
        r = matchPatternList(h, arg, true) === 1;
        break;
      }
      case 'originalhost':
        r = matchPatternList(c.host, arg, true) === 1;
        break;
      case 'user':
        r = matchPatternList(st.user ?? c.user, arg, false) === 1;
        break;
      case 'localuser':
        r = matchPatternList(c.user, arg, false) === 1;
        break;
      default:
        r = false; // exec: not run by the analysis
    }
    if (r === negate) result = false;
  }
  return { matched: result, wantFinal };
}
