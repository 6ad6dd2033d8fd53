// The load-time refusals of OpenSSH that need more than one line (counts, names, the values
// kept) or the effective options (sshd.c/ssh.c main()). One instance per analysis: all state
// lives in it. The walks call line() for each directive line whose own arguments passed
// (diagWalk.ts; evalWalk.ts on ssh's final read), include() for Include lines, and analyze.ts
// calls afterParse() once the file read cleanly.

import type { Dialect } from '../types';
import { SSHD_KEYWORDS, SshdLoadChecks } from './sshd';
import { SSH_KEYWORDS, SshLoadChecks, type SshTarget } from './ssh';
import type { LineRef, RefusalSink, SetValue } from './types';

export type { LineRef, RefusalSink, SetValue } from './types';

/** Keywords whose lines the load checks count or compare with other lines (crossLine.ts). */
export function refusalLineKeywords(dialect: Dialect): ReadonlySet<string> {
  return dialect === 'sshd' ? SSHD_KEYWORDS : SSH_KEYWORDS;
}

/** Keywords afterParse() reads from the effective options (crossLine.ts postParseKeywords). */
export function refusalPostParseKeywords(dialect: Dialect): readonly string[] {
  return dialect === 'sshd' ? ['addressfamily', 'listenaddress'] : SSH_POST_KEYWORDS;
}

const SSH_POST_KEYWORDS: readonly string[] = ['hostname', 'remotecommand', 'controlpath', 'identityagent', 'forwardagent',
  'userknownhostsfile', 'localforward', 'remoteforward', 'dynamicforward', 'proxyjump', 'proxycommand', 'port', 'user',
  'canonicalizehostname'];

export class LoadRefusals {
  private readonly sshd?: SshdLoadChecks;
  private readonly ssh?: SshLoadChecks;

  constructor(dialect: Dialect, private readonly report: RefusalSink, target: SshTarget) {
    if (dialect === 'sshd') this.sshd = new SshdLoadChecks(report);
    else this.ssh = new SshLoadChecks(report, target);
  }

  /** Whether line() looks at this keyword at all (lets the walk skip building a LineRef). */
  watches(canon: string): boolean {
    return (this.sshd ? SSHD_KEYWORDS : SSH_KEYWORDS).has(canon);
  }

  /** True when OpenSSH fails on this line although its arguments alone are fine. */
  line(canon: string, l: LineRef, active: boolean): boolean {
    return this.sshd ? this.sshd.line(canon, l, active) : this.ssh!.line(canon, l, active);
  }

  /** servconf.c sInclude: a line whose arguments are all comment names no file ("missing filename argument"). */
  include(l: LineRef): boolean {
    if (!this.sshd || l.args.length > 0) return false;
    this.report(l.file, l.line, l.keyword.start, l.keyword.end, 'missing-value', `${l.keyword.text} missing filename argument`);
    return true;
  }

  afterParse(first: ReadonlyMap<string, SetValue>): void {
    if (this.sshd) this.sshd.afterParse(first);
    else this.ssh!.afterParse(first);
  }
}
