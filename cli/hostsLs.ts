// `linger ls --hosts all` (-H): this host and every other host of the ssh config, asked in
// parallel; one host that cannot be reached is one line with its reason and does not hold up or
// hide the others. JSON: one array; each job record has `host` (null = this host); a host that
// could not be asked is an element {"host": H, "unreachable": true, "status": "unreachable" |
// "refused", "reason": "…"} (refused: its agent is newer than ours).
import type { Engine } from '../core/jobs/engine';
import type { HostPool } from '../core/hosts/pool';
import { listHosts } from '../core/hosts/hostList';
import { ListRequest, type ListResult } from '../core/protocol';
import { out } from './command';
import { hostsTable, type HostListing } from './format';
import { termSafe, termSafeText } from './escape';

export async function lsAllHosts(e: Engine, pool: HostPool, configFile: string | null, o: { all: boolean; json: boolean }): Promise<number> {
  const hosts = listHosts({ configFile });
  const listings = await Promise.all(hosts.map(async (h): Promise<HostListing & { name: string | null }> => {
    const label = h.name ?? 'this host';
    try {
      if (h.name === null) {
        const { jobs, unreadable } = e.listDetailed();
        for (const b of unreadable) process.stderr.write(`linger: warning: job ${termSafe(b.id)} is unreadable (${termSafeText(b.problem)}); skipped\n`);
        const foreign = o.all ? await e.foreign(() => {}) : [];
        return { name: null, host: label, jobs, foreign };
      }
      const r = await pool.request<ListResult>(h.name, ListRequest.method, { all: o.all });
      return { name: h.name, host: label, jobs: r.jobs, foreign: r.foreign };
    } catch (err) {
      // The pool's status has the reason without the "h2 is unreachable:" the message adds.
      const st = h.name === null ? null : pool.status(h.name);
      const why = st && (st.kind === 'unreachable' || st.kind === 'refused') ? st.reason : err instanceof Error ? err.message.split('\n')[0]! : String(err);
      return { name: h.name, host: label, problem: why, kind: st?.kind === 'refused' ? 'refused' : 'unreachable' };
    }
  }));
  if (o.json) {
    const all: unknown[] = [];
    for (const l of listings) {
      if ('problem' in l) all.push({ host: l.name, unreachable: true, status: l.kind, reason: l.problem });
      else {
        for (const j of l.jobs) all.push({ ...j, host: l.name });
        for (const f of l.foreign) all.push({ foreign: true, host: l.name, ...f });
      }
    }
    out(JSON.stringify(all));
  } else out(hostsTable(listings));
  // A host that could not be asked is reported in the output, not as a failure of the command.
  return 0;
}
