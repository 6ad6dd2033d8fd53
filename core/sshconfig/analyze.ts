// Analysis of an sshd_config / ssh_config document the way OpenSSH 9.2p1 reads it: one node per
// line, Match/Host blocks, Includes (globbed, lexical order, depth limit), diagnostics in
// OpenSSH's words with "error" exactly where `sshd -t` / `ssh -G` refuse the file, and the
// effective keepalive settings for one connection. Never throws; linear in the input.
//
// The reads, as OpenSSH makes them: the diagnostics walk (diagWalk.ts, the syntax read of
// `sshd -t` / `ssh -G`), then when needed an evaluation walk (evalWalk.ts: sshd's `-T -C`
// re-read, ssh's final read), then the checks of sshd.c/ssh.c main() on the values read.

import type { Analysis, AnalyzeOptions } from './api';
import type { Event } from './diag';
import { assembleChecks } from './assemble';
import { sshdPostParse } from './sshdMain';
import { sshPostParse } from './sshMain';
import { parseFile } from './parse';
import { defaultReadFile } from './fsDefaults';
import { byteOrder } from './patterns';
import { keepaliveReport, keepaliveTraps } from './keepaliveCheck';
import { Session } from './session';
import { DiagWalk } from './diagWalk';
import { evaluate } from './evalWalk';
import { rereadsForCanonicalization } from './walkRules';

export function analyze(text: string, opts: AnalyzeOptions): Analysis {
  const s = new Session(opts);
  const main = parseFile(s.file, text, s.dialect, s.keywordMemo);
  s.nodes = main.lines;
  s.files.remember(s.file, main);
  s.blocks.push({ kind: 'global', line: 0, endLine: Math.max(0, main.lines.length - 1), criteria: '', active: true });

  const diag = new DiagWalk(s, main);
  const syntax = diag.run();
  let effective: Map<string, Event> = syntax.first;
  if (s.dialect === 'sshd' && s.sawMatch) {
    // `sshd -T -C …`: Match blocks that apply override what the syntax read set.
    const c = evaluate(s, main, 'ctx');
    effective = new Map(syntax.first);
    for (const k of ['clientaliveinterval', 'clientalivecountmax']) {
      const e = c.first.get(k);
      if (e) effective.set(k, e);
    }
  } else if (s.dialect === 'ssh' && (syntax.wantFinal || rereadsForCanonicalization(syntax.first.get('canonicalizehostname')?.value[0]?.text))) {
    s.finalRead = !s.hasError();
    effective = evaluate(s, main, 'final', syntax).first;
  }
  // sshd only gets to these checks when the file parsed cleanly.
  if (!s.hasError()) {
    // fill_default_*options() assembles the algorithm lists first; a refusal there is fatal.
    const add = s.add.bind(s);
    if (!assembleChecks(s.dialect, syntax.first, add)) {
      if (s.dialect === 'sshd') sshdPostParse(syntax.first, add);
      else sshPostParse(syntax.first, add);
      s.refusals.afterParse(s.dialect === 'ssh' ? effective : syntax.first);
    }
  }
  const keepalive = keepaliveReport(s.dialect, s.file, effective);
  for (const f of keepaliveTraps(s.dialect, diag.trapLines, diag.dups.ignored, keepalive)) s.add(s.file, f.line, f.col, f.endCol, f.severity, f.code, f.message);
  s.blocks[s.blocks.length - 1]!.endLine = Math.max(0, s.nodes.length - 1);
  for (const b of s.blocks) if (b.endLine < b.line) b.endLine = b.line;
  s.diags.sort((a, b) => (a.file === b.file ? 0 : a.file === s.file ? -1 : b.file === s.file ? 1 : byteOrder(a.file, b.file)) || a.line - b.line || a.col - b.col);
  return { dialect: s.dialect, lines: s.nodes, blocks: s.blocks, includes: s.includes, diagnostics: s.diags, keepalive };
}

/**
 * Analyses a configuration file on disk (e.g. `linger doctor` on /etc/ssh/sshd_config, with its
 * Includes): undefined when it cannot be read.
 */
export function analyzeFile(path: string, opts: Omit<AnalyzeOptions, 'file'>): Analysis | undefined {
  const text = defaultReadFile(path);
  return text === undefined ? undefined : analyze(text, { ...opts, file: path });
}
