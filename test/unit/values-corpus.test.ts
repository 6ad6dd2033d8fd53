// Precision check on real-world configs (../shared/corpus beside the clone, or $LINGER_CORPUS; with OpenSSH 9.2p1's verdicts):
// on every file the oracle accepted (or refused only for machine reasons), the keyword table
// must know every keyword and validateArgs/validateMatch must not complain about any line.
// On "syntax" files, every error the oracle names on a line must be one we report on that line
// when that line is a value problem. Skipped when the corpus is not present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lookupKeyword } from '../../core/sshconfig/keywords/index';
import { validateArgs, validateMatch, type ValueProblem } from '../../core/sshconfig/values';
import type { Dialect, Token } from '../../core/sshconfig/types';

const CORPUS = process.env.LINGER_CORPUS ?? resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
const skip = existsSync(join(CORPUS, 'MANIFEST.tsv')) ? false : 'corpus not present';

/** OpenSSH's line split: keyword up to whitespace or one '=', then argv_split (quotes, '#'). */
function tokenize(line: string): { keyword: string; args: Token[] } | null {
  const m = /^[ \t]*([^ \t="]+)[ \t]*(?:=[ \t]*)?/.exec(line);
  if (!m || m[1]!.startsWith('#')) return null;
  const args: Token[] = [];
  let i = m[0].length;
  while (i < line.length) {
    while (i < line.length && /[ \t\r\n]/.test(line[i]!)) i++;
    if (i >= line.length || line[i] === '#') break;
    const start = i;
    let text = '';
    let quote = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const ch = line[i]!;
      if (!quote && /[ \t\r\n]/.test(ch)) break;
      if (ch === '\\' && i + 1 < line.length && (quote ? line[i + 1] === quote : /[ \t'"\\]/.test(line[i + 1]!))) {
        text += line[++i];
      } else if (quote && ch === quote) quote = '';
      else if (!quote && (ch === '"' || ch === "'")) { quote = ch; quoted = true; }
      else text += ch;
    }
    args.push({ text, start, end: i, quoted });
  }
  return { keyword: m[1]!, args };
}

function problems(dialect: Dialect, text: string): Array<{ line: number; keyword: string; p: ValueProblem | 'unknown' }> {
  const out: Array<{ line: number; keyword: string; p: ValueProblem | 'unknown' }> = [];
  let ignoreUnknown = '';
  text.split('\n').forEach((raw, idx) => {
    const t = tokenize(raw.replace(/[ \t\f\r]+$/, ''));
    if (!t) return;
    const spec = lookupKeyword(dialect, t.keyword);
    if (!spec && t.args.length === 0) {
      // OpenSSH checks for an argument before it looks the keyword up.
      out.push({ line: idx + 1, keyword: t.keyword, p: { message: `no argument after keyword "${t.keyword}"`, tokenIndex: -1, code: 'missing-value' } });
      return;
    }
    if (!spec) {
      const ignored = dialect === 'ssh' && ignoreUnknown.split(',').some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(t.keyword));
      if (!ignored) out.push({ line: idx + 1, keyword: t.keyword, p: 'unknown' });
      return;
    }
    if (spec.name === 'IgnoreUnknown' && !ignoreUnknown) ignoreUnknown = t.args[0]?.text ?? '';
    const p = spec.name === 'Match' ? validateMatch(dialect, t.args) : validateArgs(dialect, spec, t.args, t.keyword);
    if (p) out.push({ line: idx + 1, keyword: t.keyword, p });
  });
  return out;
}

interface Row { file: string; kind: Dialect; oracleKind: string; file_path: string }
function rows(): Row[] {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const head = lines[0]!.split('\t');
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    const get = (k: string) => c[head.indexOf(k)] ?? '';
    return { file: get('file'), kind: get('kind_of_config') as Dialect, oracleKind: get('oracle_kind'), file_path: join(CORPUS, get('file')) };
  });
}

test('no complaint on any line of a config OpenSSH accepts', { skip }, () => {
  const bad: string[] = [];
  let files = 0;
  for (const r of rows()) {
    if (r.oracleKind === 'syntax') continue;
    files++;
    for (const x of problems(r.kind, readFileSync(r.file_path, 'utf8'))) {
      // Unknown keywords in accepted ssh files are fine only if IgnoreUnknown covered them.
      bad.push(`${r.file}:${x.line} ${x.keyword}: ${x.p === 'unknown' ? 'unknown keyword' : x.p.message}`);
    }
  }
  assert.ok(files > 100);
  assert.deepEqual(bad, []);
});

test('on refused configs, value errors OpenSSH names are found on the same line', { skip }, () => {
  const missed: string[] = [];
  let named = 0;
  for (const r of rows()) {
    if (r.oracleKind !== 'syntax') continue;
    const stderr = readFileSync(join(CORPUS, 'oracle-stderr', r.file.replace(/\.conf$/, '.txt')), 'utf8').split('---')[0]!;
    const ours = problems(r.kind, readFileSync(r.file_path, 'utf8'));
    for (const m of stderr.matchAll(/line (\d+): (.*?)\r?$/gm)) {
      const line = Number(m[1]);
      const msg = m[2]!;
      if (/Deprecated option|Unsupported option|Bad configuration option|not allowed within a Match|terminating/.test(msg)) continue;
      named++;
      const hit = ours.find((o) => o.line === line && o.p !== 'unknown');
      if (!hit) missed.push(`${r.file}:${line} ${msg}`);
      else if (hit.p !== 'unknown' && !msg.includes(hit.p.message) && msg !== 'Bad Match condition') {
        missed.push(`${r.file}:${line} oracle "${msg}" vs ours "${hit.p.message}"`);
      }
    }
  }
  assert.deepEqual(missed, [], `${missed.length} of ${named} named value errors missed`);
});
