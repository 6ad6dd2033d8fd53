// Plain-words keepalive explanations shared by the analysis, the LSP hover and `linger doctor`.
// Semantics of OpenSSH 9.2p1 (serverloop.c client_alive_check, clientloop.c server_alive_check):
// every Interval seconds without traffic from the peer a probe is due; the check gives up when
// the number of unanswered probes exceeds CountMax. So a silent peer is dropped after about
// Interval × (CountMax + 1) seconds (measured: 1 s × (2 + 1) → dropped after 4.2 s, sshd-rig.md 2b).
// sshd: CountMax 0 disables the check (probes are sent, nobody is ever dropped).
// ssh: CountMax 0 gives up at the very first check, i.e. after Interval seconds of server silence.

export interface KeepaliveValues {
  dialect: 'sshd' | 'ssh';
  /** ClientAliveInterval (sshd) / ServerAliveInterval (ssh), seconds; 0 = off. */
  interval: number;
  /** ClientAliveCountMax / ServerAliveCountMax. */
  countMax: number;
  tcpKeepAlive: boolean;
}

/** Seconds a silent peer is kept before the session is dropped, or null when nothing ever drops it. */
export function deadPeerSeconds(v: KeepaliveValues): number | null {
  if (v.interval <= 0) return null;
  if (v.dialect === 'sshd' && v.countMax <= 0) return null;
  return v.interval * (Math.max(v.countMax, 0) + 1);
}

export function explainKeepalive(v: KeepaliveValues): string {
  const s = deadPeerSeconds(v);
  const peer = v.dialect === 'sshd' ? 'client' : 'server';
  const iName = v.dialect === 'sshd' ? 'ClientAliveInterval' : 'ServerAliveInterval';
  const cName = v.dialect === 'sshd' ? 'ClientAliveCountMax' : 'ServerAliveCountMax';
  if (s === null) {
    const why = v.interval <= 0 ? `${iName} 0` : `${cName} 0 disables the check`;
    return v.tcpKeepAlive
      ? `No SSH-level keepalive (${why}): a vanished ${peer} is only noticed by TCP keepalive, typically after about 2 hours.`
      : `No keepalive at all (${why}, TCPKeepAlive no): a vanished ${peer} is never noticed; the session hangs until something is written.`;
  }
  const probes = v.countMax > 0 ? `a probe every ${v.interval} s, giving up after ${v.countMax} unanswered` : `no probe: giving up at the first ${v.interval} s of silence`;
  return `Idle sessions are dropped after ~${s} s without an answer from the ${peer} (${probes}).`;
}
