// The multi-host model (issue 16): which hosts there are and how each one is reached right now.
// Everywhere (protocol params, JobRecord.host, HostInfo.name) a missing/null host means "this
// host": the machine the agent or CLI runs on. A remote host is named by its ssh_config alias (or
// a `linger.hosts` entry), exactly the word the user would give to `ssh`.
// Pure types: no node, no vscode imports.

/** Where a host entry came from. */
export type HostSource = 'local' | 'ssh_config' | 'setting';

/**
 * How a host is reached right now.
 * local: this host (no transport). connecting: ssh or the agent bootstrap is under way.
 * connected: a live agent answers over the user's ssh. unreachable: the last attempt failed or
 * the connection died (reason is for people: ssh's own last line, "no node on that host…").
 * refused: the host's agent is newer than ours; we do not touch it.
 */
export type HostStatus =
  | { kind: 'local' }
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected'; agentVersion: string }
  | { kind: 'unreachable'; reason: string; since: string }
  | { kind: 'refused'; reason: string };

export type HostStatusKind = HostStatus['kind'];

export interface HostInfo {
  /** ssh alias; null = this host. */
  name: string | null;
  /** What to show: the alias, or "this host (<hostname>)". */
  label: string;
  source: HostSource;
  status: HostStatus;
}
