// OpenSSH's wildcard matching (match.c match_pattern / match_pattern_list) and the small glob(3)
// subset Include needs. Iterative with one backtrack point: linear-ish, no regex.

/** match.c match_pattern: `*` and `?`, case-sensitive. */
export function matchPattern(s: string, pattern: string): boolean {
  return matchPatternIn(s, pattern, 0, pattern.length);
}

/**
 * match_pattern against pattern.slice(from, to), without making that slice: lists are matched
 * entry by entry in place (Match User/Address lines of large files are full of them).
 */
export function matchPatternIn(s: string, pattern: string, from: number, to: number): boolean {
  let si = 0;
  let pi = from;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    const pc = pi < to ? pattern.charCodeAt(pi) : -1;
    if (pc === 63 /* ? */ || (pc >= 0 && pc === s.charCodeAt(si))) {
      si++;
      pi++;
    } else if (pc === 42 /* * */) {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < to && pattern.charCodeAt(pi) === 42) pi++;
  return pi === to;
}

/**
 * match.c match_pattern_list: comma-separated patterns, `!` negates (a negated match wins and
 * returns -1). Returns 1 on a positive match, 0 on none, -1 on a negated match.
 */
export function matchPatternList(s: string, list: string, dolower: boolean): -1 | 0 | 1 {
  const str = dolower ? s.toLowerCase() : s;
  let got: 0 | 1 = 0;
  for (let from = 0; ; ) {
    let to = list.indexOf(',', from);
    if (to < 0) to = list.length;
    let hit: boolean;
    let negated: boolean;
    if (dolower) {
      // Lower-cased entry by entry: lowering the whole list at once can differ for a few non-ASCII letters.
      let p = list.slice(from, to).toLowerCase();
      negated = p.startsWith('!');
      if (negated) p = p.slice(1);
      hit = matchPattern(str, p);
    } else {
      negated = from < to && list.charCodeAt(from) === 33; /* ! */
      hit = matchPatternIn(str, list, negated ? from + 1 : from, to);
    }
    if (hit) {
      if (negated) return -1;
      got = 1;
    }
    if (to >= list.length) return got;
    from = to + 1;
  }
}

/** fnmatch(3) for one path segment: `*`, `?`, `[...]`; a leading '.' needs an explicit dot. */
export function globSegment(name: string, pattern: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  let si = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  while (si < name.length) {
    let step = 0;
    if (pi < pattern.length) {
      const pc = pattern[pi]!;
      if (pc === '*') {
        star = pi++;
        mark = si;
        continue;
      }
      if (pc === '?') step = 1;
      else if (pc === '[') {
        const r = classMatch(pattern, pi, name[si]!);
        if (r > 0) { pi = r; si++; continue; }
        if (r === -1 && name[si] === '[') step = 1; // unterminated class: literal '['
      } else if (pc === '\\' && pi + 1 < pattern.length) {
        if (pattern[pi + 1] === name[si]) { pi += 2; si++; continue; }
      } else if (pc === name[si]) step = 1;
    }
    if (step) { pi++; si++; continue; }
    if (star >= 0) { pi = star + 1; si = ++mark; continue; }
    return false;
  }
  while (pi < pattern.length && pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

/** Returns the index after a matching `[...]` class, 0 when it does not match, -1 when unterminated. */
function classMatch(p: string, at: number, c: string): number {
  let i = at + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') { negate = true; i++; }
  let matched = false;
  let first = true;
  while (i < p.length && (first || p[i] !== ']')) {
    first = false;
    const lo = p[i]!;
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      const hi = p[i + 2]!;
      if (c >= lo && c <= hi) matched = true;
      i += 3;
    } else {
      if (c === lo) matched = true;
      i++;
    }
  }
  if (i >= p.length) return -1;
  return matched !== negate ? i + 1 : 0;
}

export function hasGlobMagic(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Sort the way glob(3) does in the C locale (byte order). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Dotted quad in s.slice(from, to) as a 32-bit number, or null. `strict`: exactly what node's
 * isIP() accepts (no leading zeros), as the value checks need; otherwise up to three digits a
 * part, as the Match evaluation reads the connection's address. A character scan: Match Address
 * lines are common and a regex plus split per entry showed up in profiles of large files.
 */
export function dottedQuad(s: string, from = 0, to = s.length, strict = true): number | null {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return null;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (strict && digits === 1 && part === 0) return null; // leading zero
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else {
      return null;
    }
  }
  if (dots !== 3 || digits === 0) return null;
  return v * 256 + part;
}
