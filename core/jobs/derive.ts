// The job's state machine, as one pure function: what the record says, what the wrapper wrote
// (wrapper.ts) and what the process table shows → the record as it is now. run's wait for the
// pid, every read (refresh) and kill all go through it; none of them decides a state by itself.
import type { StoredJob } from './store';
import { setState } from './state';
import type { WrapperFiles } from './wrapper';

/** The part of the process table a state needs (proc.ts reads /proc; tests pass a fixture). */
export interface ProcessTable {
  /** Start time (clock ticks since boot) of the process, or null when there is none. */
  startTime(pid: number): number | null;
  /** Alive (not a zombie) and, when `start` is given, the same process (pid not reused). */
  isAlive(pid: number, start: number | null): boolean;
  /** Whether a live process has `dir` as an argv element (every backend starts `sh WRAP DIR MODE`). */
  holdsArg(dir: string): boolean;
}

/** How long a job whose leader is not known yet counts as starting rather than lost. */
export const START_TIMEOUT_MS = 5000;

export interface Derived { job: StoredJob; changed: boolean }

/**
 * Brings a running job up to date: fills the pids the wrapper reported, settles it from the
 * `exit` record, or calls it lost when the process bounding its life (the leader) is gone
 * without one. A finished job is returned as is: its record never changes again.
 * `now` is the time a lost job is recorded as ended.
 */
export function deriveState(job: StoredJob, files: WrapperFiles, procs: ProcessTable, now: number): Derived {
  if (job.record.state !== 'running') return { job, changed: false };
  const r = { ...job.record };
  const internal = { ...job.internal };
  let changed = false;
  if (r.pid === null && files.cpid) { r.pid = files.cpid; changed = true; }
  if (r.pgid === null && files.wpid) { r.pgid = files.wpid; changed = true; }
  if (!internal.leaderPid && r.backend === 'setsid' && files.opid) {
    // setsid: the leader is the outer wrapper (the session Node spawned), which writes opid
    // first thing; run does not rewrite job.json to record it.
    internal.leaderPid = files.opid; internal.leaderStart = procs.startTime(files.opid); changed = true;
  }
  if (r.backend === 'setsid' && !r.session && internal.leaderPid) { r.session = String(internal.leaderPid); changed = true; }
  if (!internal.leaderPid && r.pgid) { internal.leaderPid = r.pgid; internal.leaderStart = procs.startTime(r.pgid); changed = true; }
  const out = { record: r, internal };
  const exit = files.exit;
  if (exit) {
    const end = new Date(exit.at).toISOString();
    setState(r, exit.signal !== null
      ? { kind: 'killed', start: r.startedAt, end, signal: exit.signal }
      : { kind: 'exited', start: r.startedAt, end, code: exit.code, ...(exit.ambiguous ? { ambiguous: true } : {}) });
    return { job: out, changed: true };
  }
  const leader = internal.leaderPid;
  // No known leader past the grace: a wrapper that has not reported yet (a slow start, shown
  // "starting") is still alive if its process, started as `sh WRAP DIR MODE` by every backend,
  // is. One /proc scan, only on this path; otherwise it is lost.
  const alive = leader ? procs.isAlive(leader, internal.leaderStart)
    : now - Date.parse(r.startedAt) < START_TIMEOUT_MS * 2 || procs.holdsArg(files.dir);
  if (!alive) {
    setState(r, {
      kind: 'lost', start: r.startedAt, end: new Date(now).toISOString(),
      reason: leader ? 'its processes vanished without recording an exit status' : 'its wrapper never reported (the backend did not run it)',
    });
    return { job: out, changed: true };
  }
  return { job: changed ? out : job, changed };
}

/** Whether run's wait for the job's start is over: its pid is known, or it already ended. */
export function startSettled(d: Derived): boolean {
  const r = d.job.record;
  return r.state !== 'running' || (r.pid !== null && r.pgid !== null);
}
