// Duplicate tracking: OpenSSH keeps the first value of most keywords ("first value wins" guards)
// and ignores later lines in the same scope; a few keywords overwrite instead (lastWins). One
// instance per analysis; the diagnostics walk reports each ignored line.
import type { AddDiagnostic } from './diag';
import type { ParsedFile, ParsedLine } from './parse';
import type { Dialect, Token } from './types';

/**
 * Keyword ids per scope in duplicate tracking's number keys. Ids count the distinct keywords of
 * the tables (a few hundred), so they stay below this.
 */
const KEYWORD_SLOTS = 4096;

export class Duplicates {
  /**
   * Duplicate tracking: (scope, keyword) -> the line whose value wins there, keyed by
   * scopeId * KEYWORD_SLOTS + keywordId in an open-addressing table of typed arrays (their
   * storage lies outside the collected heap: no Map entry or object per line or per block).
   */
  private readonly seen: WinnerTable;
  /** Files that hold a winning line, by the index WinnerTable stores. */
  private seenFiles: ParsedFile[] = [];
  /** Duplicate scopes ('g', 'all', 'm:user x' …) as small numbers, walk-independent. */
  private scopeIds = new Map<string, number>();
  /** Keywords (canonical, lower case) as small numbers; one per table entry at most. */
  private keywordIds = new Map<string, number>();
  /** Lines whose value OpenSSH ignores (duplicates): no semantic warnings on them. */
  readonly ignored = new Set<number>();

  /** `expectedLines`: about how many winners to expect (sizes the table once). */
  constructor(private readonly dialect: Dialect, private readonly mainFile: string, private readonly add: AddDiagnostic, expectedLines: number) {
    this.seen = new WinnerTable(expectedLines);
  }

  private fileIndex(pf: ParsedFile): number {
    let i = this.seenFiles.indexOf(pf);
    if (i < 0) i = this.seenFiles.push(pf) - 1;
    return i;
  }

  /** The winning line under `key` (found by its file and line number), if any. */
  private seenLine(key: number): { pf: ParsedFile; pl: ParsedLine } | undefined {
    const slot = this.seen.find(key);
    if (slot < 0) return undefined;
    const pf = this.seenFiles[this.seen.fileAt(slot)]!;
    return { pf, pl: pf.lines[this.seen.lineAt(slot)]! };
  }

  scopeId(scope: string): number {
    let id = this.scopeIds.get(scope);
    if (id === undefined) {
      id = this.scopeIds.size;
      this.scopeIds.set(scope, id);
    }
    return id;
  }

  /**
   * A first-value keyword set on `pl` (in `scope`): a warning on the line OpenSSH ignores when an
   * earlier line in the same or a wider scope already set it (the earlier one for lastWins keywords).
   */
  check(pf: ParsedFile, pl: ParsedLine, kw: Token, canon: string, scope: string, scopeId: number, lastWins: boolean): void {
    let kwId = this.keywordIds.get(canon);
    if (kwId === undefined) {
      kwId = this.keywordIds.size;
      this.keywordIds.set(canon, kwId);
    }
    const key = scopeId * KEYWORD_SLOTS + kwId;
    let found = this.seenLine(key);
    if (!found && !lastWins) {
      const wider = this.dialect === 'sshd' ? 'all' : 'g';
      if (scope !== wider) found = this.seenLine(this.scopeId(wider) * KEYWORD_SLOTS + kwId);
    }
    if (!found) {
      this.seen.set(key, this.fileIndex(pf), pl.line);
      return;
    }
    const prevLine = found.pl;
    const pk = prevLine.keyword!;
    const prev = { file: found.pf.path, line: prevLine.line, start: pk.start, end: pk.end, text: pk.text };
    if (lastWins) {
      // No first-value guard in OpenSSH for this one: each line overwrites, the earlier is lost.
      this.seen.set(key, this.fileIndex(pf), pl.line);
      const where = prev.file === pf.path ? `line ${pl.line + 1}` : `${pf.path}:${pl.line + 1}`;
      this.add(prev.file, prev.line, prev.start, prev.end, 'warning', 'duplicate-ignored',
        `${prev.text} is set again on ${where}; OpenSSH uses the last value and ignores this one`,
        {
          related: [{ file: pf.path, line: pl.line, message: 'this value wins' }],
          fixes: [{ title: `Remove the ignored '${prev.text}'`, edits: [{ line: prev.line, col: 0, endLine: prev.line + 1, endCol: 0, newText: '' }] }],
        });
      return;
    }
    if (pf.path === this.mainFile) this.ignored.add(pl.line);
    const where = prev.file === pf.path ? `line ${prev.line + 1}` : `${prev.file}:${prev.line + 1}`;
    this.add(pf.path, pl.line, kw.start, kw.end, 'warning', 'duplicate-ignored',
      `${kw.text} is already set on ${where}; OpenSSH uses the first value and ignores this one`,
      {
        related: [{ file: prev.file, line: prev.line, message: 'this value wins' }],
        fixes: [{ title: `Remove the ignored '${kw.text}'`, edits: [{ line: pl.line, col: 0, endLine: pl.line + 1, endCol: 0, newText: '' }] }],
      });
  }
}

/**
 * Number keys to (file index, line) pairs: linear probing over typed arrays (zeroed on
 * allocation: a slot holds key + 1, 0 = empty), grown at half full.
 */
class WinnerTable {
  private keys: Float64Array;
  private files: Int32Array;
  private lines: Int32Array;
  private used = 0;

  /** `expected`: about how many keys will be set (sizes the table once instead of growing it). */
  constructor(expected = 512) {
    let n = 1024;
    while (n < expected * 2 && n < 1 << 20) n *= 2;
    this.keys = new Float64Array(n);
    this.files = new Int32Array(n);
    this.lines = new Int32Array(n);
  }

  /** Slot of `key`, or -1. */
  find(key: number): number {
    const mask = this.keys.length - 1;
    const stored = key + 1;
    for (let i = hashSlot(key, mask); ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === stored) return i;
      if (k === 0) return -1;
    }
  }

  fileAt(slot: number): number { return this.files[slot]!; }
  lineAt(slot: number): number { return this.lines[slot]!; }

  set(key: number, file: number, line: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    const stored = key + 1;
    let i = hashSlot(key, mask);
    while (this.keys[i] !== 0 && this.keys[i] !== stored) i = (i + 1) & mask;
    if (this.keys[i] === 0) this.used++;
    this.keys[i] = stored;
    this.files[i] = file;
    this.lines[i] = line;
  }

  private grow(): void {
    const { keys, files, lines } = this;
    const n = keys.length * 2;
    this.keys = new Float64Array(n);
    this.files = new Int32Array(n);
    this.lines = new Int32Array(n);
    this.used = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i]! - 1, files[i]!, lines[i]!);
  }
}

function hashSlot(key: number, mask: number): number {
  // Keys are non-negative integers (possibly above 2^31): mix both halves.
  const lo = key % 4294967296;
  const hi = (key - lo) / 4294967296;
  let h = (lo | 0) ^ Math.imul(hi | 0, 0x27d4eb2d);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) & mask;
}
