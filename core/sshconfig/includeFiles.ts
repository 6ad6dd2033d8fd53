// The file side of Include (servconf.c/readconf.c): glob(3) in byte order over a bounded number
// of directory listings, each target read and parsed once per analysis, and readconf.c's
// permission check on included files.
import type { AnalyzeOptions } from './api';
import type { Dialect } from './types';
import { defaultListDir, defaultReadFile, defaultStat, privateGroup } from './fsDefaults';
import { parseFile, type KeywordMemo, type ParsedFile } from './parse';
import { byteOrder, globSegment, hasGlobMagic } from './patterns';

export class IncludeFiles {
  private readonly cache = new Map<string, ParsedFile | null>();

  constructor(private readonly opts: AnalyzeOptions, private readonly dialect: Dialect, private readonly keywordMemo: KeywordMemo) {}

  /** The main document, so that an Include of it is seen as a cycle rather than read again. */
  remember(path: string, pf: ParsedFile): void {
    this.cache.set(path, pf);
  }

  /** The parsed file, read once per analysis; null when unreadable. */
  load(path: string): ParsedFile | null {
    const c = this.cache.get(path);
    if (c !== undefined) return c;
    const read = this.opts.readFile ?? defaultReadFile;
    const text = safe(() => read(path));
    const pf = text === undefined || text === null ? null : parseFile(path, text, this.dialect, this.keywordMemo);
    this.cache.set(path, pf);
    return pf;
  }

  /** readconf.c SSHCONF_CHECKPERM: someone other than the owner (or root) could edit `path`. */
  badPerms(path: string): boolean {
    const st = safe(() => (this.opts.statFile ?? defaultStat)(path));
    if (!st) return false;
    const me = typeof process.getuid === 'function' ? process.getuid() : 0;
    if ((st.uid !== 0 && st.uid !== me) || (st.mode & 0o002) !== 0) return true;
    // Debian's user-group-modes patch: group-writable is fine for a private group of the owner.
    return (st.mode & 0o020) !== 0 && !privateGroup(st.uid, st.gid);
  }

  // Directory listings left for Include globs: a hostile wildcard in every path segment must not walk the disk.
  private listBudget = 1000;
  /** The last glob() stopped early (budget spent or too many matches). */
  globTruncated = false;

  /** glob(3) for an absolute pattern; sorted in byte order; only existing entries. */
  glob(pattern: string): string[] {
    if (!pattern.startsWith('/')) return [];
    const list = this.opts.listDir ?? defaultListDir;
    const segs = pattern.split('/').filter((s, i) => s !== '' || i === 0);
    let cur = [''];
    for (let i = 1; i < segs.length; i++) {
      const seg = segs[i]!;
      const next: string[] = [];
      for (const dir of cur) {
        if (hasGlobMagic(seg)) {
          if (this.listBudget-- <= 0) { this.globTruncated = true; break; }
          const names = safe(() => list(dir === '' ? '/' : dir)) ?? undefined;
          if (!names) continue;
          for (const n of [...names].sort(byteOrder)) if (globSegment(n, seg)) next.push(`${dir}/${n}`);
        } else {
          next.push(`${dir}/${seg}`);
        }
      }
      cur = next;
      if (cur.length > 10000) { this.globTruncated = true; cur = cur.slice(0, 10000); }
    }
    // Existing entries only; a directory reads as an empty file (fopen works, getline fails).
    return cur.filter((p) => p !== '' && (this.load(p) !== null || (this.listBudget-- > 0 && safe(() => list(p)) !== undefined))).sort(byteOrder);
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
