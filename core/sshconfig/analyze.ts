// Analysis of an sshd_config / ssh_config document the way OpenSSH 9.2p1 reads it: one node per
// line, Match/Host blocks, Includes (globbed, lexical order, depth limit), diagnostics in
// OpenSSH's words with "error" exactly where `sshd -t` / `ssh -G` refuse the file, and the
// effective keepalive settings for one connection. Never throws; linear in the input.

import type { Analysis, AnalyzeOptions, Block, IncludeRef, LineNode, MatchContext } from './api';
import type { ConfigDiagnostic, Dialect, KeywordSpec, Severity, Token } from './types';
import { canonOf, suggestKeyword } from './keywords/index';
import { newValueMemo, validateArgs, validateMatch, type ValueMemo, type ValueProblem } from './values';
import { EVAL_KEYWORDS } from './crossLine';
import { assembleChecks } from './assemble';
import type { Event } from './diag';
import { sshdPostParse } from './sshdMain';
import { sshPostParse } from './sshMain';
import { Duplicates } from './duplicates';
import { IncludeFiles } from './includeFiles';
import { newKeywordMemo, parseFile, splitText, type ParsedFile, type ParsedLine } from './parse';
import { defaultReadFile, joinPath, safeHome } from './fsDefaults';
import { byteOrder, hasGlobMagic, matchPattern, matchPatternList } from './patterns';
import { isTrapKeyword, keepaliveReport, keepaliveTraps } from './keepaliveCheck';
import { resolveMatchContext, sshdMatches, sshMatches, type SshEvalState } from './matchEval';
import { LoadRefusals } from './refusals/index';

const NO_TOKENS: readonly Token[] = [];

/** servconf.c SERVCONF_MAX_DEPTH / readconf.c READCONF_MAX_DEPTH. */
const MAX_DEPTH = 16;


/** State shared by one walk over the document and its includes. */
interface Walk {
  mode: 'diag' | 'eval';
  /** sshd: the `-T -C` re-parse (connectinfo set). ssh: unused. */
  ctxPass: boolean;
  /** ssh: second pass for `Match final`. */
  finalPass: boolean;
  active: boolean;
  /** First value per keyword (lowercase canonical name) among active lines. */
  first: Map<string, Event>;
  wantFinal: boolean;
  sshState: SshEvalState;
  /** A fatal() in OpenSSH: nothing after it is read. */
  aborted: boolean;
}

export function analyze(text: string, opts: AnalyzeOptions): Analysis {
  return new Analyzer(opts).run(text);
}

class Analyzer {
  private readonly dialect: Dialect;
  private readonly file: string;
  private readonly diags: ConfigDiagnostic[] = [];
  /** Keyword spellings looked up once per analysis (the main file and its includes). */
  private readonly keywordMemo = newKeywordMemo();
  /** Validators and /etc/services, built or read once per analysis. */
  private readonly valueMemo = newValueMemo();
  private readonly ctx: Required<Pick<MatchContext, 'user' | 'host'>> & MatchContext;
  private readonly includeBase: string;
  private readonly sshSystem: boolean;
  private main!: ParsedFile;
  private nodes: LineNode[] = [];
  private blocks: Block[] = [];
  private includes: IncludeRef[] = [];
  private dups!: Duplicates;
  private readonly files: IncludeFiles;
  /** Some Match line was seen (any file): only then is the sshd `-C` re-parse needed. */
  private sawMatch = false;
  private firstMatchLine = -1;
  /** ssh IgnoreUnknown: the first active value. */
  private ignoreUnknown: string | undefined;
  private reportedIncludes = new Set<string>();
  /** Lines of this document that set a keepalive-related keyword (found by the diagnostics walk). */
  private trapLines: ParsedLine[] = [];
  /** OpenSSH's refusals across lines and on the effective options (refusals/). */
  private readonly refusals: LoadRefusals;
  /** ssh reads the file again for `Match final` only when the first read had no error. */
  private finalRead = false;

  constructor(private readonly opts: AnalyzeOptions) {
    this.dialect = opts.dialect;
    this.file = opts.file;
    this.ctx = resolveMatchContext(opts.dialect, opts.matchContext);
    // ssh reads /etc/ssh/ssh_config as a system file: relative Includes live in /etc/ssh and '~' is refused.
    this.sshSystem = opts.dialect === 'ssh' && (opts.file === '/etc/ssh/ssh_config' || opts.file.startsWith('/etc/ssh/ssh_config.d/'));
    this.files = new IncludeFiles(opts, this.dialect, this.keywordMemo);
    this.includeBase = opts.includeBase ?? (opts.dialect === 'sshd' || this.sshSystem ? '/etc/ssh' : joinPath(safeHome(), '.ssh'));
    this.refusals = new LoadRefusals(opts.dialect, (file, line, col, endCol, code, message) => this.add(file, line, col, endCol, 'error', code, message), { host: this.ctx.host, user: this.ctx.user });
  }

  run(text: string): Analysis {
    this.main = parseFile(this.file, text, this.dialect, this.keywordMemo);
    this.nodes = this.main.lines;
    // At most one winner per directive line; included files rarely outgrow the main document.
    this.dups = new Duplicates(this.dialect, this.file, this.add.bind(this), this.main.lines.length);
    this.files.remember(this.file, this.main);
    for (const pl of this.main.lines) {
      if (pl.kwLower === 'match' && this.firstMatchLine < 0) this.firstMatchLine = pl.line;
      if (this.firstMatchLine >= 0) break;
    }
    this.blocks.push({ kind: 'global', line: 0, endLine: Math.max(0, this.main.lines.length - 1), criteria: '', active: true });

    const diagWalk = this.newWalk('diag', false, false);
    this.walkFile(this.main, 0, [this.file], diagWalk, 'g');
    let effective = diagWalk.first;
    if (this.dialect === 'sshd' && this.sawMatch) {
      // `sshd -T -C …`: Match blocks that apply override what the syntax pass set.
      const c = this.newWalk('eval', true, false);
      c.active = false;
      this.walkFile(this.main, 0, [this.file], c, 'g', false, true);
      effective = new Map(diagWalk.first);
      for (const k of ['clientaliveinterval', 'clientalivecountmax']) {
        const e = c.first.get(k);
        if (e) effective.set(k, e);
      }
    } else if (diagWalk.wantFinal || rereadsForCanonicalization(diagWalk.first.get('canonicalizehostname')?.value[0]?.text)) {
      const f = this.newWalk('eval', false, true);
      f.first = new Map(diagWalk.first);
      f.sshState = { ...diagWalk.sshState, hostname: diagWalk.sshState.hostname ?? this.ctx.host };
      this.finalRead = !this.diags.some((d) => d.severity === 'error');
      this.walkFile(this.main, 0, [this.file], f, 'g');
      effective = f.first;
    }
    // sshd only gets to these checks when the file parsed cleanly.
    if (!this.diags.some((d) => d.severity === 'error')) {
      // fill_default_*options() assembles the algorithm lists first; a refusal there is fatal.
      const add = this.add.bind(this);
      if (!assembleChecks(this.dialect, diagWalk.first, add)) {
        if (this.dialect === 'sshd') sshdPostParse(diagWalk.first, add);
        else sshPostParse(diagWalk.first, add);
        this.refusals.afterParse(this.dialect === 'ssh' ? effective : diagWalk.first);
      }
    }
    const keepalive = keepaliveReport(this.dialect, this.file, effective);
    for (const f of keepaliveTraps(this.dialect, this.trapLines, this.dups.ignored, keepalive)) this.add(this.file, f.line, f.col, f.endCol, f.severity, f.code, f.message);
    this.blocks[this.blocks.length - 1]!.endLine = Math.max(0, this.nodes.length - 1);
    for (const b of this.blocks) if (b.endLine < b.line) b.endLine = b.line;
    this.diags.sort((a, b) => (a.file === b.file ? 0 : a.file === this.file ? -1 : b.file === this.file ? 1 : byteOrder(a.file, b.file)) || a.line - b.line || a.col - b.col);
    return { dialect: this.dialect, lines: this.nodes, blocks: this.blocks, includes: this.includes, diagnostics: this.diags, keepalive };
  }

  private newWalk(mode: 'diag' | 'eval', ctxPass: boolean, finalPass: boolean): Walk {
    return {
      mode, ctxPass, finalPass, active: true, first: new Map(), wantFinal: false,
      sshState: { user: undefined }, aborted: false,
    };
  }

  // ------------------------------------------------------------------------------------------
  // The walk: mirrors parse_server_config_depth / read_config_file_depth.

  /**
   * `neverMatch` / `matchOnly` are servconf.c's per-file SSHCFG_NEVERMATCH / SSHCFG_MATCH_ONLY
   * flags (the latter only in the sshd `-C` pass, until this file's first Match).
   */
  private walkFile(pf: ParsedFile, depth: number, stack: string[], w: Walk, inheritedScope: string, neverMatch = false, matchOnlyIn = false): void {
    let matchOnly = matchOnlyIn;
    const isMain = depth === 0;
    const diag = w.mode === 'diag';
    let scope = inheritedScope;
    let scopeId = diag ? this.dups.scopeId(scope) : -1;
    let block = 0;
    const setBlocks = diag && isMain;
    for (const pl of pf.lines) {
      if (setBlocks) {
        pl.block = block;
        // Every line, even after a fatal one: the traps are about the values as written.
        if (pl.kind === 'directive' && pl.spec !== undefined && isTrapKeyword(pl.spec)) this.trapLines.push(pl);
      }
      if (w.aborted) continue;
      const sk = pl.sk;
      if (sk === 'blank' || sk === 'comment') continue;
      if (sk === 'skipped') {
        if (diag) this.add(pf.path, pl.line, pl.badQuoteAt ?? 0, pl.to, 'warning', 'line-ignored',
          'OpenSSH skips this line: the quote in its keyword is never closed');
        continue;
      }
      const kw = pl.keyword!;
      if (sk === 'noarg') {
        if (diag) this.add(pf.path, pl.line, kw.start, kw.end, 'error', 'missing-value', `no argument after keyword "${kw.text}"`);
        continue;
      }
      const key = pl.kwLower;
      const spec = pl.spec;
      const argv = pl;
      const unknown = !spec && !this.isSpecial(key);
      if (unknown) {
        if (this.dialect === 'ssh' && this.ignoreUnknown !== undefined && matchPatternList(key, this.ignoreUnknown, true) === 1) {
          if (diag) this.add(pf.path, pl.line, kw.start, kw.end, 'hint', 'ignored-unknown', `Ignored unknown option "${kw.text}" (IgnoreUnknown)`);
          if (argv.badQuoteAt !== undefined && diag) this.badQuotes(pf, pl, argv.badQuoteAt);
          continue;
        }
        if (diag) this.unknownKeyword(pf, pl, kw);
        if (argv.badQuoteAt !== undefined && diag) this.badQuotes(pf, pl, argv.badQuoteAt);
        continue;
      }
      if (argv.badQuoteAt !== undefined) {
        if (diag) this.badQuotes(pf, pl, argv.badQuoteAt);
        continue;
      }
      const canon = spec ? canonOf(spec) : key;

      // sshd: "Directive '%s' is not allowed within a Match block" (fatal when not re-parsing).
      if (this.dialect === 'sshd' && !w.active && !(spec?.match ?? this.sshdSpecialInMatch(key))) {
        if (w.ctxPass) continue;
        if (diag) this.notInMatch(pf, pl, kw, isMain);
        w.aborted = true; // fatal(): nothing after this line is read
        continue;
      }

      if (key === 'match') {
        this.sawMatch = true;
        const prob = this.matchVerdict(pf, pl);
        if (prob) {
          if (diag) {
            const t = prob.tokenIndex >= 0 ? pl.matchArgs?.[prob.tokenIndex] : undefined;
            this.add(pf.path, pl.line, t ? t.start : kw.start, t ? t.end : pl.to, 'error', 'bad-match', `${prob.message}: Bad Match condition`);
          }
          if (this.dialect === 'sshd') w.aborted = true; // fatal
          continue;
        }
        const criteria = diag ? joinTexts(pl.matchArgs ?? NO_TOKENS) : '';
        if (this.dialect === 'sshd') {
          const isAll = pl.matchArgs !== undefined && pl.matchArgs.length > 0 && isAllWord(pl.matchArgs[0]!.text);
          let v: boolean;
          if (neverMatch) v = false;
          else if (!w.ctxPass) v = isAll;
          else v = this.ctxMatches(pf, pl);
          w.active = v;
          matchOnly = false;
          if (diag) {
            scope = nest(inheritedScope, isAll ? 'all' : `m:${criteria.toLowerCase()}`);
            scopeId = this.dups.scopeId(scope);
          }
        } else {
          const r = sshMatches(pl.matchArgs ?? [], this.ctx, w.finalPass, w.sshState);
          if (r.wantFinal) w.wantFinal = true;
          w.active = neverMatch ? false : r.matched;
          if (diag) {
            scope = nest(inheritedScope, isAlways(pl.matchArgs ?? []) ? 'g' : `h:${criteria.toLowerCase()}`);
            scopeId = this.dups.scopeId(scope);
          }
        }
        if (diag && isMain) {
          block = this.blocks.length;
          this.blocks[this.blocks.length - 1]!.endLine = pl.line - 1;
          this.blocks.push({ kind: 'match', line: pl.line, endLine: pl.line, criteria, active: this.blockActive(pf, pl, w) });
          pl.block = block;
        }
        continue;
      }
      if (this.dialect === 'ssh' && key === 'host') {
        let active = false;
        let emptyAt = -1;
        for (let i = 0; i < argv.args.length; i++) {
          const a = argv.args[i]!.text;
          if (a === '') { emptyAt = i; break; }
          if (neverMatch) break;
          const neg = a.startsWith('!');
          if (matchPattern(this.ctx.host.toLowerCase(), neg ? a.slice(1) : a)) {
            if (neg) { active = false; break; }
            active = true;
          }
        }
        if (emptyAt >= 0) {
          if (diag) { const t = argv.args[emptyAt]!; this.add(pf.path, pl.line, t.start, t.end, 'error', 'bad-value', `keyword ${kw.text} empty argument`); }
          continue;
        }
        w.active = active;
        const criteria = diag ? joinTexts(argv.args) : '';
        if (diag) {
          scope = nest(inheritedScope, argv.args.some((t) => t.text === '*') && !argv.args.some((t) => t.text.startsWith('!')) ? 'g' : `h:${criteria}`);
          scopeId = this.dups.scopeId(scope);
        }
        if (diag && isMain) {
          block = this.blocks.length;
          this.blocks[this.blocks.length - 1]!.endLine = pl.line - 1;
          this.blocks.push({ kind: 'host', line: pl.line, endLine: pl.line, criteria, active });
          pl.block = block;
        }
        continue;
      }
      if (key === 'include') {
        if (!(diag && this.refusals.include({ file: pf.path, line: pl.line, keyword: kw, args: argv.args }))) this.include(pf, pl, depth, stack, w, scope, neverMatch, matchOnly);
        continue;
      }
      if (!spec) continue;

      if (spec.status !== 'active') {
        if (diag) this.statusWarning(pf, pl, kw, spec);
        continue;
      }
      // sshd re-parse: non-Match keywords outside an active block are "already processed".
      if (w.ctxPass && !w.active) continue;
      if (w.finalPass && w.active && this.finalRead && this.refusals.watches(canon)) this.refusals.line(canon, { file: pf.path, line: pl.line, keyword: kw, args: argv.args, commentStart: pl.commentStart, fileText: pf.text }, true);
      if (!diag && (!w.active || !EVAL_KEYWORDS.has(canon))) continue;
      const prob = this.argsVerdict(pf, pl, spec);
      if (prob) {
        if (diag) {
          const t = prob.tokenIndex >= 0 ? argv.args[prob.tokenIndex] : undefined;
          const start = t ? t.start : kw.start;
          const end = t ? t.end : pl.to;
          this.add(pf.path, pl.line, start, end, 'error', prob.code, `${kw.text}: ${prob.message}`.replace(/^(\S+): keyword \1 /, 'keyword $1 '));
        }
        continue;
      }
      if (diag && this.refusals.watches(canon) && this.refusals.line(canon, { file: pf.path, line: pl.line, keyword: kw, args: argv.args, commentStart: pl.commentStart, fileText: pf.text }, w.active)) continue;
      if (diag && spec.multi === 'first') this.dups.check(pf, pl, kw, canon, scope, scopeId, spec.lastWins === true);
      if (w.active && !w.first.has(canon)) {
        w.first.set(canon, { key: canon, value: argv.args, loc: { file: pf.path, line: pl.line } });
        if (this.dialect === 'ssh' && canon === 'ignoreunknown' && w.mode === 'diag') this.ignoreUnknown = argv.args[0]?.text;
        if (this.dialect === 'ssh' && canon === 'user') w.sshState.user = argv.args[0]?.text;
        // Before the final pass ssh.c has fixed the host name (the first pass's HostName or the argument).
        if (this.dialect === 'ssh' && canon === 'hostname' && !w.finalPass) w.sshState.hostname = argv.args[0]?.text;
      }
    }
  }

  // Verdicts are kept per file at the line's twin index (parse.ts): identical lines are
  // validated once, and the sshd -C pass, which walks every Match line again, reuses them.

  private argsVerdict(pf: ParsedFile, pl: ParsedLine, spec: KeywordSpec): ValueProblem | null {
    const verdicts = pf.verdicts ??= new Array(pf.lines.length);
    let v = verdicts[pl.twin];
    if (v === undefined) v = verdicts[pl.twin] = checkArgs(this.dialect, spec, pl.args, pl.keyword!.text, this.valueMemo);
    return v;
  }

  private matchVerdict(pf: ParsedFile, pl: ParsedLine): ValueProblem | null {
    const verdicts = pf.verdicts ??= new Array(pf.lines.length);
    let v = verdicts[pl.twin];
    if (v === undefined) v = verdicts[pl.twin] = checkMatch(this.dialect, pl.matchArgs ?? NO_TOKENS, this.valueMemo);
    return v;
  }

  private isSpecial(key: string): boolean {
    return key === 'match' || key === 'include' || (this.dialect === 'ssh' && key === 'host');
  }

  /** Match and Include are SSHCFG_ALL in servconf.c. */
  private sshdSpecialInMatch(key: string): boolean {
    return key === 'match' || key === 'include';
  }

  private blockActive(pf: ParsedFile, pl: ParsedLine, w: Walk): boolean {
    if (this.dialect === 'sshd') return this.ctxMatches(pf, pl);
    return w.active;
  }

  private ctxMatches(pf: ParsedFile, pl: ParsedLine): boolean {
    const known = pf.ctxMatches ??= new Array(pf.lines.length);
    let v = known[pl.twin];
    if (v === undefined) v = known[pl.twin] = sshdMatches(pl.matchArgs ?? NO_TOKENS, this.ctx);
    return v;
  }

  // ------------------------------------------------------------------------------------------
  // Diagnostics

  private add(file: string, line: number, col: number, endCol: number, severity: Severity, code: string, message: string,
    extra?: Pick<ConfigDiagnostic, 'fixes' | 'related'>): ConfigDiagnostic {
    const d: ConfigDiagnostic = { file, line, col, endLine: line, endCol: Math.max(endCol, col), severity, code, message, ...extra };
    this.diags.push(d);
    return d;
  }

  private unknownKeyword(pf: ParsedFile, pl: ParsedLine, kw: Token): void {
    const guess = this.suggest(kw.text);
    const fixes = guess ? [{ title: `Change to '${guess}'`, edits: [{ line: pl.line, col: kw.start, endLine: pl.line, endCol: kw.end, newText: guess }] }] : undefined;
    const hint = guess ? ` (did you mean '${guess}'?)` : '';
    const ssh = this.dialect === 'ssh' ? '; list it in IgnoreUnknown to let ssh skip it' : '';
    this.add(pf.path, pl.line, kw.start, kw.end, 'error', 'unknown-keyword', `Bad configuration option: ${kw.text}${hint}${guess ? '' : ssh}`, fixes ? { fixes } : undefined);
  }

  /** Did-you-mean is an edit-distance scan of the table: once per distinct spelling. */
  private suggestions = new Map<string, string | undefined>();
  private suggest(word: string): string | undefined {
    if (this.suggestions.has(word)) return this.suggestions.get(word);
    const g = safe(() => suggestKeyword(this.dialect, word)) ?? undefined;
    if (this.suggestions.size < 1024) this.suggestions.set(word, g);
    return g;
  }

  private badQuotes(pf: ParsedFile, pl: ParsedLine, at: number): void {
    this.add(pf.path, pl.line, at, pl.to, 'error', 'invalid-quotes', 'invalid quotes');
  }

  private notInMatch(pf: ParsedFile, pl: ParsedLine, kw: Token, isMain: boolean): void {
    const fixes = isMain && this.firstMatchLine >= 0 && this.firstMatchLine < pl.line
      ? [{
        title: `Move '${kw.text}' above the first Match block`,
        edits: [
          { line: this.firstMatchLine, col: 0, endLine: this.firstMatchLine, endCol: 0, newText: `${(splitText(this.main.text)[pl.line] ?? '').replace(/\r$/, '').trim()}\n` },
          { line: pl.line, col: 0, endLine: pl.line + 1, endCol: 0, newText: '' },
        ],
      }]
      : undefined;
    this.add(pf.path, pl.line, kw.start, kw.end, 'error', 'not-in-match',
      `Directive '${kw.text}' is not allowed within a Match block`, fixes ? { fixes } : undefined);
  }

  private statusWarning(pf: ParsedFile, pl: ParsedLine, kw: Token, spec: KeywordSpec): void {
    const note = spec.statusNote ? ` (${spec.statusNote})` : '';
    const del = { title: `Remove '${kw.text}'`, edits: [{ line: pl.line, col: 0, endLine: pl.line + 1, endCol: 0, newText: '' }] };
    if (spec.status === 'deprecated') {
      this.add(pf.path, pl.line, kw.start, kw.end, 'warning', 'deprecated', `Deprecated option ${kw.text}: OpenSSH ignores it${note}`, { fixes: [del] });
    } else if (spec.status === 'unsupported') {
      this.add(pf.path, pl.line, kw.start, kw.end, 'warning', 'unsupported', `Unsupported option ${kw.text}: OpenSSH ignores it${note}`, { fixes: [del] });
    } else {
      this.add(pf.path, pl.line, kw.start, kw.end, 'hint', 'ignored-keyword', `OpenSSH silently ignores ${kw.text}${note}`, { fixes: [del] });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Include

  private include(pf: ParsedFile, pl: ParsedLine, depth: number, stack: string[], w: Walk, scope: string, neverMatch: boolean, matchOnly: boolean): void {
    const diag = w.mode === 'diag';
    const isMain = depth === 0;
    const args = pl.args;
    for (const a of args) {
      if (a.text === '') {
        if (diag) this.add(pf.path, pl.line, a.start, a.end, 'error', 'bad-value', `keyword ${pl.keyword?.text ?? 'Include'} empty argument`);
        return;
      }
      let pattern = a.text;
      if (this.dialect === 'ssh') {
        if (this.sshSystem && pattern.startsWith('~')) {
          if (diag) this.add(pf.path, pl.line, a.start, a.end, 'error', 'bad-value', `bad include path ${a.text}: '~' is only allowed in a user's own config`);
          return;
        }
        if (!pattern.startsWith('/') && !pattern.startsWith('~')) pattern = `${this.includeBase}/${pattern}`;
        if (pattern === '~' || pattern.startsWith('~/')) pattern = safeHome() + pattern.slice(1);
      } else if (!pattern.startsWith('/') && !pattern.startsWith('~')) {
        pattern = `${this.includeBase}/${pattern}`;
      }
            const files = this.opts.noIncludes ? [] : this.files.glob(pattern);
      if (this.files.globTruncated && diag && !this.reportedIncludes.has(`${pf.path}\0${pl.line}\0${a.start}`)) {
        this.add(pf.path, pl.line, a.start, a.end, 'info', 'include-truncated', `${pattern} matches too much to follow here; only part of it was read`);
      }
      if (diag && isMain) this.includes.push({ line: pl.line, pattern: a.text, resolved: pattern, files });
      const reportKey = `${pf.path}\0${pl.line}\0${a.start}`;
      const first = !this.reportedIncludes.has(reportKey);
      this.reportedIncludes.add(reportKey);
      if (this.opts.noIncludes) continue;
      if (files.length === 0) {
        if (diag && first) {
          this.add(pf.path, pl.line, a.start, a.end, 'info', 'include-missing',
            hasGlobMagic(pattern) ? `No file matches ${pattern}; OpenSSH skips it silently` : `${pattern} does not exist; OpenSSH skips it silently`);
        }
        continue;
      }
      const oactive = w.active;
      for (const f of files) {
        if (stack.includes(f) || depth + 1 > MAX_DEPTH) {
          if (diag && first) {
            this.add(pf.path, pl.line, a.start, a.end, 'error', stack.includes(f) ? 'include-cycle' : 'include-depth',
              stack.includes(f) ? `${f} includes itself: Too many recursive configuration includes` : 'Too many recursive configuration includes');
          }
          continue;
        }
        const child = this.files.load(f);
        if (!child) {
          if (diag && first) this.add(pf.path, pl.line, a.start, a.end, 'warning', 'include-unreadable', `Cannot read ${f}`);
          continue;
        }
        // readconf.c reads included files with SSHCONF_CHECKPERM: fatal when someone else could edit them.
        if (this.dialect === 'ssh' && diag && first && this.files.badPerms(f)) {
          this.add(pf.path, pl.line, a.start, a.end, 'error', 'include-permissions', `Bad owner or permissions on ${f}`);
          w.aborted = true;
          return;
        }
        const childOnly = this.dialect === 'sshd' && w.ctxPass && matchOnly;
        const childNever = childOnly ? false : (this.dialect === 'ssh' && neverMatch) || !oactive;
        this.walkFile(child, depth + 1, [...stack, f], w, scope, childNever, childOnly);
        w.active = oactive;
      }
    }
  }

}

/** ssh.c: CanonicalizeHostname other than "no" makes ssh read the configuration again (a final pass). */
function rereadsForCanonicalization(v: string | undefined): boolean {
  return v !== undefined && v.toLowerCase() !== 'no';
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

/** `text.toLowerCase() === 'all'` without a lower-case copy per Match line. */
function isAllWord(text: string): boolean {
  return text.length === 3 && (text.charCodeAt(0) | 32) === 97 && (text.charCodeAt(1) | 32) === 108 && (text.charCodeAt(2) | 32) === 108;
}

function isAlways(args: Token[]): boolean {
  return args.length === 1 && args[0]!.text.toLowerCase() === 'all';
}

/** The validators are table-driven; a gap there must not take the whole analysis down. */
function checkArgs(d: Dialect, spec: KeywordSpec, args: Token[], typed: string, memo: ValueMemo): ReturnType<typeof validateArgs> {
  try {
    return validateArgs(d, spec, args, typed, memo);
  } catch {
    return null;
  }
}

function checkMatch(d: Dialect, args: readonly Token[], memo: ValueMemo): ReturnType<typeof validateMatch> {
  try {
    return validateMatch(d, args, memo);
  } catch {
    return null;
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * Analyses a configuration file on disk (e.g. `linger doctor` on /etc/ssh/sshd_config, with its
 * Includes): undefined when it cannot be read.
 */
export function analyzeFile(path: string, opts: Omit<AnalyzeOptions, 'file'>): Analysis | undefined {
  const text = defaultReadFile(path);
  return text === undefined ? undefined : analyze(text, { ...opts, file: path });
}
