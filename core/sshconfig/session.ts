// What one analysis shares between its walks: the options and the Match context, the files read
// (Include), the diagnostics so far, the per-analysis memos (keyword spellings, /etc/services,
// line verdicts) and the document model the diagnostics walk builds (lines, blocks, includes).

import type { AnalyzeOptions, Block, IncludeRef, LineNode, MatchContext } from './api';
import type { ConfigDiagnostic, Dialect, KeywordSpec, Severity, Token } from './types';
import { newValueMemo, validateArgs, validateMatch, type ValueProblem } from './values';
import { IncludeFiles } from './includeFiles';
import { newKeywordMemo, type ParsedFile, type ParsedLine } from './parse';
import { joinPath, safeHome } from './fsDefaults';
import { resolveMatchContext, sshdMatches } from './matchEval';
import { LoadRefusals } from './refusals/index';

const NO_TOKENS: readonly Token[] = [];

export class Session {
  readonly dialect: Dialect;
  readonly file: string;
  readonly diags: ConfigDiagnostic[] = [];
  /** Keyword spellings looked up once per analysis (the main file and its includes). */
  readonly keywordMemo = newKeywordMemo();
  /** /etc/services, read once per analysis. */
  private readonly valueMemo = newValueMemo();
  readonly ctx: Required<Pick<MatchContext, 'user' | 'host'>> & MatchContext;
  readonly includeBase: string;
  /** ssh reads /etc/ssh/ssh_config as a system file: relative Includes live in /etc/ssh and '~' is refused. */
  readonly sshSystem: boolean;
  readonly files: IncludeFiles;
  /** OpenSSH's refusals across lines and on the effective options (refusals/). */
  readonly refusals: LoadRefusals;
  /** The main document's lines (the analysis result's `lines`). */
  nodes: LineNode[] = [];
  readonly blocks: Block[] = [];
  readonly includes: IncludeRef[] = [];
  /** Some Match line was seen (any file): only then is the sshd `-C` re-parse needed. */
  sawMatch = false;
  /** ssh reads the file again for `Match final` only when the first read had no error. */
  finalRead = false;

  constructor(readonly opts: AnalyzeOptions) {
    this.dialect = opts.dialect;
    this.file = opts.file;
    this.ctx = resolveMatchContext(opts.dialect, opts.matchContext);
    this.sshSystem = opts.dialect === 'ssh' && (opts.file === '/etc/ssh/ssh_config' || opts.file.startsWith('/etc/ssh/ssh_config.d/'));
    this.files = new IncludeFiles(opts, this.dialect, this.keywordMemo);
    this.includeBase = opts.includeBase ?? (opts.dialect === 'sshd' || this.sshSystem ? '/etc/ssh' : joinPath(safeHome(), '.ssh'));
    this.refusals = new LoadRefusals(opts.dialect, (file, line, col, endCol, code, message) => this.add(file, line, col, endCol, 'error', code, message), { host: this.ctx.host, user: this.ctx.user });
  }

  add(file: string, line: number, col: number, endCol: number, severity: Severity, code: string, message: string,
    extra?: Pick<ConfigDiagnostic, 'fixes' | 'related'>): ConfigDiagnostic {
    const d: ConfigDiagnostic = { file, line, col, endLine: line, endCol: Math.max(endCol, col), severity, code, message, ...extra };
    this.diags.push(d);
    return d;
  }

  hasError(): boolean {
    return this.diags.some((d) => d.severity === 'error');
  }

  // Verdicts are kept per file at the line's twin index (parse.ts): identical lines are
  // validated once, and the re-reads, which walk the same lines again, reuse them.

  argsVerdict(pf: ParsedFile, pl: ParsedLine, spec: KeywordSpec): ValueProblem | null {
    const verdicts = pf.verdicts ??= new Array(pf.lines.length);
    let v = verdicts[pl.twin];
    if (v === undefined) v = verdicts[pl.twin] = guarded(() => validateArgs(this.dialect, spec, pl.args, pl.keyword!.text, this.valueMemo));
    return v;
  }

  matchVerdict(pf: ParsedFile, pl: ParsedLine): ValueProblem | null {
    const verdicts = pf.verdicts ??= new Array(pf.lines.length);
    let v = verdicts[pl.twin];
    if (v === undefined) v = verdicts[pl.twin] = guarded(() => validateMatch(this.dialect, pl.matchArgs ?? NO_TOKENS, this.valueMemo));
    return v;
  }

  /** sshd: does this Match line apply to the connection of `matchContext` (`sshd -T -C`)? */
  ctxMatches(pf: ParsedFile, pl: ParsedLine): boolean {
    const known = pf.ctxMatches ??= new Array(pf.lines.length);
    let v = known[pl.twin];
    if (v === undefined) v = known[pl.twin] = sshdMatches(pl.matchArgs ?? NO_TOKENS, this.ctx);
    return v;
  }
}

/** A gap in a validator must not take the whole analysis down. */
function guarded(f: () => ValueProblem | null): ValueProblem | null {
  try {
    return f();
  } catch {
    return null;
  }
}
