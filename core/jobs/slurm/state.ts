// Slurm's words → Linger's job states. Pure: fed with squeue/sacct text and the wrapper's exit
// record, so it is unit-tested on output captured from a real slurmctld (test/fixtures/slurm).
import type { JobStateName } from '../types';

/** One line of our squeue call (see SQUEUE_FORMAT). */
export interface QueueRow {
  jobId: string;
  arrayJobId: string | null;
  arrayTaskId: string | null;
  state: string;
  reason: string | null;
  /** Raw wait status as squeue's exit_code prints it (code << 8 | signal), null when unknown. */
  waitStatus: number | null;
  node: string | null;
  elapsed: string | null;
  limit: string | null;
  partition: string | null;
  name: string;
}

/** One job line of `sacct -X -n -P` with SACCT_FIELDS. */
export interface AcctRow {
  jobId: string;
  name: string;
  state: string;
  exitCode: number | null;
  signal: number | null;
  node: string | null;
  elapsed: string | null;
  limit: string | null;
  reason: string | null;
}

/** squeue -O fields; '|' ends each one. Name last: it is the only free text (ours: linger-ID). */
export const SQUEUE_FORMAT = 'JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,Reason:|,exit_code:|,NodeList:|,TimeUsed:|,TimeLimit:|,Partition:|,Name:';
export const SACCT_FIELDS = 'JobID,JobName,State,ExitCode,NodeList,Elapsed,Timelimit,Reason';

const orNull = (s: string | undefined): string | null => {
  const t = (s ?? '').trim();
  return t === '' || t === 'N/A' || t === '(null)' || t === 'None' ? null : t;
};

export function parseQueue(text: string): QueueRow[] {
  const rows: QueueRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    if (f.length < 11) continue;
    const ws = /^\d+$/.test(f[5].trim()) ? +f[5].trim() : null;
    rows.push({
      jobId: f[0].trim(), arrayJobId: orNull(f[1]), arrayTaskId: orNull(f[2]), state: f[3].trim(), reason: orNull(f[4]),
      waitStatus: ws, node: orNull(f[6]), elapsed: orNull(f[7]), limit: orNull(f[8]), partition: orNull(f[9]),
      name: f.slice(10).join('|').replace(/\|$/, '').trim(),
    });
  }
  return rows;
}

export function parseAcct(text: string): AcctRow[] {
  const rows: AcctRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    if (f.length < 8) continue;
    const ec = /^(\d+):(\d+)$/.exec(f[3].trim());
    rows.push({
      jobId: f[0].trim(), name: f[1], state: f[2].trim(), exitCode: ec ? +ec[1] : null, signal: ec ? +ec[2] : null,
      node: orNull(f[4]), elapsed: orNull(f[5]), limit: orNull(f[6]), reason: orNull(f.slice(7).join('|')),
    });
  }
  return rows;
}

/** Slurm's state word without sacct decorations ("CANCELLED by 1001", "OUT_OF_ME+"). */
export function baseState(s: string): string { return s.trim().split(/\s+/)[0].replace(/\+$/, '').toUpperCase(); }

const QUEUED = new Set(['PENDING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'CONFIGURING']);
// Not final: a preempted job may be requeued, a completing one may still turn into TIMEOUT.
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'SUSPENDED', 'STOPPED', 'SIGNALING', 'STAGE_OUT', 'RESIZING', 'PREEMPTED']);
const LOST = new Set(['NODE_FAIL', 'BOOT_FAIL', 'PREEMPTED', 'REVOKED', 'SPECIAL_EXIT', 'LAUNCH_FAILED']);

export interface Verdict {
  state: JobStateName;
  exitCode: number | null;
  signal: number | null;
  /** Why, in Slurm's words (Priority, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL…), or null. */
  reason: string | null;
  /** True when this is the job's end (no later read may change it). */
  final: boolean;
}

/** How the job ended by our wrapper's own exit record: its code, or the signal that killed it. */
export interface OwnExit { exitCode: number | null; signal: number | null }

/** A bare status as sh reports it (older wrappers): 128+N for signal N. */
export function decodeExitRecord(rc: number): OwnExit {
  return rc > 128 && rc < 128 + 65 ? { exitCode: null, signal: rc - 128 } : { exitCode: rc, signal: null };
}

/**
 * One job's state from what Slurm says, while the job is still in the controller's memory
 * (`gone: false`) or from accounting once it left (`gone: true`: PREEMPTED is then final).
 * exitRecord: what our wrapper wrote, if it did (the job's own code; Slurm's kills skip it).
 */
export function verdict(slurmState: string, reason: string | null, code: { exitCode: number | null; signal: number | null }, own: OwnExit | null, gone = false): Verdict {
  const st = baseState(slurmState);
  // A dependency (--after → --dependency=afterok) that can never be satisfied: the job will never
  // run. Slurm keeps it pending unless SchedulerParameters has kill_invalid_depend (then it is
  // CANCELLED with this reason); either way it is our `cancelled`, final.
  if (reason === 'DependencyNeverSatisfied' && (QUEUED.has(st) || st === 'CANCELLED')) return { state: 'cancelled', exitCode: null, signal: null, reason, final: true };
  if (QUEUED.has(st)) return { state: 'queued', exitCode: null, signal: null, reason: reason ?? (st === 'PENDING' ? null : st), final: false };
  if (RUNNING.has(st) && !(gone && st === 'PREEMPTED')) {
    return { state: 'running', exitCode: null, signal: null, reason: st === 'RUNNING' ? reason : reason ? `${st} ${reason}` : st, final: false };
  }
  if (st === 'COMPLETED') return { state: 'exited', exitCode: own?.exitCode ?? code.exitCode ?? 0, signal: null, reason: null, final: true };
  if (st === 'FAILED') {
    if (own) return own.signal ? { state: 'killed', exitCode: null, signal: own.signal, reason: null, final: true } : { state: 'exited', exitCode: own.exitCode, signal: null, reason: null, final: true };
    if (code.signal) return { state: 'killed', exitCode: null, signal: code.signal, reason: null, final: true };
    // FAILED with code 0 is a launch failure (JobLaunchFailure…): nothing of ours ran to the end.
    if (code.exitCode) return { state: 'exited', exitCode: code.exitCode, signal: null, reason: null, final: true };
    return { state: 'lost', exitCode: null, signal: null, reason: reason ?? 'FAILED', final: true };
  }
  if (st === 'CANCELLED') return { state: 'killed', exitCode: null, signal: code.signal || own?.signal || 15, reason: 'CANCELLED', final: true };
  if (st === 'TIMEOUT' || st === 'DEADLINE') return { state: 'killed', exitCode: null, signal: code.signal || own?.signal || 15, reason: st, final: true };
  if (st === 'OUT_OF_MEMORY') return { state: 'killed', exitCode: null, signal: 9, reason: 'OUT_OF_MEMORY', final: true };
  if (LOST.has(st)) return { state: 'lost', exitCode: null, signal: null, reason: reason ? `${st} ${reason}` : st, final: true };
  // A state this code does not know: never call it final (nor success).
  return { state: 'running', exitCode: null, signal: null, reason: st, final: false };
}

/** squeue's exit_code is a raw wait status. */
export function fromWaitStatus(ws: number | null): { exitCode: number | null; signal: number | null } {
  if (ws === null) return { exitCode: null, signal: null };
  return { exitCode: (ws >> 8) & 0xff, signal: ws & 0x7f };
}

/** Our Slurm job name for a Linger job id: squeue/sacct output is filtered by it. */
export function slurmJobName(id: string): string { return `linger-${id}`; }

/** Most tasks an array may have here (the record lists each one). */
export const MAX_ARRAY_TASKS = 10_000;

/**
 * Task ids of an sbatch --array spec ("0-9%2", "1,3,5-7", "0-15:4"), in order; null when it is
 * not one or lists more than MAX_ARRAY_TASKS. The "%N" throttle does not change the set.
 */
export function expandArraySpec(spec: string): string[] | null {
  const body = spec.replace(/%\d+$/, '');
  if (!/^[0-9][0-9,:\-]*$/.test(body)) return null;
  const out = new Set<number>();
  for (const part of body.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!m) return null;
    const a = +m[1], b = m[2] === undefined ? a : +m[2], step = m[3] === undefined ? 1 : +m[3];
    if (b < a || step < 1) return null;
    for (let i = a; i <= b; i += step) { out.add(i); if (out.size > MAX_ARRAY_TASKS) return null; }
  }
  return [...out].sort((x, y) => x - y).map(String);
}

/**
 * The task a queue row stands for, or the pending range it still holds (squeue keeps the
 * not-yet-started tasks in one row: JobID "5_[2-3%2]", ArrayTaskID "2-3%2").
 */
export function rowTasks(row: QueueRow): string[] {
  const t = row.arrayTaskId;
  if (t === null) return [];
  if (/^\d+$/.test(t)) return [t];
  return expandArraySpec(t.replace(/^\[|\]$/g, '')) ?? [];
}
