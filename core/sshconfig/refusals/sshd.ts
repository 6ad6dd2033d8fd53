// servconf.c refusals that depend on more than the line itself: the counts and names that
// accumulate over the lines (MAX_PORTS, MAX_SUBSYSTEMS, Subsystem names, AuthenticationMethods
// "any" after a list was kept) and the ListenAddress/AddressFamily pairing that
// process_queued_listen_addrs() hands to getaddrinfo() once the file is read.

import { isIPv4, isIPv6 } from 'node:net';
import { argSpan, type LineRef, type RefusalSink, type SetValue } from './types';

const MAX_PORTS = 256;
const MAX_SUBSYSTEMS = 256;

/** The keywords line() acts on. */
export const SSHD_KEYWORDS: ReadonlySet<string> = new Set(['port', 'subsystem', 'authenticationmethods', 'authorizedkeyscommand', 'authorizedprincipalscommand', 'listenaddress']);

export class SshdLoadChecks {
  private ports = 0;
  private subsystems = new Set<string>();
  /** options->num_auth_methods: entries kept from the first active AuthenticationMethods line. */
  private authMethods = 0;
  private listens: Array<{ ref: LineRef; host: string }> = [];

  constructor(private readonly report: RefusalSink) {}

  /** A line whose own arguments sshd accepted; true when loading still fails on it. */
  line(canon: string, l: LineRef, active: boolean): boolean {
    switch (canon) {
      case 'port':
        // Counted before the value is read, on every Port line (ports_from_cmdline aside).
        if (this.ports++ >= MAX_PORTS) return this.refuse(l, 'too-many', 'too many ports.');
        return false;
      case 'subsystem': {
        if (this.subsystems.size >= MAX_SUBSYSTEMS) return this.refuse(l, 'too-many', 'too many subsystems defined.');
        if (!active) return false;
        const name = l.args[0]!.text;
        if (this.subsystems.has(name)) return this.refuse(l, 'duplicate-name', `Subsystem '${name}' already defined.`, 0, 0);
        this.subsystems.add(name);
        return false;
      }
      case 'authenticationmethods': {
        // "any" is refused once a list was kept, even by a line that is itself a duplicate.
        const found = this.authMethods === 0;
        for (let i = 0; i < l.args.length; i++) {
          if (l.args[i]!.text === 'any' && this.authMethods > 0) {
            return this.refuse(l, 'bad-value', '"any" must appear alone in AuthenticationMethods', i, i);
          }
          if (found && active) this.authMethods++;
        }
        return false;
      }
      case 'authorizedkeyscommand':
      case 'authorizedprincipalscommand': {
        // parse_command compares the raw rest of the line, comment included, with "none".
        const first = l.args[0]!;
        if (!first.quoted && first.text.toLowerCase() === 'none' && l.commentStart !== undefined) {
          return this.refuse(l, 'bad-value', `${l.keyword.text} must be an absolute path (the raw rest of the line, comment included, is not "none")`);
        }
        return false;
      }
      case 'listenaddress':
        this.listens.push({ ref: l, host: listenHost(l.args[0]!.text) });
        return false;
      default:
        return false;
    }
  }

  /**
   * After the file is read: getaddrinfo() with hints.ai_family from AddressFamily fails for a
   * numeric address of the other family ("bad addr or host", fatal). Names go to the resolver
   * and are left alone.
   */
  afterParse(first: ReadonlyMap<string, SetValue>): void {
    const family = first.get('addressfamily')?.value[0]?.text.toLowerCase();
    if (family !== 'inet' && family !== 'inet6') return;
    for (const { ref, host } of this.listens) {
      const wrong = family === 'inet' ? isIPv6(host) : isIPv4(host);
      if (!wrong) continue;
      const [s, e] = argSpan(ref, 0);
      this.report(ref.file, ref.line, s, e, 'bad-value',
        `bad addr or host: ${host} (Address family for hostname not supported): AddressFamily ${family} excludes this address`);
      return; // fatal(): the first one ends it
    }
  }

  private refuse(l: LineRef, code: string, message: string, from = 0, to = l.args.length - 1): true {
    const a = l.args[from];
    const b = l.args[to];
    const [s, e] = a && b ? [a.start, b.end] : argSpan(l);
    this.report(l.file, l.line, s, e, code, `${l.keyword.text}: ${message}`);
    return true;
  }
}

/** The host part of a ListenAddress argument, as servconf.c splits it (bare IPv6, [v6]:port, host:port). */
function listenHost(arg: string): string {
  const colon = arg.indexOf(':');
  if (!arg.includes('[') && colon >= 0 && arg.indexOf(':', colon + 1) >= 0) return arg;
  if (arg.startsWith('[')) {
    const close = arg.indexOf(']');
    return close > 0 ? arg.slice(1, close) : arg;
  }
  return colon >= 0 ? arg.slice(0, colon) : arg;
}
