// The evaluation walk: OpenSSH reading the configuration again for one connection, with no
// diagnostics. sshd `-T -C` (the `ctx` read): Match blocks that apply to the connection of
// `matchContext` override the syntax read. ssh's `final` read (Match final / canonicalization):
// the blocks are matched again with final set, and the options refused on the effective values
// are checked once more. Only the keywords whose effective value matters are evaluated.

import type { Token } from './types';
import { canonOf } from './keywords/index';
import { EVAL_KEYWORDS } from './crossLine';
import type { ParsedFile } from './parse';
import { sshMatches } from './matchEval';
import type { Session } from './session';
import { type Walk, MAX_DEPTH, hostLine, includePattern, isSpecial, newWalk, recordFirst, sshdSpecialInMatch } from './walkRules';

const NO_TOKENS: readonly Token[] = [];

export type EvalRead = 'ctx' | 'final';

/** Reads the main document again as `read`, starting from `seed` (ssh: the first read's values). */
export function evaluate(s: Session, main: ParsedFile, read: EvalRead, seed?: Walk): Walk {
  const w = newWalk();
  if (read === 'ctx') w.active = false;
  if (seed) {
    w.first = new Map(seed.first);
    w.sshState = { ...seed.sshState, hostname: seed.sshState.hostname ?? s.ctx.host };
  }
  evalFile(s, read, main, 0, [s.file], w, false, read === 'ctx');
  return w;
}

/** `neverMatch` / `matchOnly` are servconf.c's per-file SSHCFG_NEVERMATCH / SSHCFG_MATCH_ONLY
 *  (the latter until this file's first Match, in the `-C` read only). */
function evalFile(s: Session, read: EvalRead, pf: ParsedFile, depth: number, stack: string[], w: Walk, neverMatch: boolean, matchOnlyIn: boolean): void {
  const d = s.dialect;
  const final = read === 'final';
  let matchOnly = matchOnlyIn;
  for (const pl of pf.lines) {
    if (w.aborted) return;
    const sk = pl.sk;
    if (sk !== 'directive' || pl.badQuoteAt !== undefined) continue;
    const key = pl.kwLower;
    const spec = pl.spec;
    if (!spec && !isSpecial(d, key)) continue;
    // The -C read skips what the syntax read already refused ("not allowed within a Match block").
    if (d === 'sshd' && !w.active && !(spec?.match ?? sshdSpecialInMatch(key))) continue;
    if (key === 'match') {
      if (s.matchVerdict(pf, pl)) {
        if (d === 'sshd') w.aborted = true;
        continue;
      }
      if (d === 'sshd') {
        // sshd's only re-read is the -C one: a block applies when it matches the connection.
        w.active = !neverMatch && s.ctxMatches(pf, pl);
        matchOnly = false;
      } else {
        const r = sshMatches(pl.matchArgs ?? NO_TOKENS, s.ctx, final, w.sshState);
        if (r.wantFinal) w.wantFinal = true;
        w.active = neverMatch ? false : r.matched;
      }
      continue;
    }
    if (d === 'ssh' && key === 'host') {
      const h = hostLine(pl.args, s.ctx.host, neverMatch);
      if (h.emptyAt < 0) w.active = h.active;
      continue;
    }
    if (key === 'include') {
      include(s, read, pf, pl.args, depth, stack, w, neverMatch, matchOnly);
      continue;
    }
    if (!spec || spec.status !== 'active') continue;
    // sshd -C: non-Match keywords outside an active block are "already processed".
    if (!w.active) continue;
    const canon = canonOf(spec);
    if (final && s.finalRead && s.refusals.watches(canon)) {
      s.refusals.line(canon, { file: pf.path, line: pl.line, keyword: pl.keyword!, args: pl.args, commentStart: pl.commentStart, fileText: pf.text }, true);
    }
    if (!EVAL_KEYWORDS.has(canon) || s.argsVerdict(pf, pl, spec)) continue;
    recordFirst(w, d, canon, pf.path, pl.line, pl.args, final);
  }
}

function include(s: Session, read: EvalRead, pf: ParsedFile, args: Token[], depth: number, stack: string[], w: Walk, neverMatch: boolean, matchOnly: boolean): void {
  if (s.opts.noIncludes) return;
  for (const a of args) {
    if (a.text === '') return;
    const p = includePattern(s.dialect, a.text, s.includeBase, s.sshSystem);
    if ('refused' in p) return;
    const oactive = w.active;
    for (const f of s.files.glob(p.pattern)) {
      if (stack.includes(f) || depth + 1 > MAX_DEPTH) continue;
      const child = s.files.load(f);
      if (!child) continue;
      const childOnly = s.dialect === 'sshd' && read === 'ctx' && matchOnly;
      const childNever = childOnly ? false : (s.dialect === 'ssh' && neverMatch) || !oactive;
      evalFile(s, read, child, depth + 1, [...stack, f], w, childNever, childOnly);
      w.active = oactive;
    }
  }
}
