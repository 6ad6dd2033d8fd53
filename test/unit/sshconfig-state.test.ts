// core/sshconfig keeps no module-level mutable state: what an analysis memoises lives in objects
// it creates (KeywordMemo, ValueMemo, Duplicates, IncludeFiles), so two analyses never see each
// other's caches. A static check: top-level `let`/`var`, and top-level Maps/Sets/arrays that are
// not typed read-only, are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', 'core', 'sshconfig');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

test('no module-level mutable state in core/sshconfig', () => {
  const found: string[] = [];
  for (const f of tsFiles(ROOT)) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      const where = `${f.slice(ROOT.length + 1)}:${i + 1}: ${line.trim().slice(0, 80)}`;
      if (/^(export )?(let|var) /.test(line)) found.push(where);
      const c = /^(?:export )?const \w+\s*(?::\s*([^=]+))?=\s*(new (?:Map|Set|WeakMap|WeakSet|Array)\b|\[\s*\]|\[\s*$|\{[^}]*new (?:Map|Set|WeakMap)\b)/.exec(line);
      if (c && !/Readonly|readonly/.test(c[1] ?? '')) found.push(where);
    });
  }
  assert.deepEqual(found, []);
});
