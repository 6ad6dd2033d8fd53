// Plain-words keepalive explanations shared by the analysis, the LSP hover and `linger doctor`.
// (Initial version; the config-analysis work owns and refines this file.)

export interface KeepaliveValues {
  dialect: 'sshd' | 'ssh';
  /** ClientAliveInterval (sshd) / ServerAliveInterval (ssh), seconds; 0 = off. */
  interval: number;
  /** ClientAliveCountMax / ServerAliveCountMax. */
  countMax: number;
  tcpKeepAlive: boolean;
}

/** Seconds a dead peer is kept before the session is dropped, or null when nothing ever drops it. */
export function deadPeerSeconds(v: KeepaliveValues): number | null {
  if (v.interval <= 0) return null;
  if (v.dialect === 'sshd' && v.countMax <= 0) return null;
  return v.interval * Math.max(v.countMax, 1);
}

export function explainKeepalive(v: KeepaliveValues): string {
  const s = deadPeerSeconds(v);
  if (s === null) {
    return v.tcpKeepAlive
      ? 'No SSH-level keepalive: a dead peer is only noticed by TCP keepalive (typically after about 2 hours).'
      : 'No keepalive at all: a dead peer is never noticed; the session hangs until something is written.';
  }
  return `Idle sessions are dropped after ~${s} s without an answer.`;
}
