// Signalling a job: its process group and everything in its session (found in the process
// table, so grandchildren that trap TERM or changed group are included), the grace period, then
// SIGKILL. What the kill did to the job's state is not decided here: the wrapper records the end
// (or kill records it in the wrapper's place, engine.ts) and deriveState reads it.
import { argvHolders, isAlive, members } from './proc';
import { proveWrapper } from './proof';
import { UserError } from './errors';
import { START_TIMEOUT_MS } from './derive';
import { isRunning } from './state';
import type { StoredJob } from './store';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface KillPlan {
  signal: string;
  graceMs: number;
  onProgress?: (remainingMs: number) => void;
  /** Called once the processes to signal are proven to be the job's, before the first signal. */
  onProven?: () => void;
}

/**
 * Signals the job and waits until its processes are gone; resolves with the last signal sent.
 * `current` derives the job's state afresh (deriveState, not written).
 */
export async function signalJob(job: StoredJob, dir: string, current: () => StoredJob, plan: KillPlan): Promise<{ lastSignal: string; wpid: number | null }> {
  const { signal: sig, graceMs } = plan;
  const r = job.record;
  // The job's session: the wrapper running the command leads it (pgid == sid == wrapper pid).
  // A job started a moment ago may not have it yet: wait for it (until it is known, or the job
  // ended or was found lost), or its session could be created after we looked and escape the kill.
  let j = current();
  for (const t = Date.now() + START_TIMEOUT_MS; !j.record.pgid && isRunning(j.record) && Date.now() < t;) {
    await sleep(5);
    j = current();
  }
  let wpid = j.record.pgid;
  if (!wpid && r.backend === 'setsid' && !j.internal.leaderPid) {
    // A setsid start slower than that wait: the wrapper has not even recorded its session (no
    // opid), so nothing below would reach it and it would run the job after we recorded it
    // killed. It has not run anything yet: end it (the process started as `sh WRAP DIR script`),
    // once proven ours.
    for (const p of argvHolders(dir)) {
      if (proveWrapper(p, dir, null, false).ok) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    }
  }
  // setsid: the outer wrapper (Node's spawn, or opid as deriveState reads it).
  let outer = r.backend === 'setsid' ? j.internal.leaderPid : null;
  // The record is data: the processes it names are signalled only once proven to be this
  // job's wrappers (never pid/pgid <= 1, never us, never a reused pid or a stranger).
  const startOf = (pid: number): number | null => (j.internal.leaderPid === pid ? j.internal.leaderStart : null);
  const refuse = (pid: number, why: string): never => {
    throw new UserError(`job ${r.id}: pid ${pid} named by its record is not this job's process (${why}); nothing signalled`, 'failed');
  };
  if (wpid !== null) {
    const p = proveWrapper(wpid, dir, startOf(wpid), true);
    // A wrapper that is simply gone leaves nothing to signal (refresh settles the record).
    if (!p.ok) { if (isAlive(wpid) || wpid <= 1) refuse(wpid, p.why); wpid = null; }
  }
  if (outer !== null) {
    const p = proveWrapper(outer, dir, startOf(outer), true);
    if (!p.ok) { if (isAlive(outer) || outer <= 1) refuse(outer, p.why); outer = null; }
  }
  plan.onProven?.();
  const groups = wpid ? [wpid] : outer ? [outer] : [];
  // The wrapper traps these with a no-op so it can record the end: it is spared until SIGKILL.
  const trapped = sig === 'SIGTERM' || sig === 'SIGHUP' || sig === 'SIGINT';
  const self = process.pid;
  const send = (s: string, includeWrapper: boolean, ids: number[]) => {
    for (const p of members(ids)) {
      if (p.pid <= 1 || p.pid === self || (!includeWrapper && p.pid === wpid)) continue;
      try { process.kill(p.pid, s); } catch { /* already gone */ }
    }
  };
  if (wpid && wpid > 1 && trapped) { try { process.kill(-wpid, sig); } catch { /* group gone */ } }
  send(sig, sig === 'SIGKILL', groups);
  const deadline = Date.now() + graceMs;
  let escalated = sig === 'SIGKILL';
  for (;;) {
    const left = members(groups);
    if (!left.length) break;
    if (Date.now() >= deadline) {
      if (!escalated) { escalated = true; send('SIGKILL', true, groups); }
      else if (Date.now() >= deadline + 3000) break;
    }
    plan.onProgress?.(Math.max(0, deadline - Date.now()));
    await sleep(50);
  }
  if (outer) {
    // setsid: script and the log pump finish by themselves once the job's session is gone.
    const t = Date.now() + 1000;
    while (members([outer]).length && Date.now() < t) await sleep(20);
    send('SIGKILL', true, [outer]);
  }
  return { lastSignal: escalated ? 'SIGKILL' : sig, wpid };
}
