// Lookup over the keyword tables: case-insensitive, aliases included, maps built once.

import type { Dialect, KeywordSpec } from '../types';
import { SSHD_KEYWORDS } from './sshd';
import { SSH_KEYWORDS } from './ssh';

export { SSHD_KEYWORDS, SSHD_MATCH_CRITERIA } from './sshd';
export { SSH_KEYWORDS, SSH_MATCH_CRITERIA } from './ssh';

const tables: Record<Dialect, readonly KeywordSpec[]> = { sshd: SSHD_KEYWORDS, ssh: SSH_KEYWORDS };
/** Every spelling (canonical and aliases, lower case) to its entry; built once, read-only. */
function spellings(table: readonly KeywordSpec[]): ReadonlyMap<string, KeywordSpec> {
  const m = new Map<string, KeywordSpec>();
  for (const spec of table) {
    m.set(spec.name.toLowerCase(), spec);
    for (const a of spec.aliases ?? []) m.set(a.toLowerCase(), spec);
  }
  return m;
}
const maps: Record<Dialect, ReadonlyMap<string, KeywordSpec>> = { sshd: spellings(SSHD_KEYWORDS), ssh: spellings(SSH_KEYWORDS) };

function mapFor(dialect: Dialect): ReadonlyMap<string, KeywordSpec> {
  return maps[dialect];
}

/** Canonical lower-case names per table entry (duplicate tracking, first-value maps). */
const canonical: ReadonlyMap<KeywordSpec, string> = new Map([...SSHD_KEYWORDS, ...SSH_KEYWORDS].map((k) => [k, k.name.toLowerCase()]));
export function canonOf(spec: KeywordSpec): string {
  return canonical.get(spec) ?? spec.name.toLowerCase();
}

/** The spec for `name` (any case, canonical or alias spelling), as OpenSSH's strcasecmp lookup. */
export function lookupKeyword(dialect: Dialect, name: string): KeywordSpec | undefined {
  return mapFor(dialect).get(name.toLowerCase());
}

export function keywordsFor(dialect: Dialect): readonly KeywordSpec[] {
  return tables[dialect];
}

/** True when `name` is an alias spelling rather than the canonical one. */
export function isAliasSpelling(dialect: Dialect, name: string): boolean {
  const spec = lookupKeyword(dialect, name);
  return !!spec && spec.name.toLowerCase() !== name.toLowerCase();
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "Prot" is one
 *  edit from "Port"), giving up early once every cell of a row exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Did-you-mean for an unknown keyword: the closest canonical spelling within a small edit
 *  distance (about a third of the word), or undefined. Active keywords win ties. */
export function suggestKeyword(dialect: Dialect, name: string): string | undefined {
  const lc = name.toLowerCase();
  if (!lc) return undefined;
  const limit = Math.max(1, Math.min(4, Math.floor(lc.length / 3)));
  let best: { spec: KeywordSpec; d: number } | undefined;
  for (const [spelling, spec] of mapFor(dialect)) {
    const d = editDistance(lc, spelling, limit);
    if (d > limit) continue;
    const better = !best || d < best.d || (d === best.d && best.spec.status !== 'active' && spec.status === 'active');
    if (better) best = { spec, d };
  }
  return best?.spec.name;
}
