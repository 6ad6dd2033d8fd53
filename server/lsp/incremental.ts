// Per-document analysis cache with an incremental fast path, so a keystroke in a 20k-line file
// does not re-analyse the whole file. analyze() stays the only source of truth:
//  - A full analysis records, per line, the keyword as OpenSSH splits it (core splitLine).
//  - An edit inside one line whose old and new keyword cannot affect any other line (none that
//    core/sshconfig/crossLine.ts lists, and no other occurrence of it in a scope where OpenSSH's
//    first-value-wins rule would link them) is re-analysed as a two-line
//    document: its block header plus the line. Only that line's diagnostics are replaced;
//    anything in them pointing elsewhere (fix edits, related lines) rejects the fast path.
//  - Documents with Includes, IgnoreUnknown, NUL bytes, lone CRs or a fatal error (sshd stops
//    reading at "not allowed within a Match block" / a bad Match line) never take it.
//  - After fast edits, a full analysis runs when the document goes idle and wins if it differs
//    (reported on stderr as drift), so the published result is always exact eventually.
//  - The analysis's lines (what symbols, folding and hover read) are kept current the same way:
//    a fast edit replaces the one node it re-analysed, a line added or removed is one splice of
//    the array (microseconds on 20k lines); the `line` fields below it are renumbered when the
//    lines are next read (once per version, never per keystroke).
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, parseLines, splitLine, type LineNode } from '../../core/sshconfig/index';
import { lookupKeyword } from '../../core/sshconfig/keywords/index';
import { crossLineKeywords, postParseKeywords } from '../../core/sshconfig/crossLine';
import { COMMAND_USER_PAIRS } from '../../core/sshconfig/sshdMain';
import type { ConfigDiagnostic, Dialect } from '../../core/sshconfig/types';
import { analyzeDocumentLines, fileOf, type DocAnalysis, type DocLines } from './analysis';

const KIND_NONE = 0;
const KIND_DIRECTIVE = 1;
const KIND_HEADER = 2;

/** sshd stops reading the file at these (fatal), so they change every later line. */
const FATAL_CODES: ReadonlySet<string> = new Set(['not-in-match', 'bad-match']);
/** Present anywhere in the document, these switch the fast path off for it. The sshd ones feed
 *  sshd's post-parse checks (AuthorizedKeysCommand without its User…), which span lines. */
const DOC_BLOCKERS: ReadonlySet<string> = new Set(['include', 'ignoreunknown', ...COMMAND_USER_PAIRS.flat()]);

interface LineInfo {
  kind: number; key: string | null; ok: boolean;
  /** Blank or comment: OpenSSH never looks at it, adding or removing it changes nothing. */
  inert: boolean;
}

interface DocState {
  a: DocAnalysis;
  dialect: Dialect;
  kinds: Uint8Array;
  keys: Array<string | null>;
  /** Header line of each line's block, -1 in the global section. Fixed between full analyses. */
  headerOf: Int32Array;
  /** Lines where each keyword (canonical, lower case) occurs. */
  occ: Map<string, number[]>;
  groups: Map<number, string>;
  fastOk: boolean;
  /** The analysis's nodes, one per editor line (the empty last line after a final line break,
   *  which OpenSSH does not count, included so positions match); this cache's own copy, patched
   *  by the fast path. */
  lines: Array<Readonly<LineNode>>;
  /** A lone CR: the editor breaks the line there, OpenSSH does not, so line numbers differ. */
  loneCR: boolean;
  /** Nodes from here down may carry a stale `line` (a line was added or removed above them). */
  renumberFrom: number;
  /** Fast edits since the last full analysis (the idle full run checks them). */
  fastEdits: number;
  lastFullMs: number;
}

/** The raw line as analyze() sees it: '\n'-split, so a CRLF line keeps its '\r'. */
export function rawLine(doc: TextDocument, line: number): string {
  const t = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return t.endsWith('\n') ? t.slice(0, -1) : t;
}

function classify(dialect: Dialect, text: string): LineInfo {
  if (text.includes('\0')) return { kind: KIND_NONE, key: null, ok: false, inert: false };
  const sp = splitLine(text);
  if (sp.kind !== 'directive' && sp.kind !== 'noarg') {
    return { kind: KIND_NONE, key: null, ok: true, inert: sp.kind === 'blank' || sp.kind === 'comment' };
  }
  const lower = sp.keyword.text.toLowerCase();
  const key = lookupKeyword(dialect, lower)?.name.toLowerCase() ?? lower;
  const header = lower === 'match' || (dialect === 'ssh' && lower === 'host');
  return { kind: header ? KIND_HEADER : KIND_DIRECTIVE, key: header ? lower : key, ok: true, inert: false };
}

export interface PendingEdit {
  line: number; oldRaw: string; oldVersion: number; lineCount: number;
  /** 0: edit inside one line; +1: one line break typed; -1: one line break deleted. */
  delta: 0 | 1 | -1;
  /** For delta -1: the old line below `line`. */
  nextRaw?: string;
}

export class IncrementalAnalyses {
  private states = new Map<string, DocState>();
  stats = { full: 0, fast: 0, fastLineCount: 0, rejected: 0, drift: 0 };

  /**
   * @param minFullMs the fast path is only worth its assumptions when a full analysis of the
   *   document is slow; below this (most real files) every edit gets a full analysis.
   */
  constructor(private readonly log: (msg: string) => void = () => undefined, private readonly minFullMs = 4,
    private readonly debug: ((msg: string) => void) | null = null) {}

  /** Analysis for the document's current version (full analysis when the cache is stale). */
  get(doc: TextDocument, dialect: Dialect): DocAnalysis {
    const st = this.states.get(doc.uri);
    if (st && st.a.version === doc.version && st.dialect === dialect) return st.a;
    return this.full(doc, dialect).a;
  }

  /** The analysis's lines for the document's current version (symbols, folding, hover). */
  lines(doc: TextDocument, dialect: Dialect): DocLines {
    this.get(doc, dialect);
    const st = this.states.get(doc.uri)!;
    const ls = st.lines;
    for (let i = st.renumberFrom; i < ls.length; i++) if (ls[i].line !== i) ls[i] = { ...ls[i], line: i };
    st.renumberFrom = Infinity;
    return !st.loneCR && ls.length > 1 && rawLine(doc, ls.length - 1) === '' ? ls.slice(0, -1) : ls;
  }

  /** The lines when the editor numbers them as OpenSSH does (no lone CR), else null (hover). */
  editorLines(doc: TextDocument, dialect: Dialect): DocLines | null {
    const ls = this.lines(doc, dialect);
    return this.states.get(doc.uri)!.loneCR ? null : ls;
  }

  peek(uri: string): DocAnalysis | undefined {
    return this.states.get(uri)?.a;
  }

  delete(uri: string): void {
    this.states.delete(uri);
  }

  /** True when the document had fast edits since its last full analysis. */
  needsIdleCheck(uri: string): boolean {
    return (this.states.get(uri)?.fastEdits ?? 0) > 0;
  }

  /** Full re-analysis; returns true when it differs from what the fast path had produced. */
  idleCheck(doc: TextDocument, dialect: Dialect): boolean {
    const before = this.states.get(doc.uri);
    if (!before || before.fastEdits === 0 || before.a.version !== doc.version) return false;
    const after = this.full(doc, dialect);
    const drift = diagKey(before.a.diagnostics) !== diagKey(after.a.diagnostics);
    if (drift) {
      this.stats.drift++;
      this.log(`incremental analysis drift on ${doc.uri} v${doc.version}: full analysis result published`);
    }
    return drift;
  }

  /** Called before TextDocument.update: remembers the old line for a single-line edit. */
  before(doc: TextDocument, changes: TextDocumentContentChangeEvent[]): PendingEdit | null {
    if (changes.length !== 1) return null;
    const c = changes[0];
    if (!('range' in c)) return null;
    const line = c.range.start.line;
    const span = c.range.end.line - line;
    const breaks = (c.text.match(/\n/g) ?? []).length;
    if (line < 0 || line >= doc.lineCount || c.range.end.line >= doc.lineCount || /\r(?!\n)/.test(c.text)) return null;
    // One line edited, one line break typed (Enter), or one line break deleted (Backspace/Delete).
    let delta: 0 | 1 | -1;
    if (span === 0 && breaks === 0) delta = 0;
    else if (span === 0 && breaks === 1) delta = 1;
    else if (span === 1 && breaks === 0) delta = -1;
    else return null;
    const st = this.states.get(doc.uri);
    if (!st || !st.fastOk || st.a.version !== doc.version || st.lastFullMs < this.minFullMs) return null;
    return {
      line, oldRaw: rawLine(doc, line), oldVersion: doc.version, lineCount: doc.lineCount, delta,
      nextRaw: delta === -1 ? rawLine(doc, line + 1) : undefined,
    };
  }

  /** Called after TextDocument.update with what `before` returned. */
  after(doc: TextDocument, edit: PendingEdit | null): void {
    if (!edit) return;
    if (!this.tryFast(doc, edit)) this.stats.rejected++;
  }

  private tryFast(doc: TextDocument, e: PendingEdit): boolean {
    const st = this.states.get(doc.uri);
    if (!st || st.a.version !== e.oldVersion || doc.lineCount !== e.lineCount + e.delta) return false;
    if (e.delta !== 0) return this.tryLineCountChange(doc, st, e);
    const { dialect } = st;
    const newRaw = rawLine(doc, e.line);
    const oldInfo = classify(dialect, e.oldRaw);
    const newInfo = classify(dialect, newRaw);
    if (!oldInfo.ok || !newInfo.ok || oldInfo.kind === KIND_HEADER || newInfo.kind === KIND_HEADER) return false;
    // Keywords read by a cross-line check (core/sshconfig/crossLine.ts): editing one may change other lines.
    const global = crossLineKeywords(dialect);
    const special = (k: string | null): boolean => k !== null && (global.has(k) || DOC_BLOCKERS.has(k));
    if (special(oldInfo.key) || special(newInfo.key)) return false;
    if (oldInfo.key !== null && this.linked(doc, st, oldInfo.key, e.line)) return false;
    if (newInfo.key !== null && newInfo.key !== oldInfo.key && this.linked(doc, st, newInfo.key, e.line)) return false;
    const header = st.headerOf[e.line];
    const idx = header >= 0 ? 1 : 0;
    const mini = header >= 0 ? `${rawLine(doc, header)}\n${newRaw}` : newRaw;
    const r = analyze(mini, { dialect, file: st.a.file, noIncludes: true, readFile: () => undefined, listDir: () => undefined });
    const fresh: ConfigDiagnostic[] = [];
    for (const d of r.diagnostics) {
      if (d.file !== st.a.file || d.line !== idx) continue;
      if (d.endLine !== idx || FATAL_CODES.has(d.code)) return false;
      if (d.related?.some((x) => x.line !== idx || x.file !== st.a.file)) return false;
      const edits = d.fixes?.flatMap((f) => f.edits) ?? [];
      if (edits.some((x) => x.line !== idx || !(x.endLine === idx || (x.endLine === idx + 1 && x.endCol === 0)))) return false;
      fresh.push(shiftDiag(d, e.line - idx));
    }
    const onLine = (d: ConfigDiagnostic): boolean => d.file === st.a.file && d.line === e.line;
    // OpenSSH runs its post-parse checks only on a file without errors: when this line gains the
    // file's first error (or loses its last), their findings on other lines appear or vanish.
    const wasError = st.a.diagnostics.some((d) => onLine(d) && d.severity === 'error');
    const isError = fresh.some((d) => d.severity === 'error');
    if (wasError !== isError && [...postParseKeywords(dialect)].some((k) => st.occ.has(k))) return false;
    const kept = st.a.diagnostics.filter((d) => !onLine(d));
    // (A new cross-line check in the analysis needs its keywords in core/sshconfig/crossLine.ts;
    // the property test in test/unit/server-incremental.test.ts exercises each of them.)
    st.a = { ...st.a, version: doc.version, diagnostics: insertSorted(kept, fresh) };
    if (oldInfo.key !== newInfo.key) {
      if (oldInfo.key !== null) {
        const xs = st.occ.get(oldInfo.key)!.filter((l) => l !== e.line);
        if (xs.length) st.occ.set(oldInfo.key, xs); else st.occ.delete(oldInfo.key);
      }
      if (newInfo.key !== null) {
        const xs = st.occ.get(newInfo.key) ?? [];
        xs.push(e.line);
        xs.sort((x, y) => x - y);
        st.occ.set(newInfo.key, xs);
      }
    }
    st.lines[e.line] = { ...r.lines[idx], line: e.line, block: st.lines[e.line].block };
    st.kinds[e.line] = newInfo.kind;
    st.keys[e.line] = newInfo.key;
    st.fastEdits++;
    this.stats.fast++;
    this.debug?.(`analysis ${doc.uri} v${doc.version}: fast path (line ${e.line + 1})`);
    return true;
  }

  /**
   * A blank or comment line added (Enter at either end of a line) or removed: nothing OpenSSH
   * reads changes, so every position at or below the boundary moves by one line. Refused when a
   * message may quote a moving line number (diagnostics with related lines across the boundary)
   * or a range crosses the boundary.
   */
  private tryLineCountChange(doc: TextDocument, st: DocState, e: PendingEdit): boolean {
    const { dialect } = st;
    const inert = (t: string): boolean => classify(dialect, t).inert;
    let boundary: number; // insert: first line that moves down; delete: the removed line
    if (e.delta === 1) {
      const l0 = rawLine(doc, e.line);
      const l1 = rawLine(doc, e.line + 1);
      if (l0 === e.oldRaw && inert(l1)) boundary = e.line + 1;
      else if (l1 === e.oldRaw && inert(l0)) boundary = e.line;
      else return false;
    } else {
      const l0 = rawLine(doc, e.line);
      if (l0 === e.oldRaw && inert(e.nextRaw ?? 'x')) boundary = e.line + 1;
      else if (l0 === e.nextRaw && inert(e.oldRaw)) boundary = e.line;
      else return false;
    }
    const file = st.a.file;
    const d = e.delta;
    // Insert: lines >= boundary move down. Delete: the boundary line goes, lines > it move up.
    const moves = (l: number): boolean => (d === 1 ? l >= boundary : l > boundary);
    const mv = (l: number): number => (moves(l) ? l + d : l);
    const crosses = (a: number, b: number): boolean => (d === 1 ? a < boundary && b >= boundary : a <= boundary && b >= boundary);
    const out: ConfigDiagnostic[] = [];
    for (const x of st.a.diagnostics) {
      if (x.file !== file) return false;
      if (crosses(x.line, x.endLine) || (d === -1 && x.line === boundary)) return false;
      if (x.related?.some((r) => r.file !== file || moves(r.line) !== moves(x.line) || (d === -1 && r.line === boundary))) return false;
      if (x.related?.length && (moves(x.line) || x.related.some((r) => moves(r.line)))) return false;
      const edits = x.fixes?.flatMap((f) => f.edits) ?? [];
      if (edits.some((t) => crosses(t.line, t.endLine) || (d === -1 && (t.line === boundary || t.endLine === boundary)))) return false;
      if (!moves(x.line) && edits.every((t) => !moves(t.line) && !moves(t.endLine))) { out.push(x); continue; }
      out.push({
        ...x, line: mv(x.line), endLine: mv(x.endLine),
        fixes: x.fixes?.map((f) => ({ ...f, edits: f.edits.map((t) => ({ ...t, line: mv(t.line), endLine: mv(t.endLine) })) })),
      });
    }
    // Shift the per-line state: one memmove per array, then renumber what points below.
    const n = doc.lineCount;
    const kinds = new Uint8Array(n);
    const headerOf = new Int32Array(n);
    if (d === 1) {
      kinds.set(st.kinds.subarray(0, boundary), 0);
      kinds.set(st.kinds.subarray(boundary), boundary + 1);
      headerOf.set(st.headerOf.subarray(0, boundary), 0);
      headerOf.set(st.headerOf.subarray(boundary), boundary + 1);
      kinds[boundary] = KIND_NONE;
      headerOf[boundary] = boundary > 0 ? (kinds[boundary - 1] === KIND_HEADER ? boundary - 1 : headerOf[boundary - 1]) : -1;
      st.keys.splice(boundary, 0, null);
      // The added line is blank or a comment: its node is what the parser makes of it alone.
      const node = parseLines(rawLine(doc, boundary), dialect)[0];
      st.lines.splice(boundary, 0, { ...node, line: boundary, block: st.lines[boundary - 1]?.block ?? 0 });
    } else {
      kinds.set(st.kinds.subarray(0, boundary), 0);
      kinds.set(st.kinds.subarray(boundary + 1), boundary);
      headerOf.set(st.headerOf.subarray(0, boundary), 0);
      headerOf.set(st.headerOf.subarray(boundary + 1), boundary);
      st.keys.splice(boundary, 1);
      st.lines.splice(boundary, 1);
    }
    for (let i = boundary; i < n; i++) if (headerOf[i] >= 0 && moves(headerOf[i])) headerOf[i] += d;
    for (const xs of st.occ.values()) {
      // Sorted line numbers: renumber from the first one that moves.
      let lo = 0;
      let hi = xs.length;
      while (lo < hi) { const m = (lo + hi) >> 1; if (moves(xs[m])) hi = m; else lo = m + 1; }
      for (let i = lo; i < xs.length; i++) xs[i] += d;
    }
    st.renumberFrom = Math.min(st.renumberFrom, boundary);
    st.kinds = kinds;
    st.headerOf = headerOf;
    st.groups.clear();
    st.a = {
      ...st.a,
      version: doc.version,
      diagnostics: out,
      keepalive: { ...st.a.keepalive, lines: st.a.keepalive.lines.map(mv) },
      includes: st.a.includes.map((inc) => ({ ...inc, line: mv(inc.line) })),
      headers: st.a.headers.map(mv),
    };
    st.fastEdits++;
    this.stats.fast++;
    this.stats.fastLineCount++;
    this.debug?.(`analysis ${doc.uri} v${doc.version}: fast path (line ${d === 1 ? 'added' : 'removed'} at ${boundary + 1})`);
    return true;
  }

  /**
   * Whether another occurrence of `key` shares a first-value-wins scope with `line`.
   * sshd (servconf.c via the analysis): the global section is one scope; each Match block's scope
   * is its criteria, and `Match all` blocks are linked with every Match block. Header texts are
   * compared coarsely (case, blanks, quotes, '=' and comments dropped), which can only link more.
   * ssh: any other occurrence links (Host/Match scopes depend on wildcards and negation).
   */
  private linked(doc: TextDocument, st: DocState, key: string, line: number): boolean {
    const others = (st.occ.get(key) ?? []).filter((l) => l !== line);
    if (others.length === 0) return false;
    if (st.dialect === 'ssh') return true;
    const g = this.group(doc, st, st.headerOf[line]);
    for (const m of others) {
      const h = this.group(doc, st, st.headerOf[m]);
      if (g === 'g' ? h === 'g' : h === g || h.startsWith('all') || g.startsWith('all')) return true;
    }
    return false;
  }

  private group(doc: TextDocument, st: DocState, header: number): string {
    if (header < 0) return 'g';
    let g = st.groups.get(header);
    if (g === undefined) {
      const text = rawLine(doc, header);
      const sp = splitLine(text);
      const rest = sp.kind === 'directive' ? text.slice(sp.restStart, sp.end) : '';
      g = `m:${rest.split('#')[0].toLowerCase().replace(/[\s"=]/g, '')}`.replace(/^m:(?=all)/, '');
      st.groups.set(header, g);
    }
    return g;
  }

  private full(doc: TextDocument, dialect: Dialect): DocState {
    const { analysis: a, lines: nodes } = analyzeDocumentLines(doc, dialect);
    this.stats.full++;
    this.debug?.(`analysis ${doc.uri} v${doc.version}: full, ${a.ms.toFixed(1)} ms`);
    const text = doc.getText();
    const n = doc.lineCount;
    const kinds = new Uint8Array(n);
    const keys: Array<string | null> = new Array(n).fill(null);
    const headerOf = new Int32Array(n).fill(-1);
    const occ = new Map<string, number[]>();
    const loneCR = /\r(?!\n)/.test(text);
    let fastOk = !text.includes('\0') && !loneCR && !a.diagnostics.some((d) => FATAL_CODES.has(d.code));
    const lines = text.split('\n');
    // Block structure from the analysis itself: a malformed Match line opens no block.
    const isHeader = new Set(a.headers);
    let header = -1;
    for (let i = 0; i < n && i < lines.length; i++) {
      const info = classify(dialect, lines[i]);
      kinds[i] = isHeader.has(i) ? KIND_HEADER : info.kind;
      keys[i] = info.key;
      headerOf[i] = header;
      if (isHeader.has(i)) header = i;
      if (!info.ok) fastOk = false;
      if (info.key !== null) {
        const xs = occ.get(info.key);
        if (xs) xs.push(i); else occ.set(info.key, [i]);
        if (DOC_BLOCKERS.has(info.key)) fastOk = false;
      }
    }
    const st: DocState = { a, dialect, kinds, keys, headerOf, occ, groups: new Map(), fastOk,
      lines: loneCR || nodes.length === n ? nodes.slice() : [...nodes, blankNode(dialect, n - 1, nodes[n - 2]?.block ?? 0)], loneCR, renumberFrom: Infinity, fastEdits: 0, lastFullMs: a.ms };
    this.states.set(doc.uri, st);
    return st;
  }
}

/** The node of an empty line, as the analysis makes it. */
function blankNode(dialect: Dialect, line: number, block: number): Readonly<LineNode> {
  return { ...parseLines('', dialect)[0], line, block };
}

function shiftDiag(d: ConfigDiagnostic, by: number): ConfigDiagnostic {
  if (by === 0) return d;
  return {
    ...d,
    line: d.line + by,
    endLine: d.endLine + by,
    related: d.related?.map((x) => ({ ...x, line: x.line + by })),
    fixes: d.fixes?.map((f) => ({ ...f, edits: f.edits.map((x) => ({ ...x, line: x.line + by, endLine: x.endLine + by })) })),
  };
}

/** `kept` is sorted by (line, col) for this file; add `fresh` keeping that order. */
function insertSorted(kept: ConfigDiagnostic[], fresh: ConfigDiagnostic[]): ConfigDiagnostic[] {
  if (fresh.length === 0) return kept;
  const line = fresh[0].line;
  let i = 0;
  while (i < kept.length && kept[i].line <= line && kept[i].file === fresh[0].file) i++;
  // Diagnostics of other files (never present on the fast path) would sort after ours.
  return [...kept.slice(0, i), ...fresh, ...kept.slice(i)];
}

/** Order-insensitive identity of a diagnostic list (for the drift check and tests). */
export function diagKey(ds: readonly ConfigDiagnostic[]): string {
  return ds.map((d) => JSON.stringify([d.file, d.line, d.col, d.endLine, d.endCol, d.severity, d.code, d.message, d.fixes ?? null, d.related ?? null]))
    .sort().join('\n');
}
