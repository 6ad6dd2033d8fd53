// Notices "some job changed" in the engine's state directory: fs.watch on the jobs directory and
// on each job's directory (two levels, not `recursive: true`: on Linux, Node 20 emulates that with
// one inotify watch per file, and inotify watches are a per-user budget VS Code needs too), plus a
// cheap polling fingerprint as the fallback, because fs.watch misses events on some filesystems
// and cannot watch a directory that does not exist yet.
// Triggers are debounced, with a bound: a steady stream of events (a file written every 100 ms that
// the ignore list does not know yet) must not postpone the check forever. The caller decides
// whether anything really changed.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface JobsWatcherOptions {
  debounceMs?: number;
  /** The longest a stream of events may postpone the check (default 4 × debounceMs). */
  maxWaitMs?: number;
  pollMs?: number;
  /** Paths whose changes are not job changes (growing logs); checked on every event. */
  ignore?: (absPath: string) => boolean;
}

export class JobsWatcher {
  private watcher: fs.FSWatcher | null = null;
  /** Per job directory (by name), non-recursive. */
  private children = new Map<string, fs.FSWatcher>();
  private pollTimer: NodeJS.Timeout | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  /** When the first poke of the pending check came: the check waits no longer than maxWaitMs from it. */
  private firstPokeAt: number | null = null;
  private lastFingerprint = '';
  private disposed = false;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly pollMs: number;

  constructor(readonly dir: string, private readonly onChange: () => void, private readonly opts: JobsWatcherOptions = {}) {
    this.debounceMs = opts.debounceMs ?? 150;
    this.maxWaitMs = opts.maxWaitMs ?? this.debounceMs * 4;
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
    const now = Date.now();
    this.firstPokeAt ??= now;
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstPokeAt + this.maxWaitMs - now));
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.firstPokeAt = null;
      if (!this.disposed) this.onChange();
    }, wait);
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    this.watcher = null;
    for (const w of this.children.values()) w.close();
    this.children.clear();
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
  }

  /** Number of fs watchers held (for tests). */
  get watcherCount(): number {
    return (this.watcher ? 1 : 0) + this.children.size;
  }

  private watchOne(dir: string, onGone: () => void): fs.FSWatcher | null {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, filename) => {
        const name = filename ? filename.toString() : '';
        if (name && this.opts.ignore?.(path.join(dir, name))) return;
        if (dir === this.dir) this.syncChildren();
        this.poke();
      });
      w.on('error', () => {
        // The directory went away (or the watch broke): polling covers until it is back.
        w.close();
        onGone();
        this.poke();
      });
      return w;
    } catch {
      return null; // does not exist (yet), or not a directory
    }
  }

  private tryWatch(): void {
    if (this.disposed) return;
    if (!this.watcher) {
      const w = this.watchOne(this.dir, () => { if (this.watcher === w) this.watcher = null; });
      this.watcher = w;
    }
    if (this.watcher) this.syncChildren();
  }

  /** One watcher per existing job directory; dropped when the directory goes. */
  private syncChildren(): void {
    if (this.disposed) return;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      names = [];
    }
    const want = new Set(names);
    for (const [name, w] of this.children) {
      if (!want.has(name)) { w.close(); this.children.delete(name); }
    }
    for (const name of want) {
      if (this.children.has(name)) continue;
      const w = this.watchOne(path.join(this.dir, name), () => {
        if (this.children.get(name) === w) this.children.delete(name);
      });
      if (w) this.children.set(name, w);
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
