// Drift guard for the TextMate grammars: they are generated from the keyword tables, the committed
// files must equal a fresh generation, and every table keyword (and alias) must be highlighted as
// a keyword, never as an unknown word.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { keywordsFor } from '../../core/sshconfig/keywords/index';
import { buildGrammar, GRAMMAR_FILES, grammarText } from '../../server/tools/gen-grammars';

const ROOT = path.resolve(__dirname, '..', '..');

interface Rule { begin?: string; match?: string; patterns?: Rule[] }

/** Oniguruma's `(?i:…)` as a JS regex: drop the inline flag and make the whole pattern case-insensitive. */
function toJs(re: string): RegExp {
  return new RegExp(re.replace(/\(\?i:/g, '(?:'), 'i');
}

for (const dialect of ['sshd', 'ssh'] as const) {
  test(`${dialect}: committed grammar equals the generated one (run server/tools/gen-grammars.ts)`, () => {
    const committed = readFileSync(path.join(ROOT, GRAMMAR_FILES[dialect]), 'utf8');
    assert.equal(committed, grammarText(dialect));
    const g = JSON.parse(committed) as { scopeName: string };
    assert.equal(g.scopeName, dialect === 'sshd' ? 'source.sshd-config' : 'source.ssh-config');
  });

  test(`${dialect}: every table keyword is highlighted as a keyword`, () => {
    const repo = (buildGrammar(dialect).repository ?? {}) as Record<string, Rule>;
    const known = [repo.header, repo['directive-deprecated'], repo.directive]
      .filter((r): r is Rule => !!r?.begin).map((r) => toJs(r.begin!));
    const missing: string[] = [];
    for (const spec of keywordsFor(dialect)) {
      for (const w of [spec.name, ...(spec.aliases ?? [])]) {
        for (const line of [`${w} x`, `  ${w.toLowerCase()}=x`, w.toUpperCase()]) {
          if (!known.some((re) => { const m = re.exec(line); return m !== null && m[1]?.toLowerCase() === w.toLowerCase(); })) {
            missing.push(line);
          }
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  test(`${dialect}: an unknown word is not a keyword; comments and values have scopes`, () => {
    const repo = (buildGrammar(dialect).repository ?? {}) as Record<string, Rule>;
    const kw = repo.directive!.begin!;
    if (keywordsFor(dialect).length > 0) assert.equal(toJs(kw).test('FooBarBaz yes'), false);
    assert.ok(toJs((repo.comment as Rule).match!).test('   # a comment'));
    const values = (repo.values as Rule).patterns!.filter((p) => p.match).map((p) => toJs(p.match!));
    for (const v of ['yes', 'no', '1m30s', '22']) assert.ok(values.some((re) => re.test(` ${v}`)), v);
  });
}
