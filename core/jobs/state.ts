// The job's state as a tagged union (as pueue's task status): one kind per state, carrying only
// what that state has. On the wire and on disk a JobRecord keeps the flat fields `state`,
// `exitCode`, `signal`, `endedAt` (what `linger ls --json` prints and scripts read); jobState()
// and setState() are the only translation between the two, and every consumer (engine, CLI,
// extension) asks these functions instead of reading the flat fields in its own way.
import { constants as osConstants } from 'node:os';
import type { JobRecord } from './types';
import { UserError } from './errors';

/**
 * running: the job's processes exist (`pid` is null while it is starting: the backend has it,
 * the wrapper has not reported the job's own process yet).
 * exited / killed: the wrapper recorded how it ended. lost: its processes are gone and nothing
 * was recorded (host reboot, SIGKILL of the wrapper).
 */
export type JobState =
  /**
   * queued: not started yet. Slurm: the controller has it pending. Other backends: it waits in
   * Linger's own queue (record.queue says for what: a dependency, a group slot, a paused group).
   * start is when it was submitted.
   */
  | { kind: 'queued'; start: string }
  | { kind: 'running'; start: string; pid: number | null }
  /**
   * ambiguous: the code is above 128 and the host could not tell an exit with it from a death by
   * signal code-128 (record.exitAmbiguous): said, not guessed.
   */
  | { kind: 'exited'; start: string; end: string; code: number; ambiguous?: boolean }
  | { kind: 'killed'; start: string; end: string; signal: string }
  | { kind: 'lost'; start: string; end: string; reason: string }
  /**
   * cancelled: it never ran because a dependency did not end as required ("dependency j-12
   * exited 1"), transitively. start is when it was submitted, end when the queue gave up on it.
   */
  | { kind: 'cancelled'; start: string; end: string; reason: string };

export type JobStateKind = JobState['kind'];
/** Every kind; a record whose state is none of these is not a job record (store.ts). */
export const JOB_STATE_KINDS: readonly JobStateKind[] = ['queued', 'running', 'exited', 'killed', 'lost', 'cancelled'];

const DEFAULT_LOST_REASON = 'its processes vanished without recording an exit status';

export function jobState(r: JobRecord): JobState {
  const start = r.startedAt;
  const end = r.endedAt ?? r.startedAt;
  switch (r.state) {
    case 'queued': return { kind: 'queued', start };
    case 'running': return { kind: 'running', start, pid: r.pid };
    case 'exited': return { kind: 'exited', start, end, code: r.exitCode ?? 0, ...(r.exitAmbiguous ? { ambiguous: true } : {}) };
    case 'killed': return { kind: 'killed', start, end, signal: r.signal ?? 'SIGKILL' };
    case 'lost': return { kind: 'lost', start, end, reason: r.lostReason ?? DEFAULT_LOST_REASON };
    case 'cancelled': return { kind: 'cancelled', start, end, reason: r.cancelReason ?? 'a dependency did not end as required' };
    default: return assertNever(r.state);
  }
}

/** Writes a state into the record's flat fields (the wire and disk form). */
export function setState(r: JobRecord, s: JobState): void {
  r.state = s.kind;
  r.exitCode = s.kind === 'exited' ? s.code : null;
  r.signal = s.kind === 'killed' ? s.signal : null;
  r.endedAt = s.kind === 'running' || s.kind === 'queued' ? null : s.end;
  if (s.kind === 'running') r.pid = s.pid;
  if (s.kind === 'lost') r.lostReason = s.reason; else delete r.lostReason;
  if (s.kind === 'cancelled') r.cancelReason = s.reason; else delete r.cancelReason;
  if (s.kind === 'exited' && s.ambiguous) r.exitAmbiguous = true; else delete r.exitAmbiguous;
}

export function isRunning(r: Pick<JobRecord, 'state'>): boolean { return r.state === 'running'; }
/** Running, but the wrapper has not reported the job's own process yet (a slow start): shown as starting, never as failed or lost. */
// A Slurm job's pid lives on its compute node: running there is Slurm's word, not a pid.
export function isStarting(r: Pick<JobRecord, 'state' | 'pid'> & { backend?: JobRecord['backend'] }): boolean { return r.state === 'running' && r.pid === null && r.backend !== 'slurm'; }
export function isFinished(r: Pick<JobRecord, 'state'>): boolean { return r.state !== 'running' && r.state !== 'queued'; }
/**
 * A job the user would want to hear about: lost, killed, a non-zero exit, or cancelled. A
 * cancelled job did not fail by itself (its dependency did), but the work it stands for was not
 * done, and a plan of twenty jobs that silently did half is what the user must hear about;
 * `isCancelled` tells the two apart (a notification can name the dependency instead).
 */
export function failed(r: Pick<JobRecord, 'state' | 'exitCode'>): boolean {
  return r.state === 'lost' || r.state === 'killed' || r.state === 'cancelled' || (r.state === 'exited' && r.exitCode !== 0);
}
export function isCancelled(r: Pick<JobRecord, 'state'>): boolean { return r.state === 'cancelled'; }
/** Waiting in Linger's own queue (not Slurm's): a dependency, a group slot, a paused group. */
export function isQueuedHere(r: Pick<JobRecord, 'state' | 'backend'>): boolean { return r.state === 'queued' && r.backend !== 'slurm'; }

/** The exit status a shell would give: the code, 128+N for signal N; null while queued/running, lost or cancelled. */
export function exitStatus(r: JobRecord): number | null {
  const s = jobState(r);
  switch (s.kind) {
    case 'exited': return s.code;
    case 'killed': return 128 + (signalNumber(s.signal) ?? 9);
    case 'queued': case 'running': case 'lost': case 'cancelled': return null;
    default: return assertNever(s);
  }
}

const SIGNALS = osConstants.signals as Readonly<Record<string, number>>;

export function signalNumber(name: string): number | null { return SIGNALS[name] ?? null; }
export function signalName(n: number): string | null { return Object.keys(SIGNALS).find((k) => SIGNALS[k] === n) ?? null; }

/** 'TERM', 'sigterm', '15' → 'SIGTERM'. */
export function normalizeSignal(s: string): string {
  if (/^\d+$/.test(s)) {
    const name = signalName(+s);
    if (name) return name;
  } else {
    const up = s.toUpperCase();
    const name = up.startsWith('SIG') ? up : `SIG${up}`;
    if (name in SIGNALS) return name;
  }
  throw new UserError(`unknown signal: ${s}`);
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
