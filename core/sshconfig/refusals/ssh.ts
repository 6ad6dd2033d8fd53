// readconf.c refusals that depend on more than the line itself (list limits counted over the
// active lines, across the `Match final` re-read too) and the ssh.c main() checks on the
// effective options that `ssh -G` reaches: %-token / ${} expansion and the ProxyJump loop.

import { argSpan, rawFrom, type LineRef, type RefusalSink, type SetValue } from './types';
import { CLIENT_TOKENS, expandProblem } from './expand';
import { forwardProblem } from './forward';

const SSH_MAX_IDENTITY_FILES = 100;
const SSH_MAX_CERTIFICATE_FILES = 100;
const SSH_MAX_HOSTS_FILES = 32;
const MAX_CANON_DOMAINS = 32;

/** Lists only the first active line fills (readconf.c: `value = *uintptr == 0` at line start). */
const FIRST_LINE_LISTS: Record<string, { max: number; message: (kw: string) => string }> = {
  globalknownhostsfile: { max: SSH_MAX_HOSTS_FILES, message: (kw) => `too many ${kw} entries.` },
  userknownhostsfile: { max: SSH_MAX_HOSTS_FILES, message: (kw) => `too many ${kw} entries.` },
  canonicaldomains: { max: MAX_CANON_DOMAINS, message: () => 'too many hostname suffixes.' },
  canonicalizepermittedcnames: { max: MAX_CANON_DOMAINS, message: () => 'too many permitted CNAMEs.' },
};

const FLAG_WORDS: ReadonlySet<string> = new Set(['yes', 'no', 'true', 'false']);

/** The keywords line() acts on. */
export const SSH_KEYWORDS: ReadonlySet<string> = new Set(['identityagent', 'forwardagent', 'localforward', 'remoteforward', 'dynamicforward',
  'identityfile', 'certificatefile', 'remotecommand', ...Object.keys(FIRST_LINE_LISTS)]);

export interface SshTarget { host: string; user: string }

export class SshLoadChecks {
  /** add_identity_file()/add_certificate_file() keep each path once; the limit is on kept paths. */
  private identities = new Set<string>();
  private certificates = new Set<string>();
  private filled = new Set<string>();
  private forwards: LineRef[] = [];
  private refused = new Set<string>();
  /** Trailing comments of active RemoteCommand lines: parse_command keeps them in the command. */
  private commandComments = new Map<string, { ref: LineRef; text: string }>();

  constructor(private readonly report: RefusalSink, private readonly target: SshTarget) {}

  /**
   * An active line (first pass or `Match final` pass) or, for the checks every line gets, any
   * line whose own arguments ssh accepted. True when the line still fails.
   */
  line(canon: string, l: LineRef, active: boolean): boolean {
    if (canon === 'identityagent' || (canon === 'forwardagent' && !FLAG_WORDS.has(l.args[0]!.text.toLowerCase()))) {
      // parse_agent_path: dollar_expand() on every line, active or not.
      const p = expandProblem(l.args[0]!.text, null, true);
      if (p !== null) return this.refuse(l, 'bad-value', `Invalid environment expansion ${l.args[0]!.text} (${p}).`);
    }
    if (canon === 'localforward' || canon === 'remoteforward' || canon === 'dynamicforward') {
      const p = forwardProblem(canon, l.args.map((t) => t.text));
      if (p !== null) return this.refuse(l, 'bad-value', p);
    }
    if (!active) return false;
    switch (canon) {
      case 'identityfile':
        return this.count(l, this.identities, SSH_MAX_IDENTITY_FILES, `Too many identity files specified (max ${SSH_MAX_IDENTITY_FILES}).`);
      case 'certificatefile':
        return this.count(l, this.certificates, SSH_MAX_CERTIFICATE_FILES, `Too many certificate files specified (max ${SSH_MAX_CERTIFICATE_FILES}).`);
      case 'localforward':
      case 'remoteforward':
      case 'dynamicforward':
        this.forwards.push(l);
        return false;
      case 'remotecommand':
        if (l.commentStart !== undefined) this.commandComments.set(`${l.file}\0${l.line}`, { ref: l, text: rawFrom(l, l.commentStart) });
        return false;
      default: {
        const list = FIRST_LINE_LISTS[canon];
        if (!list || this.filled.has(canon)) return false;
        this.filled.add(canon);
        if (l.args.length > list.max) return this.refuse(l, 'too-many', list.message(l.keyword.text.toLowerCase()), list.max);
        return false;
      }
    }
  }

  /** ssh.c main() after fill_default_options(), on the values `ssh -G` prints. */
  afterParse(first: ReadonlyMap<string, SetValue>): void {
    const val = (k: string): string | undefined => first.get(k)?.value[0]?.text;
    const hostName = val('hostname');
    if (hostName !== undefined && this.expand(first.get('hostname')!, 0, 'h', false)) return;
    // RemoteCommand is the raw rest of the line: every word of it is expanded.
    const rc = first.get('remotecommand');
    if (rc) {
      for (let i = 0; i < rc.value.length; i++) if (this.expand(rc, i, CLIENT_TOKENS, false)) return;
      const c = this.commandComments.get(`${rc.loc.file}\0${rc.loc.line}`);
      const p = c ? expandProblem(c.text, CLIENT_TOKENS, false) : null;
      if (c && p !== null) {
        this.report(c.ref.file, c.ref.line, c.ref.commentStart!, c.ref.commentStart! + c.text.length, 'bad-value', `${p}: RemoteCommand takes the rest of the line, this comment included`);
        return;
      }
    }
    for (const k of ['controlpath', 'identityagent']) {
      const e = first.get(k);
      if (e && this.expand(e, 0, CLIENT_TOKENS, true)) return;
    }
    const fa = first.get('forwardagent');
    if (fa && !FLAG_WORDS.has((fa.value[0]?.text ?? '').toLowerCase()) && this.expand(fa, 0, CLIENT_TOKENS, true)) return;
    const ukh = first.get('userknownhostsfile');
    if (ukh && (ukh.value[0]?.text ?? '').toLowerCase() !== 'none') {
      for (let i = 0; i < ukh.value.length; i++) if (this.expand(ukh, i, CLIENT_TOKENS, true)) return;
    }
    for (const f of this.forwards) {
      for (let i = 0; i < f.args.length; i++) {
        // Unix-socket forwards: their paths are expanded; host:port specs are not.
        if (f.args[i]!.text.includes('/') && this.expand({ value: f.args, loc: { file: f.file, line: f.line } }, i, CLIENT_TOKENS, false)) return;
      }
    }
    this.jumpLoop(first, hostName);
  }

  /** ssh.c: "jumphost loop via %s" when the last ProxyJump hop is the destination itself. */
  private jumpLoop(first: ReadonlyMap<string, SetValue>, hostName: string | undefined): void {
    const e = first.get('proxyjump');
    const spec = e?.value[0]?.text.split('#')[0]; // parse_jump() reads up to the first '#'
    // A ProxyCommand seen first wins over ProxyJump; which came first is not known here: stay silent.
    if (!e || !spec || spec.toLowerCase() === 'none' || first.has('proxycommand')) return;
    const hop = parseHop(spec.slice(spec.lastIndexOf(',') + 1));
    if (!hop) return;
    let host = hostName === undefined ? this.target.host : hostName.replace(/%(.)/g, (_, c: string) => (c === 'h' ? this.target.host : c === '%' ? '%' : `%${c}`));
    if (!isAddress(host)) host = host.toLowerCase();
    const portText = first.get('port')?.value[0]?.text;
    const port = portText === undefined ? 22 : Number(portText);
    const user = first.get('user')?.value[0]?.text ?? this.target.user;
    if (user.includes('%') || (hop.user ?? '').includes('%')) return;
    if (hop.host === host && (hop.port ?? 22) === port && (hop.user ?? user) === user) {
      this.report(e.loc.file, e.loc.line, e.value[0]!.start, e.value[e.value.length - 1]!.end, 'inconsistent-options',
        `jumphost loop via ${hop.host}: the last ProxyJump hop is the destination itself`);
    }
  }

  private count(l: LineRef, kept: Set<string>, max: number, message: string): boolean {
    // The limit is tested before the path is looked up, so a repeated path over it fails too.
    if (kept.size >= max) return this.refuse(l, 'too-many', message);
    kept.add(l.args[0]!.text);
    return false;
  }

  private expand(e: SetValue, i: number, tokens: string, dollar: boolean): boolean {
    const t = e.value[i];
    if (!t) return false;
    const p = expandProblem(t.text, tokens, dollar);
    if (p === null) return false;
    this.report(e.loc.file, e.loc.line, t.start, t.end, 'bad-value', `${p}: ssh cannot expand ${JSON.stringify(t.text)}`);
    return true;
  }

  private refuse(l: LineRef, code: string, message: string, from = 0): true {
    const key = `${l.file}\0${l.line}`;
    if (!this.refused.has(key)) {
      this.refused.add(key);
      const [s, e] = argSpan(l, from);
      this.report(l.file, l.line, s, e, code, `${l.keyword.text}: ${message}`);
    }
    return true;
  }
}

/** parse_ssh_uri / parse_user_host_port for one hop; null when it is not that simple. */
function parseHop(s: string): { user?: string; host: string; port?: number } | null {
  let rest = s;
  if (rest.toLowerCase().startsWith('ssh://')) rest = rest.slice(6);
  const at = rest.lastIndexOf('@');
  const user = at >= 0 ? rest.slice(0, at) : undefined;
  rest = at >= 0 ? rest.slice(at + 1) : rest;
  let host = rest;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return null;
    host = rest.slice(1, close);
    if (rest[close + 1] === ':') portText = rest.slice(close + 2);
  } else {
    const colon = rest.indexOf(':');
    if (colon >= 0) { host = rest.slice(0, colon); portText = rest.slice(colon + 1); }
  }
  if (portText !== undefined && !/^[0-9]+$/.test(portText)) return null;
  return { user, host, port: portText === undefined ? undefined : Number(portText) };
}

function isAddress(h: string): boolean {
  return /^[0-9.]+$/.test(h) || h.includes(':');
}
