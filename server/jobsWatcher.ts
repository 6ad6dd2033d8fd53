// Notices "some job changed" in the engine's state directory: fs.watch (recursive where the
// platform supports it) plus a cheap polling fingerprint as the fallback, because fs.watch misses
// events on some filesystems and cannot watch a directory that does not exist yet.
// Triggers are debounced; the caller decides whether anything really changed.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface JobsWatcherOptions {
  debounceMs?: number;
  pollMs?: number;
  /** Paths whose changes are not job changes (growing logs); checked on every event. */
  ignore?: (absPath: string) => boolean;
}

export class JobsWatcher {
  private watcher: fs.FSWatcher | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private lastFingerprint = '';
  private disposed = false;
  private readonly debounceMs: number;
  private readonly pollMs: number;

  constructor(readonly dir: string, private readonly onChange: () => void, private readonly opts: JobsWatcherOptions = {}) {
    this.debounceMs = opts.debounceMs ?? 150;
    this.pollMs = opts.pollMs ?? 2000;
  }

  start(): void {
    this.lastFingerprint = this.fingerprint();
    this.tryWatch();
    this.pollTimer = setInterval(() => this.poll(), this.pollMs);
    this.pollTimer.unref();
  }

  /** Schedule a change check now (e.g. right after our own run/kill). */
  poke(): void {
    if (this.disposed) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      if (!this.disposed) this.onChange();
    }, this.debounceMs);
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
  }

  private tryWatch(): void {
    if (this.watcher || this.disposed) return;
    const listener = (_event: string, filename: string | Buffer | null): void => {
      const name = filename ? filename.toString() : '';
      if (name && this.opts.ignore?.(path.join(this.dir, name))) return;
      this.poke();
    };
    for (const recursive of [true, false]) {
      try {
        const w = fs.watch(this.dir, { recursive, persistent: false }, listener);
        w.on('error', () => {
          // The directory went away (or the watch broke): fall back to polling until it is back.
          w.close();
          if (this.watcher === w) this.watcher = null;
          this.poke();
        });
        this.watcher = w;
        return;
      } catch {
        // recursive unsupported, or the directory does not exist yet: try the next option / poll.
      }
    }
  }

  private poll(): void {
    if (this.disposed) return;
    this.tryWatch();
    const fp = this.fingerprint();
    if (fp !== this.lastFingerprint) {
      this.lastFingerprint = fp;
      this.poke();
    }
  }

  /** Names, sizes and mtimes two levels deep: enough to see records appear, change or vanish. */
  private fingerprint(): string {
    const parts: string[] = [];
    const walk = (dir: string, depth: number): void => {
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { parts.push(`!${dir}`); return; }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (this.opts.ignore?.(p)) continue;
        try {
          const st = fs.statSync(p);
          parts.push(`${p}:${st.size}:${st.mtimeMs}`);
          if (e.isDirectory() && depth > 0) walk(p, depth - 1);
        } catch { /* vanished between readdir and stat */ }
      }
    };
    walk(this.dir, 1);
    return parts.sort().join('\n');
  }
}
