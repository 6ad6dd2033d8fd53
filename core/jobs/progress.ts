// How far a running job has got, read from the end of its log the way a person would read it:
// the last tqdm or rich bar, an `N/M` counter (`Epoch 3/10`, `Step 120/1000`), a percentage, or a
// pattern the user named (linger.progressPatterns). Pure: bytes in, a JobProgress out.
//
// Input is untrusted and may be huge or hostile, so every step is bounded: only the last
// PROGRESS_TAIL_BYTES are looked at, only the last MAX_SEGMENTS updates (a terminal "update" is
// what lies between two \r or \n: tqdm and rich redraw with \r, so the last one wins), each cut to
// its last MAX_SEGMENT_CHARS. The built-in expressions have no nested or overlapping quantifiers
// (each starts at a boundary a lookbehind pins down), so each is linear in its input. A user's
// expression is refused when it has the shapes that backtrack exponentially (a quantified group
// that itself holds a quantifier or an alternation, backreferences) and runs on shorter input.
import type { JobProgress } from './types';

export type { JobProgress };

/** What the parser looks at: the end of the log. */
export const PROGRESS_TAIL_BYTES = 8192;
const MAX_SEGMENTS = 64;
const MAX_SEGMENT_CHARS = 1024;
/** User expressions see less (their cost is theirs, the agent's time is everyone's). */
const USER_SEGMENT_CHARS = 200;
const USER_SEGMENTS = 8;
const TEXT_CHARS = 100;

/** A user pattern as the setting holds it. */
export interface ProgressPattern { name: string; regex: string }
export interface CompiledPattern { name: string; re: RegExp }

// CSI (ESC [ … final, or C1 0x9b), OSC (ESC ] … BEL or ST; an unterminated one runs to the end of
// what was read), and the two-byte escapes. The classes of each part are disjoint: linear.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]/g;
// What is left of other control characters (not \t \n \r): dropped, they only confuse matching.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/** Text without terminal escapes and control characters (\r and \n kept). */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '').replace(CONTROL, '');
}

const UNIT = '[kMGTPEZY]?';
const NUM = '\\d+(?:\\.\\d+)?';
const CLOCK = '(?:\\d+:)?\\d+:\\d\\d';
// tqdm's r_bar: `n/total [elapsed<remaining, rate]`; n and total may carry a unit prefix (unit_scale).
const TQDM = new RegExp(`(?<![\\d.])(${NUM})(${UNIT})\\/(${NUM})(${UNIT}) ?\\[(${CLOCK})<(${CLOCK}|\\?)`);
// tqdm without a total: `123it [00:10, 12.3it/s]` (a count, no fraction).
const TQDM_COUNT = new RegExp(`(?<![\\d.])(${NUM})(${UNIT})([A-Za-z]{1,8}) \\[(${CLOCK})(?:, |\\])`);
// tqdm's bar between the `%|` and the `|` of r_bar (any fill characters).
const TQDM_BAR = /(\d{1,3}%)\|[^|]*\|/;
// rich's default columns: bar (━ ╸ ╺), percentage, time remaining (H:MM:SS, or -:--:-- unknown).
const RICH = /[━╸╺]+ +(\d{1,3})% +(\d+:\d\d:\d\d|-:--:--)/;
// N/M not inside a date, a path or a version (12/07/2026, out/1/2, 1.5/3, v1/2).
const COUNTER = /(?<![\w./-])(\d{1,12}) ?\/ ?(\d{1,12})(?![\w./])/g;
const PERCENT = /(?<![\w.])(\d{1,3}(?:\.\d{1,3})?) ?%/g;
// "ETA 12s", "ETA: 1:02", "eta 0:00:01", "eta 1h 5m" (keras, pip, wget and the like).
const ETA = new RegExp(`\\beta\\b:? ?(${CLOCK}|\\d{1,7}(?:\\.\\d+)? ?(?:s|sec|m|min|h|d)\\b(?: ?\\d{1,7} ?(?:s|sec|m|min|h)\\b){0,3})`, 'i');

/** "1:02", "01:02:03" → seconds; null for anything else. */
export function clockSeconds(s: string): number | null {
  const m = /^(?:(\d+):)?(\d+):(\d\d)$/.exec(s);
  if (!m) return null;
  return (m[1] ? +m[1] * 3600 : 0) + +m[2] * 60 + +m[3];
}

/** "12s", "1h 5m", "3 min", or a clock → seconds; null when it is neither. */
export function durationSeconds(s: string): number | null {
  const c = clockSeconds(s.trim());
  if (c !== null) return c;
  const mult: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400 };
  let total = 0;
  let any = false;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?) ?(sec|min|s|m|h|d)\b/g)) { total += +m[1] * mult[m[2]]; any = true; }
  return any ? Math.round(total) : null;
}

const PREFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Z: 1e21, Y: 1e24 };

function clampFraction(f: number): number | null {
  return Number.isFinite(f) ? Math.min(1, Math.max(0, f)) : null;
}

// Bar graphics (block elements, rich's heavy lines) say nothing a fraction does not.
const GLYPHS = /[\u2580-\u259f\u2501\u2578\u257a]+/g;

function collapse(s: string): string { return s.replace(GLYPHS, ' ').replace(/\s+/g, ' ').trim(); }

/** The segment as one short line, around `at` when it is too long to show whole. */
function excerpt(seg: string, at = 0): string {
  const t = collapse(seg);
  if (t.length <= TEXT_CHARS) return t;
  const start = Math.max(0, Math.min(at - 20, t.length - TEXT_CHARS));
  return `${start > 0 ? '…' : ''}${t.slice(start, start + TEXT_CHARS - 1)}…`;
}

function etaIn(seg: string): number | null {
  const m = ETA.exec(seg);
  return m ? durationSeconds(m[1]) : null;
}

function tqdm(seg: string): JobProgress | null {
  const m = TQDM.exec(seg);
  if (m) {
    const done = +m[1] * PREFIX[m[2]];
    const total = +m[3] * PREFIX[m[4]];
    const fraction = total > 0 ? clampFraction(done / total) : null;
    return { fraction, eta: m[6] === '?' ? null : clockSeconds(m[6]), text: excerpt(seg.replace(TQDM_BAR, '$1'), m.index), source: 'tqdm' };
  }
  const c = TQDM_COUNT.exec(seg);
  if (c) return { fraction: null, eta: null, text: excerpt(seg, c.index), source: 'tqdm' };
  return null;
}

function rich(seg: string): JobProgress | null {
  const m = RICH.exec(seg);
  if (!m) return null;
  return { fraction: clampFraction(+m[1] / 100), eta: m[2].startsWith('-') ? null : clockSeconds(m[2]), text: excerpt(seg), source: 'rich' };
}

function counter(seg: string): JobProgress | null {
  // The first counter of a line: "Epoch 3/10 Step 120/1000" is about the epoch.
  for (const m of seg.matchAll(COUNTER)) {
    const done = +m[1], total = +m[2];
    if (total > 0 && done <= total) return { fraction: done / total, eta: etaIn(seg), text: excerpt(seg, m.index), source: 'count' };
  }
  return null;
}

function percent(seg: string): JobProgress | null {
  // The last percentage of a line: the one a redraw moves.
  let best: RegExpMatchArray | null = null;
  for (const m of seg.matchAll(PERCENT)) if (+m[1] <= 100) best = m;
  if (!best) return null;
  return { fraction: +best[1] / 100, eta: etaIn(seg), text: excerpt(seg, best.index), source: 'percent' };
}

function user(seg: string, p: CompiledPattern): JobProgress | null {
  const s = seg.length > USER_SEGMENT_CHARS ? seg.slice(-USER_SEGMENT_CHARS) : seg;
  const m = p.re.exec(s);
  if (!m) return null;
  const g = m.groups ?? {};
  let fraction: number | null = null;
  if (g.done !== undefined && g.total !== undefined) {
    const d = parseFloat(g.done), t = parseFloat(g.total);
    fraction = t > 0 ? clampFraction(d / t) : null;
  } else if (g.percent !== undefined) fraction = clampFraction(parseFloat(g.percent) / 100);
  const eta = g.eta !== undefined ? durationSeconds(g.eta) : null;
  return { fraction, eta, text: excerpt(s, m.index), source: p.name };
}

const BUILTIN = [tqdm, rich, counter, percent];

/**
 * The progress the end of a log shows, or null when it shows none. `tail` is the log's last bytes
 * (only the last PROGRESS_TAIL_BYTES are read) or text. The newest update that any recogniser
 * reads wins; the user's patterns are tried first on each.
 */
export function parseProgress(tail: Uint8Array | string, patterns: readonly CompiledPattern[] = []): JobProgress | null {
  let text: string;
  if (typeof tail === 'string') text = tail.length > PROGRESS_TAIL_BYTES ? tail.slice(-PROGRESS_TAIL_BYTES) : tail;
  else {
    const b = tail.length > PROGRESS_TAIL_BYTES ? tail.subarray(tail.length - PROGRESS_TAIL_BYTES) : tail;
    text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  }
  const segments = stripAnsi(text).split(/[\r\n]/);
  let seen = 0;
  for (let i = segments.length - 1; i >= 0 && seen < MAX_SEGMENTS; i--) {
    let seg = segments[i]!;
    if (!seg.trim()) continue;
    seen++;
    if (seg.length > MAX_SEGMENT_CHARS) seg = seg.slice(-MAX_SEGMENT_CHARS);
    if (seen <= USER_SEGMENTS) {
      for (const p of patterns) { const r = user(seg, p); if (r) return r; }
    }
    for (const f of BUILTIN) { const r = f(seg); if (r) return r; }
  }
  return null;
}

/**
 * Why a user expression is refused, or null. Exponential backtracking needs a quantified group
 * that can match the same text in more than one way: one holding another quantifier or an
 * alternation (`(a+)+`, `(a|a)*`), or a backreference. Those are refused outright; the rest run
 * on bounded input (parseProgress).
 */
export function unsafeRegexReason(src: string): string | null {
  if (/\\[1-9]|\\k</.test(src)) return 'backreferences are not allowed';
  // Per open group: whether it holds a quantifier or an alternation so far.
  const stack: Array<{ risky: boolean }> = [];
  let lastGroupRisky = false;
  let lastWasGroup = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { i++; lastWasGroup = false; continue; }
    if (c === '[') {
      // A class is one atom: skip to its closing bracket.
      for (i++; i < src.length && src[i] !== ']'; i++) if (src[i] === '\\') i++;
      lastWasGroup = false;
      continue;
    }
    if (c === '(') { stack.push({ risky: false }); lastWasGroup = false; continue; }
    if (c === ')') {
      const g = stack.pop();
      lastGroupRisky = g?.risky ?? false;
      lastWasGroup = true;
      if (g?.risky && stack.length) stack[stack.length - 1]!.risky = true;
      continue;
    }
    if (c === '|') { if (stack.length) stack[stack.length - 1]!.risky = true; lastWasGroup = false; continue; }
    const unbounded = c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}|^\{\d{2,}\}/.test(src.slice(i)));
    if (unbounded || c === '?') {
      if (unbounded && lastWasGroup && lastGroupRisky) return 'a repeated group must not itself contain a repetition or an alternation (it can take exponential time)';
      // `?` after a quantifier makes it lazy; either way the enclosing group now holds a quantifier.
      if (unbounded && stack.length) stack[stack.length - 1]!.risky = true;
      if (c === '{') i = src.indexOf('}', i);
      lastWasGroup = false;
      continue;
    }
    lastWasGroup = false;
  }
  return null;
}

/**
 * The user's patterns, compiled; each one that cannot be used is left out with a line saying
 * why (shown to the user). A pattern needs named groups `done` and `total`, or `percent`; `eta` is
 * optional.
 */
export function compilePatterns(list: readonly ProgressPattern[]): { patterns: CompiledPattern[]; problems: string[] } {
  const patterns: CompiledPattern[] = [];
  const problems: string[] = [];
  for (const p of list) {
    const label = `progress pattern ${JSON.stringify(p.name)}`;
    if (p.regex.length > 500) { problems.push(`${label}: longer than 500 characters`); continue; }
    const unsafe = unsafeRegexReason(p.regex);
    if (unsafe) { problems.push(`${label}: ${unsafe}`); continue; }
    let re: RegExp;
    try { re = new RegExp(p.regex); } catch (e) { problems.push(`${label}: ${(e as Error).message}`); continue; }
    const src = p.regex;
    const has = (g: string) => src.includes(`(?<${g}>`);
    if (!(has('done') && has('total')) && !has('percent')) { problems.push(`${label}: needs named groups (?<done>…) and (?<total>…), or (?<percent>…)`); continue; }
    patterns.push({ name: p.name, re });
  }
  return { patterns, problems };
}

/** "42% · ETA 12 min", or the text when there is no fraction: the one short form everyone shows. */
export function progressSummary(p: JobProgress): string {
  const parts: string[] = [];
  if (p.fraction !== null) parts.push(`${Math.floor(p.fraction * 100)}%`);
  else parts.push(p.text.length > 40 ? `${p.text.slice(0, 39)}…` : p.text);
  if (p.eta !== null) parts.push(`ETA ${formatEta(p.eta)}`);
  return parts.join(' · ');
}

/** Seconds as a person says them: "45 s", "12 min", "1 h 5 min", "2 d 3 h". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const mins = Math.round(s / 60);
  if (mins < 60) return `${mins} min`;
  const h = Math.floor(mins / 60);
  if (h < 24) return mins % 60 ? `${h} h ${mins % 60} min` : `${h} h`;
  const hours = Math.round(s / 3600);
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${hours / 24} d`;
}

/** A text progress bar: "[██████░░░░░░░░░░░░░░] 30%". */
export function progressBar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${Math.floor(f * 100)}%`;
}
