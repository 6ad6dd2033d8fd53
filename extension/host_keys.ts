// How a job is named across hosts inside the extension: job ids are unique per host only, so the
// views, terminals and workspaceState key a job by host + id. A job on this host keeps its bare id
// as key, so what earlier versions remembered (attach terminals, "seen running") still matches.
// Pure: no vscode import (unit-tested).
import type { HostInfo, HostStatus } from '../core/hosts/types';
import type { JobRecord } from '../core/protocol';

/** null = this host. */
export type HostName = string | null;

/** Job ids are [0-9a-z]{10} (core/jobs/ids.ts): '@' cannot occur in one, so the split is unambiguous. */
export function jobKey(host: HostName | undefined, id: string): string {
  return host ? `${id}@${host}` : id;
}

export function keyOf(job: Pick<JobRecord, 'id' | 'host'>): string {
  return jobKey(job.host ?? null, job.id);
}

export function parseKey(key: string): { id: string; host: HostName } {
  const at = key.indexOf('@');
  return at < 0 ? { id: key, host: null } : { id: key.slice(0, at), host: key.slice(at + 1) };
}

export function sameHost(a: HostName | undefined, b: HostName | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

export const THIS_HOST: HostInfo = { name: null, label: 'this host', source: 'local', status: { kind: 'local' } };

/** One line for the view and pickers: "connected", "unreachable: Connection timed out"… */
export function statusText(s: HostStatus): string {
  switch (s.kind) {
    case 'local': return '';
    case 'idle': return 'not connected';
    case 'connecting': return 'connecting…';
    case 'connected': return 'connected';
    case 'unreachable': return `unreachable: ${s.reason}`;
    case 'refused': return `refused: ${s.reason}`;
  }
}
