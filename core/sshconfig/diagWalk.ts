// The diagnostics walk: the syntax read `sshd -t` / `ssh -G` make of the document and its
// includes (Match applies only as `Match all` for sshd; ssh matches the target host), reporting
// every line OpenSSH refuses or ignores in its words, building the blocks and include list of the
// main document, finding duplicates, and keeping the first value of each keyword.

import type { KeywordSpec, Token } from './types';
import { canonOf, suggestKeyword } from './keywords/index';
import { Duplicates } from './duplicates';
import { splitText, type ParsedFile, type ParsedLine } from './parse';
import { hasGlobMagic, matchPatternList } from './patterns';
import { isTrapKeyword } from './keepaliveCheck';
import { sshMatches } from './matchEval';
import type { Session } from './session';
import { type Walk, MAX_DEPTH, hostLine, includePattern, isAllWord, isSpecial, newWalk, recordFirst, sshdSpecialInMatch } from './walkRules';

const NO_TOKENS: readonly Token[] = [];

export class DiagWalk {
  /** Lines of the main document that set a keepalive-related keyword. */
  readonly trapLines: ParsedLine[] = [];
  readonly dups: Duplicates;
  private readonly firstMatchLine: number;
  /** ssh IgnoreUnknown: the first active value. */
  private ignoreUnknown: string | undefined;
  private readonly reportedIncludes = new Set<string>();
  /** Did-you-mean is an edit-distance scan of the table: once per distinct spelling. */
  private readonly suggestions = new Map<string, string | undefined>();

  constructor(private readonly s: Session, private readonly main: ParsedFile) {
    // At most one winner per directive line; included files rarely outgrow the main document.
    this.dups = new Duplicates(s.dialect, s.file, s.add.bind(s), main.lines.length);
    let firstMatch = -1;
    for (const pl of main.lines) if (pl.kwLower === 'match') { firstMatch = pl.line; break; }
    this.firstMatchLine = firstMatch;
  }

  run(): Walk {
    const w = newWalk();
    this.walkFile(this.main, 0, [this.s.file], w, 'g', false);
    return w;
  }

  /** `neverMatch` is servconf.c's per-file SSHCFG_NEVERMATCH (an Include inside a block that does not apply). */
  private walkFile(pf: ParsedFile, depth: number, stack: string[], w: Walk, inheritedScope: string, neverMatch: boolean): void {
    const s = this.s;
    const d = s.dialect;
    const isMain = depth === 0;
    let scope = inheritedScope;
    let scopeId = this.dups.scopeId(scope);
    let block = 0;
    for (const pl of pf.lines) {
      if (isMain) {
        pl.block = block;
        // Every line, even after a fatal one: the traps are about the values as written.
        if (pl.kind === 'directive' && pl.spec !== undefined && isTrapKeyword(pl.spec)) this.trapLines.push(pl);
      }
      if (w.aborted) continue;
      const sk = pl.sk;
      if (sk === 'blank' || sk === 'comment') continue;
      if (sk === 'skipped') {
        s.add(pf.path, pl.line, pl.badQuoteAt ?? 0, pl.to, 'warning', 'line-ignored', 'OpenSSH skips this line: the quote in its keyword is never closed');
        continue;
      }
      const kw = pl.keyword!;
      if (sk === 'noarg') {
        s.add(pf.path, pl.line, kw.start, kw.end, 'error', 'missing-value', `no argument after keyword "${kw.text}"`);
        continue;
      }
      const key = pl.kwLower;
      const spec = pl.spec;
      if (!spec && !isSpecial(d, key)) {
        if (d === 'ssh' && this.ignoreUnknown !== undefined && matchPatternList(key, this.ignoreUnknown, true) === 1) {
          s.add(pf.path, pl.line, kw.start, kw.end, 'hint', 'ignored-unknown', `Ignored unknown option "${kw.text}" (IgnoreUnknown)`);
        } else {
          this.unknownKeyword(pf, pl, kw);
        }
        if (pl.badQuoteAt !== undefined) this.badQuotes(pf, pl, pl.badQuoteAt);
        continue;
      }
      if (pl.badQuoteAt !== undefined) {
        this.badQuotes(pf, pl, pl.badQuoteAt);
        continue;
      }
      // sshd: "Directive '%s' is not allowed within a Match block" is fatal.
      if (d === 'sshd' && !w.active && !(spec?.match ?? sshdSpecialInMatch(key))) {
        this.notInMatch(pf, pl, kw, isMain);
        w.aborted = true;
        continue;
      }
      if (key === 'match') {
        s.sawMatch = true;
        const prob = s.matchVerdict(pf, pl);
        if (prob) {
          const t = prob.tokenIndex >= 0 ? pl.matchArgs?.[prob.tokenIndex] : undefined;
          s.add(pf.path, pl.line, t ? t.start : kw.start, t ? t.end : pl.to, 'error', 'bad-match', `${prob.message}: Bad Match condition`);
          if (d === 'sshd') w.aborted = true; // fatal
          continue;
        }
        const args = pl.matchArgs ?? NO_TOKENS;
        const criteria = joinTexts(args);
        let own: string;
        if (d === 'sshd') {
          const isAll = args.length > 0 && isAllWord(args[0]!.text);
          w.active = !neverMatch && isAll;
          own = isAll ? 'all' : `m:${criteria.toLowerCase()}`;
        } else {
          const r = sshMatches(args, s.ctx, false, w.sshState);
          if (r.wantFinal) w.wantFinal = true;
          w.active = neverMatch ? false : r.matched;
          own = args.length === 1 && args[0]!.text.toLowerCase() === 'all' ? 'g' : `h:${criteria.toLowerCase()}`;
        }
        scope = nest(inheritedScope, own);
        scopeId = this.dups.scopeId(scope);
        if (isMain) block = this.openBlock(pl, 'match', criteria, d === 'sshd' ? s.ctxMatches(pf, pl) : w.active);
        continue;
      }
      if (d === 'ssh' && key === 'host') {
        const h = hostLine(pl.args, s.ctx.host, neverMatch);
        if (h.emptyAt >= 0) {
          const t = pl.args[h.emptyAt]!;
          s.add(pf.path, pl.line, t.start, t.end, 'error', 'bad-value', `keyword ${kw.text} empty argument`);
          continue;
        }
        w.active = h.active;
        const criteria = joinTexts(pl.args);
        scope = nest(inheritedScope, pl.args.some((t) => t.text === '*') && !pl.args.some((t) => t.text.startsWith('!')) ? 'g' : `h:${criteria}`);
        scopeId = this.dups.scopeId(scope);
        if (isMain) block = this.openBlock(pl, 'host', criteria, h.active);
        continue;
      }
      if (key === 'include') {
        if (!s.refusals.include({ file: pf.path, line: pl.line, keyword: kw, args: pl.args })) this.include(pf, pl, depth, stack, w, scope, neverMatch);
        continue;
      }
      if (!spec) continue;
      if (spec.status !== 'active') {
        this.statusWarning(pf, pl, kw, spec);
        continue;
      }
      const canon = canonOf(spec);
      const prob = s.argsVerdict(pf, pl, spec);
      if (prob) {
        const t = prob.tokenIndex >= 0 ? pl.args[prob.tokenIndex] : undefined;
        s.add(pf.path, pl.line, t ? t.start : kw.start, t ? t.end : pl.to, 'error', prob.code, `${kw.text}: ${prob.message}`.replace(/^(\S+): keyword \1 /, 'keyword $1 '));
        continue;
      }
      if (s.refusals.watches(canon) && s.refusals.line(canon, { file: pf.path, line: pl.line, keyword: kw, args: pl.args, commentStart: pl.commentStart, fileText: pf.text }, w.active)) continue;
      if (spec.multi === 'first') this.dups.check(pf, pl, kw, canon, scope, scopeId, spec.lastWins === true);
      if (recordFirst(w, d, canon, pf.path, pl.line, pl.args, false) && d === 'ssh' && canon === 'ignoreunknown') this.ignoreUnknown = pl.args[0]?.text;
    }
  }

  /** A Match/Host line of the main document starts a block (LSP folding, symbols, hover). */
  private openBlock(pl: ParsedLine, kind: 'match' | 'host', criteria: string, active: boolean): number {
    const blocks = this.s.blocks;
    blocks[blocks.length - 1]!.endLine = pl.line - 1;
    blocks.push({ kind, line: pl.line, endLine: pl.line, criteria, active });
    pl.block = blocks.length - 1;
    return pl.block;
  }

  private include(pf: ParsedFile, pl: ParsedLine, depth: number, stack: string[], w: Walk, scope: string, neverMatch: boolean): void {
    const s = this.s;
    for (const a of pl.args) {
      if (a.text === '') {
        s.add(pf.path, pl.line, a.start, a.end, 'error', 'bad-value', `keyword ${pl.keyword?.text ?? 'Include'} empty argument`);
        return;
      }
      const p = includePattern(s.dialect, a.text, s.includeBase, s.sshSystem);
      if ('refused' in p) {
        s.add(pf.path, pl.line, a.start, a.end, 'error', 'bad-value', p.refused);
        return;
      }
      const pattern = p.pattern;
      const files = s.opts.noIncludes ? [] : s.files.glob(pattern);
      const reportKey = `${pf.path}\0${pl.line}\0${a.start}`;
      const first = !this.reportedIncludes.has(reportKey);
      if (s.files.globTruncated && first) {
        s.add(pf.path, pl.line, a.start, a.end, 'info', 'include-truncated', `${pattern} matches too much to follow here; only part of it was read`);
      }
      if (depth === 0) s.includes.push({ line: pl.line, pattern: a.text, resolved: pattern, files });
      this.reportedIncludes.add(reportKey);
      if (s.opts.noIncludes) continue;
      if (files.length === 0) {
        if (first) {
          s.add(pf.path, pl.line, a.start, a.end, 'info', 'include-missing',
            hasGlobMagic(pattern) ? `No file matches ${pattern}; OpenSSH skips it silently` : `${pattern} does not exist; OpenSSH skips it silently`);
        }
        continue;
      }
      const oactive = w.active;
      for (const f of files) {
        if (stack.includes(f) || depth + 1 > MAX_DEPTH) {
          if (first) {
            s.add(pf.path, pl.line, a.start, a.end, 'error', stack.includes(f) ? 'include-cycle' : 'include-depth',
              stack.includes(f) ? `${f} includes itself: Too many recursive configuration includes` : 'Too many recursive configuration includes');
          }
          continue;
        }
        const child = s.files.load(f);
        if (!child) {
          if (first) s.add(pf.path, pl.line, a.start, a.end, 'warning', 'include-unreadable', `Cannot read ${f}`);
          continue;
        }
        // readconf.c reads included files with SSHCONF_CHECKPERM: fatal when someone else could edit them.
        if (s.dialect === 'ssh' && first && s.files.badPerms(f)) {
          s.add(pf.path, pl.line, a.start, a.end, 'error', 'include-permissions', `Bad owner or permissions on ${f}`);
          w.aborted = true;
          return;
        }
        this.walkFile(child, depth + 1, [...stack, f], w, scope, (s.dialect === 'ssh' && neverMatch) || !oactive);
        w.active = oactive;
      }
    }
  }

  private unknownKeyword(pf: ParsedFile, pl: ParsedLine, kw: Token): void {
    const guess = this.suggest(kw.text);
    const fixes = guess ? [{ title: `Change to '${guess}'`, edits: [{ line: pl.line, col: kw.start, endLine: pl.line, endCol: kw.end, newText: guess }] }] : undefined;
    const hint = guess ? ` (did you mean '${guess}'?)` : '';
    const ssh = this.s.dialect === 'ssh' ? '; list it in IgnoreUnknown to let ssh skip it' : '';
    this.s.add(pf.path, pl.line, kw.start, kw.end, 'error', 'unknown-keyword', `Bad configuration option: ${kw.text}${hint}${guess ? '' : ssh}`, fixes ? { fixes } : undefined);
  }

  private suggest(word: string): string | undefined {
    if (this.suggestions.has(word)) return this.suggestions.get(word);
    let g: string | undefined;
    try {
      g = suggestKeyword(this.s.dialect, word);
    } catch {
      g = undefined;
    }
    if (this.suggestions.size < 1024) this.suggestions.set(word, g);
    return g;
  }

  private badQuotes(pf: ParsedFile, pl: ParsedLine, at: number): void {
    this.s.add(pf.path, pl.line, at, pl.to, 'error', 'invalid-quotes', 'invalid quotes');
  }

  private notInMatch(pf: ParsedFile, pl: ParsedLine, kw: Token, isMain: boolean): void {
    const m = this.firstMatchLine;
    const fixes = isMain && m >= 0 && m < pl.line
      ? [{
        title: `Move '${kw.text}' above the first Match block`,
        edits: [
          { line: m, col: 0, endLine: m, endCol: 0, newText: `${(splitText(this.main.text)[pl.line] ?? '').replace(/\r$/, '').trim()}\n` },
          { line: pl.line, col: 0, endLine: pl.line + 1, endCol: 0, newText: '' },
        ],
      }]
      : undefined;
    this.s.add(pf.path, pl.line, kw.start, kw.end, 'error', 'not-in-match', `Directive '${kw.text}' is not allowed within a Match block`, fixes ? { fixes } : undefined);
  }

  private statusWarning(pf: ParsedFile, pl: ParsedLine, kw: Token, spec: KeywordSpec): void {
    const note = spec.statusNote ? ` (${spec.statusNote})` : '';
    const del = { title: `Remove '${kw.text}'`, edits: [{ line: pl.line, col: 0, endLine: pl.line + 1, endCol: 0, newText: '' }] };
    if (spec.status === 'deprecated') {
      this.s.add(pf.path, pl.line, kw.start, kw.end, 'warning', 'deprecated', `Deprecated option ${kw.text}: OpenSSH ignores it${note}`, { fixes: [del] });
    } else if (spec.status === 'unsupported') {
      this.s.add(pf.path, pl.line, kw.start, kw.end, 'warning', 'unsupported', `Unsupported option ${kw.text}: OpenSSH ignores it${note}`, { fixes: [del] });
    } else {
      this.s.add(pf.path, pl.line, kw.start, kw.end, 'hint', 'ignored-keyword', `OpenSSH silently ignores ${kw.text}${note}`, { fixes: [del] });
    }
  }
}

/**
 * Duplicate scope of a block inside a file included from another block: it only ever applies
 * when the including block does, so it is narrower than both (an always-active block there is
 * just the including block).
 */
function nest(inherited: string, own: string): string {
  if (inherited === 'g') return own;
  return own === 'g' || own === 'all' ? inherited : `${inherited}>${own}`;
}

/** The tokens' texts separated by one space (Block.criteria, duplicate scopes). */
function joinTexts(tokens: readonly Token[]): string {
  let s = tokens.length > 0 ? tokens[0]!.text : '';
  for (let i = 1; i < tokens.length; i++) s += ` ${tokens[i]!.text}`;
  return s;
}
