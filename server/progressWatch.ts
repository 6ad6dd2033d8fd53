// Progress for the view, only while someone looks (linger/watchProgress): while the view is
// visible, every PROGRESS_PUSH_MS the running jobs' logs are read for what they grew by
// (ProgressTracker) and, when some job's progress changed, the list is sent again with it. Hidden,
// nothing is read and records carry no progress (what they would carry would be stale).
import type { Engine } from '../core/jobs/engine';
import { compilePatterns, type ProgressPattern } from '../core/jobs/progress';
import type { ProgressTracker } from '../core/jobs/progressReader';
import type { JobRecord } from '../core/jobs/types';
import { PROGRESS_PUSH_MS } from '../core/protocol';

export class ProgressWatch {
  private tracker: ProgressTracker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private patterns: ProgressPattern[] = [];
  private jobs: readonly JobRecord[] = [];
  /** No list yet (the view's visibility can arrive before the first one): nothing to re-send. */
  private listedOnce = false;

  /** onChange: send the list again (decorate() gives it its progress). */
  constructor(private readonly engine: () => Engine, private readonly onChange: () => void, private readonly intervalMs = PROGRESS_PUSH_MS) {}

  get watching(): boolean { return this.tracker !== null; }

  setVisible(visible: boolean): void {
    if (visible === this.watching) return;
    if (!visible) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      this.tracker = null;
      if (this.listedOnce) this.onChange();
      return;
    }
    this.tracker = this.engine().progressTracker(compilePatterns(this.patterns).patterns);
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    // Shown at once, not a period later.
    this.tracker.update(this.jobs);
    if (this.listedOnce) this.onChange();
  }

  setPatterns(p: ProgressPattern[]): void {
    if (JSON.stringify(p) === JSON.stringify(this.patterns)) return;
    this.patterns = p;
    if (this.tracker) { this.tracker.setPatterns(compilePatterns(p).patterns); this.tick(); }
  }

  /** The engine changed (another state dir): offsets into the old one's logs mean nothing. */
  engineChanged(): void {
    if (!this.tracker) return;
    this.tracker = this.engine().progressTracker(compilePatterns(this.patterns).patterns);
  }

  /** A fresh list from the engine: read its running jobs' progress (when watching). */
  listed(jobs: readonly JobRecord[]): void {
    this.jobs = jobs;
    this.listedOnce = true;
    this.tracker?.update(jobs);
  }

  /** The records as they are sent: with progress while watching, without otherwise. */
  decorate(jobs: readonly JobRecord[]): JobRecord[] {
    return this.tracker ? this.tracker.attach(jobs) : jobs.map((j) => j);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tracker = null;
  }

  private tick(): void {
    if (this.tracker?.update(this.jobs) && this.listedOnce) this.onChange();
  }
}
