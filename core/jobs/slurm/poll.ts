// One squeue call per refresh for all of our jobs (and one sacct call for those that have left
// the controller's memory), never one per job: Slurm's man pages ask clients not to loop on its
// commands. Results are reused for a while that grows while nothing changes.
import { firstError, runClient } from './commands';
import { parseAcct, parseQueue, SACCT_FIELDS, SQUEUE_FORMAT, type AcctRow, type QueueRow } from './state';

export interface Snapshot {
  at: number;
  /** null when the controller could not be asked (then error says why). */
  queue: Map<string, QueueRow> | null;
  error: string | null;
  /** Accounting rows for the job ids that were not in the queue; empty when there is no sacct. */
  acct: Map<string, AcctRow>;
  /** Job ids this snapshot asked accounting about (or found in the queue). */
  covered: Set<string>;
  /** Rows of each job array still in the queue, by the array's job id. */
  arrayRows: Map<string, QueueRow[]>;
}

export interface PollerOptions {
  /** First reuse window after a change (ms). */
  minIntervalMs?: number;
  /** Longest reuse window while nothing changes (ms). */
  maxIntervalMs?: number;
}

export class SlurmPoller {
  private last: Snapshot | null = null;
  private interval: number;
  private readonly minMs: number;
  private readonly maxMs: number;
  /** null = not known yet; false once sacct said accounting is off (asked once per process). */
  private acctAvailable: boolean | null = null;
  calls = { squeue: 0, sacct: 0 };

  constructor(o: PollerOptions = {}) {
    this.minMs = o.minIntervalMs ?? 1000;
    this.maxMs = o.maxIntervalMs ?? 16_000;
    this.interval = this.minMs;
  }

  /** Is accounting usable (null: not asked yet)? */
  get accounting(): boolean | null { return this.acctAvailable; }

  /** Forget the cached answer (an exit record appeared, the user acted): next get() asks again. */
  invalidate(): void { this.last = null; this.interval = this.minMs; }

  /** invalidate(), but at most once per ms: a caller in a tight loop does not hammer the controller. */
  invalidateIfOlder(ms: number): void { if (this.last && Date.now() - this.last.at >= ms) this.invalidate(); }

  /**
   * The state of these Slurm job ids. Reuses the last answer while it is younger than the
   * current interval and covers them; else one squeue call (+ one sacct call for ids not in it).
   */
  get(ids: string[]): Snapshot {
    const now = Date.now();
    const l = this.last;
    if (l && now - l.at < this.interval && ids.every((i) => l.covered.has(i))) return l;
    const snap = this.ask(ids);
    if (l && l.queue && snap.queue && sameQueue(l.queue, snap.queue)) this.interval = Math.min(this.maxMs, this.interval * 2);
    else this.interval = this.minMs;
    this.last = snap;
    return snap;
  }

  private ask(ids: string[]): Snapshot {
    this.calls.squeue++;
    const r = runClient('squeue', ['--me', '-h', '-t', 'all', '-O', SQUEUE_FORMAT]);
    const snap: Snapshot = { at: Date.now(), queue: null, error: null, acct: new Map(), covered: new Set(), arrayRows: new Map() };
    if (!r.ok) { snap.error = firstError(r); return snap; }
    snap.queue = new Map();
    // Array tasks are rows of their own ("5_0", "5_[2-3%2]"); the array's id stands for all of them.
    const arrays = new Set<string>();
    for (const row of parseQueue(r.stdout)) {
      if (!row.name.startsWith('linger-')) continue;
      snap.queue.set(row.jobId, row);
      if (row.arrayJobId && row.arrayTaskId !== null) { arrays.add(row.arrayJobId); snap.arrayRows.set(row.arrayJobId, [...(snap.arrayRows.get(row.arrayJobId) ?? []), row]); }
    }
    const missing = ids.filter((i) => !snap.queue!.has(i) && !arrays.has(i));
    for (const i of ids) snap.covered.add(i);
    if (missing.length && this.acctAvailable !== false) {
      this.calls.sacct++;
      const a = runClient('sacct', ['-X', '-n', '-P', '-o', SACCT_FIELDS, '-j', missing.join(',')]);
      if (a.ok) {
        this.acctAvailable = true;
        for (const row of parseAcct(a.stdout)) snap.acct.set(row.jobId, row);
      } else if (/accounting storage is disabled/i.test(a.stderr)) this.acctAvailable = false;
      // Any other failure (slurmdbd down): no accounting this time, ask again next time.
    }
    return snap;
  }
}

function sameQueue(a: Map<string, QueueRow>, b: Map<string, QueueRow>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.state !== v.state || w.reason !== v.reason || w.node !== v.node) return false;
  }
  return true;
}
