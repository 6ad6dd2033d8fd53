// A Slurm job's record brought up to date from one poll snapshot, the wrapper's exit record and
// Slurm's notes in our slurm.out. Order of trust: the controller's own state while it still
// knows the job; then accounting; then what Slurm wrote into our output file (the time limit,
// OOM and cancel notices); then our exit record. A job that left the queue with none of these
// becomes lost after a grace period (shared file systems lag): never `running` forever.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { isLive, type JobRecord, type SlurmInfo, type SlurmTask } from '../types';
import type { Snapshot } from './poll';
import { parseExitStatus } from '../exitStatus';
import { baseState, decodeExitRecord, type OwnExit, expandArraySpec, fromWaitStatus, rowTasks, slurmJobName, verdict, type QueueRow, type Verdict } from './state';

/** How long a job may be gone from the queue with no word on its end before it is lost. */
export const GONE_GRACE_MS = 60_000;

export function signalName(n: number | null): string | null {
  if (!n) return null;
  const sigs = osConstants.signals as Record<string, number>;
  return Object.keys(sigs).find((k) => sigs[k] === n) ?? `SIG${n}`;
}

/**
 * Slurm's final word as slurmstepd writes it into the job's output file, e.g.
 * "slurmstepd-vm: error: *** JOB 12 ON vm CANCELLED AT 2026-12-07T19:45:27 DUE TO TIME LIMIT ***".
 */
export function notesVerdict(text: string): string | null {
  if (/\bDUE TO TIME LIMIT\b/.test(text)) return 'TIMEOUT';
  if (/\boom-kill event|\bOut Of Memory\b/i.test(text)) return 'OUT_OF_MEMORY';
  if (/\bDUE TO NODE FAIL/.test(text)) return 'NODE_FAIL';
  if (/\bDUE TO PREEMPTION\b/.test(text)) return 'PREEMPTED';
  if (/\*\*\* JOB \S+ ON \S+ CANCELLED AT /.test(text)) return 'CANCELLED';
  return null;
}

function readText(p: string, max = 64 * 1024): string {
  try { const b = readFileSync(p); return b.subarray(Math.max(0, b.length - max)).toString('utf8'); } catch { return ''; }
}
/** The wrapper's exit record ("code N", "signal N", or a bare status from older wrappers). */
function readOwn(p: string): OwnExit | null {
  // existsSync first: most polls find no exit record, and a thrown ENOENT costs more than a stat.
  if (!existsSync(p)) return null;
  let text: string;
  try { text = readFileSync(p, 'latin1').split('\n')[0]; } catch { return null; }
  const st = parseExitStatus(text);
  if (!st) return null;
  if (st.kind === 'code') return { exitCode: st.code, signal: null };
  if (st.kind === 'signal') return { exitCode: null, signal: st.signal };
  return decodeExitRecord(st.status);
}

export interface SlurmInternal { slurmGoneSince?: number | null }

/** Applies the snapshot to the record; true when the stored record should be rewritten. */
export function settleSlurm(r: JobRecord, internal: SlurmInternal, dir: string, snap: Snapshot): boolean {
  const info = r.slurm as SlurmInfo;
  if (info.options?.array !== undefined) return settleArray(r, internal, dir, snap);
  const key = () => `${r.state}\0${info.state}\0${info.reason}\0${info.node}\0${info.limit}\0${internal.slurmGoneSince ?? ''}`;
  const before = key();
  const exitPath = join(dir, 'exit');
  // Read only when an end is in sight: a queued or running row does not need it (one stat per
  // job per poll saved, which adds up over hundreds of queued jobs).
  let exitCache: OwnExit | null | undefined;
  const exitRec = (): OwnExit | null => (exitCache === undefined ? (exitCache = readOwn(exitPath)) : exitCache);
  const endTime = (): string => {
    try { return new Date(statSync(exitPath).mtimeMs).toISOString(); } catch { return new Date().toISOString(); }
  };
  const apply = (v: Verdict, slurmState: string | null) => {
    r.state = v.state;
    info.state = slurmState;
    info.reason = v.reason;
    if (v.state === 'cancelled') r.cancelReason = `${r.queue?.after.length ? `dependency ${r.queue.after.join(', ')}` : 'a dependency'} did not end as required (Slurm: ${v.reason ?? 'DependencyNeverSatisfied'})`;
    if (v.final) {
      r.exitCode = v.state === 'exited' ? v.exitCode : null;
      r.signal = v.state === 'killed' ? signalName(v.signal) : null;
      r.endedAt = endTime();
    }
  };
  if (!snap.queue) {
    // The controller did not answer: keep what we knew, say it is stale, write nothing.
    info.stale = true;
    return false;
  }
  info.stale = false;
  // A record whose sbatch answer was never stored (the process died right after submitting) is
  // found again by the job name we gave it.
  if (!info.jobId) for (const q of snap.queue.values()) if (q.name === slurmJobName(r.id)) { info.jobId = q.jobId; r.session = q.jobId; }
  const row = info.jobId ? snap.queue.get(info.jobId) : undefined;
  if (row) {
    internal.slurmGoneSince = null;
    info.node = row.node; info.elapsed = row.elapsed; info.limit = row.limit; info.partition = row.partition;
    let v = verdict(row.state, row.reason, fromWaitStatus(row.waitStatus), null);
    if (v.final) v = verdict(row.state, row.reason, fromWaitStatus(row.waitStatus), exitRec());
    apply(v, row.state);
  } else {
    const acct = snap.acct.get(info.jobId);
    const av = acct ? verdict(acct.state, acct.reason, { exitCode: acct.exitCode, signal: acct.signal }, exitRec(), true) : null;
    if (acct && av?.final) {
      info.node = acct.node ?? info.node; info.elapsed = acct.elapsed ?? info.elapsed;
      apply(av, acct.state.split(/\s+/)[0]);
    } else {
      const note = notesVerdict(readText(join(dir, 'slurm.out')));
      const exitRecord = exitRec();
      if (note) {
        apply(verdict(note, null, { exitCode: null, signal: null }, exitRecord, true), note);
      } else if (exitRecord !== null) {
        const d = exitRecord;
        apply(d.signal ? { state: 'killed', exitCode: null, signal: d.signal, reason: null, final: true }
          : { state: 'exited', exitCode: d.exitCode, signal: null, reason: null, final: true }, d.signal ? 'FAILED' : d.exitCode ? 'FAILED' : 'COMPLETED');
      } else {
        const since = internal.slurmGoneSince ?? Date.now();
        internal.slurmGoneSince = since;
        if (Date.now() - since >= GONE_GRACE_MS) {
          apply({ state: 'lost', exitCode: null, signal: null, reason: 'left the Slurm queue without an exit record', final: true }, info.state);
        }
      }
    }
  }
  return key() !== before;
}

const unknown = (state: SlurmTask['state']): Verdict => ({ state, exitCode: null, signal: null, reason: null, final: false });

/** One task of an array, by the same order of trust as a plain job, in its own task-N dir. */
function taskVerdict(jobId: string, t: string, dir: string, row: QueueRow | undefined, snap: Snapshot, old: SlurmTask | undefined, arrayGoneLong: boolean): { v: Verdict; slurmState: string | null; node: string | null; rawId?: string } {
  const exitPath = join(dir, `task-${t}`, 'exit');
  let node = old?.node ?? null;
  if (row) {
    let v = verdict(row.state, row.reason, fromWaitStatus(row.waitStatus), null);
    if (v.final) v = verdict(row.state, row.reason, fromWaitStatus(row.waitStatus), readOwn(exitPath));
    // The pending range row names no node; a started task's row does.
    const started = /^\d+$/.test(row.arrayTaskId ?? '');
    if (row.node && started) node = row.node;
    // A started task's row carries its own job id (squeue's JobID is unique per array element).
    return { v, slurmState: row.state, node, ...(started ? { rawId: row.jobId } : {}) };
  }
  const acct = snap.acct.get(`${jobId}_${t}`);
  if (acct) {
    const av = verdict(acct.state, acct.reason, { exitCode: acct.exitCode, signal: acct.signal }, readOwn(exitPath), true);
    if (av.final) return { v: av, slurmState: baseState(acct.state), node: acct.node ?? node };
  }
  const rec = readOwn(exitPath);
  const note = notesVerdict(readText(join(dir, `slurm-${t}.out`)));
  if (note) return { v: verdict(note, null, { exitCode: null, signal: null }, rec, true), slurmState: note, node };
  if (rec !== null) {
    const d = rec;
    return { v: d.signal ? { state: 'killed', exitCode: null, signal: d.signal, reason: null, final: true } : { state: 'exited', exitCode: d.exitCode, signal: null, reason: null, final: true }, slurmState: d.signal || d.exitCode ? 'FAILED' : 'COMPLETED', node };
  }
  if (arrayGoneLong) return { v: { state: 'lost', exitCode: null, signal: null, reason: 'left the Slurm queue without an exit record', final: true }, slurmState: old?.slurmState ?? null, node };
  return { v: unknown(old?.state ?? 'queued'), slurmState: old?.slurmState ?? null, node };
}

/**
 * A job array: each task settled on its own, the record summing them up: queued while every
 * live task is, running while any task is left, then exited 0 when all did, else the first
 * task (by id) that did not: its state, code or signal, and Slurm's reason.
 */
export function settleArray(r: JobRecord, internal: SlurmInternal, dir: string, snap: Snapshot): boolean {
  const info = r.slurm as SlurmInfo;
  const before = JSON.stringify([r.state, info.state, info.reason, info.node, info.tasks ?? null, internal.slurmGoneSince ?? null]);
  if (!snap.queue) { info.stale = true; return false; }
  info.stale = false;
  const ids = expandArraySpec(info.options.array ?? '') ?? [];
  const rows = snap.arrayRows.get(info.jobId) ?? [];
  const byTask = new Map<string, QueueRow>();
  for (const row of rows) for (const t of rowTasks(row)) byTask.set(t, row);
  if (rows.length) internal.slurmGoneSince = null;
  else internal.slurmGoneSince = internal.slurmGoneSince ?? Date.now();
  const goneLong = !rows.length && Date.now() - (internal.slurmGoneSince ?? Date.now()) >= GONE_GRACE_MS;
  const prev = new Map((info.tasks ?? []).map((t) => [t.task, t]));
  const tasks: SlurmTask[] = ids.map((t) => {
    const old = prev.get(t);
    if (old && !isLive(old.state)) return old;
    const { v, slurmState, node, rawId } = taskVerdict(info.jobId, t, dir, byTask.get(t), snap, old, goneLong);
    return {
      task: t, jobId: rawId ?? old?.jobId ?? null, state: v.state, slurmState, reason: v.reason, node,
      exitCode: v.final && v.state === 'exited' ? v.exitCode : null, signal: v.final && v.state === 'killed' ? signalName(v.signal) : null,
    };
  });
  info.tasks = tasks;
  const live = tasks.filter((t) => isLive(t.state));
  if (live.length) {
    const running = tasks.filter((t) => t.state === 'running');
    r.state = running.length || live.length < tasks.length ? 'running' : 'queued';
    info.state = r.state === 'queued' ? 'PENDING' : 'RUNNING';
    info.reason = r.state === 'queued' ? live[0].reason : null;
    info.node = running[0]?.node ?? info.node;
  } else {
    const bad = tasks.find((t) => t.state !== 'exited' || t.exitCode !== 0);
    r.state = bad ? bad.state : 'exited';
    r.exitCode = bad ? bad.exitCode : 0;
    r.signal = bad ? bad.signal : null;
    info.state = bad?.slurmState ?? 'COMPLETED';
    info.reason = bad?.reason ?? null;
    r.endedAt = new Date().toISOString();
  }
  return JSON.stringify([r.state, info.state, info.reason, info.node, info.tasks, internal.slurmGoneSince ?? null]) !== before;
}
