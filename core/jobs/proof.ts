// "Is this pid the job's?" A record is data (corrupt, hand-edited or crafted): before any signal,
// the process it names must be proven to be the wrapper Linger started for this job, or a pgid
// of 1 becomes kill(-1) and a reused pid becomes someone else's process.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { euid } from './fsafe';
import { procStat } from './proc';

export interface Proof { ok: true; pid: number }
/** why: a clause about the process, e.g. "it belongs to uid 1000". */
export interface Refusal { ok: false; why: string }

function ownPgid(): number {
  return procStat(process.pid)?.pgid ?? -1;
}

/** The same job dir, also when reached by another spelling of the state dir (a link, ..). */
function sameDir(a: string, dir: string): boolean {
  if (a === dir) return true;
  if (!a.startsWith('/') || basename(a) !== basename(dir)) return false;
  try { return realpathSync(a) === realpathSync(dir); } catch { return false; }
}

function nulFields(path: string): string[] | null {
  try { return readFileSync(path, 'latin1').split('\0'); } catch { return null; }
}

/**
 * Proves pid is a live wrapper of the job in dir: not pid 0/1, not us or our group, owned by the
 * caller, its start time equal to the one recorded when it was seen first (when known), and the
 * job dir on its command line (`sh WRAP DIR MODE`) or in its environment (LINGER_D=DIR, the
 * wrapper sourced by script's shell). groupLeader: it must also lead its own process group, since
 * its pid is about to be used as a pgid.
 */
export function proveWrapper(pid: unknown, dir: string, start: number | null | undefined, groupLeader: boolean): Proof | Refusal {
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 1) return { ok: false, why: 'no job ever has a pid or group of 1 or less' };
  if (pid === process.pid || pid === ownPgid()) return { ok: false, why: 'it is this linger process itself' };
  const st = procStat(pid);
  if (!st || st.state === 'Z' || st.state === 'X') return { ok: false, why: 'it is not running' };
  let uid: number;
  try { uid = statSync(`/proc/${pid}`).uid; } catch { return { ok: false, why: 'it is not running' }; }
  if (uid !== euid()) return { ok: false, why: `it belongs to uid ${uid}, not you` };
  if (start != null && st.start !== start) return { ok: false, why: 'it started later than the job\'s wrapper (pid reused)' };
  const argv = nulFields(`/proc/${pid}/cmdline`) ?? [];
  const env = nulFields(`/proc/${pid}/environ`) ?? [];
  if (!argv.some((a) => sameDir(a, dir)) && !env.some((e) => e.startsWith('LINGER_D=') && sameDir(e.slice(9), dir))) {
    return { ok: false, why: 'its command line and environment do not name this job' };
  }
  if (groupLeader && st.pgid !== pid) return { ok: false, why: 'it does not lead a process group' };
  return { ok: true, pid };
}
