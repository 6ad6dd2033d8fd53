// The keepalive side of the analysis: the effective ClientAlive*/ServerAlive*/TCPKeepAlive values
// as a report, and the settings that strand or kill sessions (with what that means for jobs).

import type { KeepaliveReport, LineNode } from './api';
import type { Dialect, KeywordSpec, Severity, Token } from './types';
import { parseTime } from './values';
import { deadPeerSeconds, explainKeepalive } from './keepalive';

/** Keywords whose values can strand or kill sessions. Canonical spellings. */
const TRAP_KEYS: ReadonlySet<string> = new Set(['ClientAliveInterval', 'ClientAliveCountMax', 'ServerAliveInterval', 'ServerAliveCountMax', 'TCPKeepAlive', 'ChannelTimeout', 'UnusedConnectionTimeout']);
/** Whether keepaliveTraps looks at lines with this keyword (callers may pass only those lines). */
export function isTrapKeyword(spec: KeywordSpec): boolean {
  return TRAP_KEYS.has(spec.name);
}

/** A dead peer dropped faster than this is at the mercy of every Wi-Fi roam or VPN reconnect. */
const AGGRESSIVE_SECONDS = 30;

/** An effective value and where it was set. */
export interface SetValue { value: Token[]; loc: { file: string; line: number } }

export interface Finding { line: number; col: number; endCol: number; severity: Severity; code: string; message: string }

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

export function keepaliveReport(dialect: Dialect, file: string, eff: ReadonlyMap<string, SetValue>): KeepaliveReport {
  const sshd = dialect === 'sshd';
  const iKey = sshd ? 'clientaliveinterval' : 'serveraliveinterval';
  const cKey = sshd ? 'clientalivecountmax' : 'serveralivecountmax';
  const tKey = 'tcpkeepalive';
  const iv = eff.get(iKey);
  const cv = eff.get(cKey);
  const tv = eff.get(tKey);
  let interval = 0;
  if (iv) {
    const t = iv.value[0]?.text ?? '0';
    const n = t === 'none' ? 0 : safe(() => parseTime(t));
    interval = typeof n === 'number' && n > 0 ? n : 0;
  }
  let countMax = 3;
  if (cv) {
    const n = Number.parseInt(cv.value[0]?.text ?? '3', 10);
    if (Number.isFinite(n)) countMax = n;
  }
  const tcpKeepAlive = tv ? (tv.value[0]?.text ?? 'yes').toLowerCase() === 'yes' : true;
  const values = { dialect: dialect, interval, countMax, tcpKeepAlive };
  const lines: KeepaliveReport['lines'] = {};
  const sources: KeepaliveReport['sources'] = {};
  const put = (k: 'interval' | 'countMax' | 'tcpKeepAlive', e: SetValue | undefined): void => {
    if (!e) return;
    sources[k] = { ...e.loc };
    if (e.loc.file === file) lines[k] = e.loc.line;
  };
  put('interval', iv);
  put('countMax', cv);
  put('tcpKeepAlive', tv);
  return { dialect: dialect, interval, countMax, tcpKeepAlive, deadPeerSeconds: deadPeerSeconds(values), explanation: explainKeepalive(values), lines, sources };
}

/** A finding without its line: what one argument of one keyword means for sessions. */
type Trap = Omit<Finding, 'line'>;

/**
 * Keepalive traps, on the lines of this document that set the values (not on ignored duplicates).
 * `nodes`: the document's lines in order, or just those whose keyword isTrapKeyword.
 * Identical lines share their argument token (parse.ts), so each distinct one is judged once.
 */
export function keepaliveTraps(dialect: Dialect, nodes: readonly LineNode[], ignored: ReadonlySet<number>, k: KeepaliveReport): Finding[] {
  const out: Finding[] = [];
  const judged = new Map<Token, Trap | null>();
  for (const n of nodes) {
    if (n.kind !== 'directive' || !n.spec || !n.keyword) continue;
    if (!TRAP_KEYS.has(n.spec.name) || ignored.has(n.line)) continue;
    const arg = n.args[0];
    if (!arg) continue;
    let trap = judged.get(arg);
    if (trap === undefined) {
      trap = trapOf(dialect, n.spec.name, arg, k);
      judged.set(arg, trap);
    }
    if (trap) out.push({ line: n.line, col: trap.col, endCol: trap.endCol, severity: trap.severity, code: trap.code, message: trap.message });
  }
  return out;
}

/** The trap's range: the argument. */
function range(arg: Token, code: string, severity: Severity, message: string): Trap {
  return { col: arg.start, endCol: arg.end, severity, code, message };
}

/** parseTime's value, undefined where it throws (one call per distinct argument, no closure). */
function timeOrUndefined(text: string): number | null | undefined {
  try {
    return parseTime(text);
  } catch {
    return undefined;
  }
}

/** `name`: the table's canonical spelling (spec.name). */
function trapOf(dialect: Dialect, name: string, arg: Token, k: KeepaliveReport): Trap | null {
  const sshd = dialect === 'sshd';
  const iName = sshd ? 'ClientAliveInterval' : 'ServerAliveInterval';
  const cName = sshd ? 'ClientAliveCountMax' : 'ServerAliveCountMax';
  const who = sshd ? 'the client' : 'the server';
  const detach = 'Run long jobs detached with `linger run` so they survive when the session ends.';
  if (name === iName) {
    const v = arg.text === 'none' ? 0 : timeOrUndefined(arg.text);
    if (typeof v !== 'number' || v < 0) return null;
    if (v === 0) {
      return range(arg, 'keepalive-off', 'warning', k.tcpKeepAlive
        ? `${iName} 0 turns SSH keepalive off: if ${who} vanishes (laptop sleep, network drop) nothing notices until TCP keepalive gives up, typically after ~2 hours; the session then ends and jobs still attached to it get SIGHUP. ${detach}`
        : `${iName} 0 with TCPKeepAlive no: a vanished peer is never noticed; its session hangs until something is written, then ends and jobs attached to it get SIGHUP. ${detach}`);
    }
    const s = deadPeerSeconds({ dialect: dialect, interval: v, countMax: k.countMax, tcpKeepAlive: k.tcpKeepAlive });
    if (s !== null && s < AGGRESSIVE_SECONDS) {
      return range(arg, 'keepalive-aggressive', 'warning',
        `With ${iName} ${arg.text} and ${cName} ${k.countMax}, a silence of ~${s} s (a Wi-Fi roam, VPN reconnect, laptop lid) drops the session, and jobs running in it get SIGHUP. ${detach}`);
    }
  } else if (name === cName) {
    const v = Number(arg.text);
    if (v !== 0 || !/^\s*[+-]?0+\s*$/.test(arg.text)) return null;
    return range(arg, 'countmax-zero', 'warning', sshd
      ? `ClientAliveCountMax 0 disables the dead-client check: probes are still sent every ClientAliveInterval, but an unresponsive client is never dropped. ${detach}`
      : `ServerAliveCountMax 0 makes ssh give up at the first check: ${k.interval > 0 ? `any ${k.interval} s` : 'any ServerAliveInterval'} without traffic from the server ends the session, even when the server is fine, and jobs attached to it get SIGHUP. ${detach}`);
  } else if (name === 'TCPKeepAlive') {
    // Keepalive off entirely: no SSH-level probes (interval 0 by default) and no TCP probes.
    if (arg.text.toLowerCase() !== 'no' || k.interval > 0 || k.lines.interval !== undefined || k.tcpKeepAlive) return null;
    return range(arg, 'keepalive-off', 'warning',
      `TCPKeepAlive no while ${iName} is 0 (the default): nothing ever notices a vanished ${sshd ? 'client' : 'server'}; its session hangs until something is written, then ends and jobs attached to it get SIGHUP. Set ${iName} (e.g. 60) or ${detach.charAt(0).toLowerCase()}${detach.slice(1)}`);
  } else if (name === 'ChannelTimeout') {
    if (arg.text.toLowerCase() === 'none') return null;
    return range(arg, 'channel-timeout', 'warning',
      `ChannelTimeout closes channels that stay idle for the given time: a quiet shell running a long job is closed and the job gets SIGHUP. ${detach}`);
  } else if (name === 'UnusedConnectionTimeout') {
    if (arg.text.toLowerCase() === 'none') return null;
    return range(arg, 'unused-connection-timeout', 'info',
      'UnusedConnectionTimeout closes connections that have no open channels (e.g. a ControlMaster kept for reuse); sessions with a shell are not affected.');
  }
  return null;
}
