// argv and env reach the job byte-exact on every backend (no shell ever parses them).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine } from '../../core/jobs/engine';
import { BACKENDS, cleanupHome, makeHome } from './engine-helpers';

const homes: string[] = [];
after(() => { for (const h of homes) cleanupHome(h); });

const nasty = ['', ' ', '$(touch /tmp/linger-pwned)', '`id`', '*', '?', '~', '"', "'", "a'b\"c", '\\', '-x', '--', ';', '|', '&&', '\n', '\n\n', 'trail\n', '\r\n', '\t', 'ü€𝄞', '%s%n', '${HOME}', '$0', '!!', 'a\u0001b'];
const arg = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/\0/g, '')),
  // Lone surrogates cannot be passed to a process as UTF-8; they are out of scope.
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replace(/\0/g, '').replace(/\p{Cs}/gu, '')),
);

// The job writes each argument NUL-terminated, then the env value, to a file: exact bytes back.
const DUMP = 'out=$1; shift; printf "%s\\0" "$#" "$@" > "$out.tmp"; printf "%s" "$LINGER_T" >> "$out.env"; mv "$out.tmp" "$out"';

async function roundTrip(e: Engine, dir: string, n: number, args: string[], envVal: string): Promise<{ args: string[]; env: string }> {
  const out = join(dir, `rt-${n}`);
  const r = await e.run({ argv: ['sh', '-c', DUMP, 'sh', out, ...args], env: { LINGER_T: envVal } });
  const done = await e.wait(r.id, { timeoutMs: 20_000 });
  assert.equal(done.state, 'exited', JSON.stringify(done));
  assert.equal(done.exitCode, 0);
  const parts = readFileSync(out, 'utf8').split('\0');
  const count = Number(parts.shift());
  return { args: parts.slice(0, count), env: readFileSync(`${out}.env`, 'utf8') };
}

describe('argv/env round-trip byte-exact', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(b, async () => {
      const h = makeHome(); homes.push(h);
      const e = new Engine({ home: h });
      const runAs = (opts: Parameters<Engine['run']>[0]) => e.run({ ...opts, backend: b });
      const eb = Object.assign(Object.create(e), { run: runAs }) as Engine;
      let n = 0;
      await fc.assert(fc.asyncProperty(fc.array(arg, { maxLength: 6 }), arg, async (args, envVal) => {
        const got = await roundTrip(eb, h, n++, args, envVal);
        assert.deepEqual(got.args, args);
        assert.equal(got.env, envVal);
      }), { numRuns: 25 });
      const big = 'x'.repeat(50_000) + '\n\'"$(y)' + 'é'.repeat(25_000);
      const got = await roundTrip(eb, h, n++, [big, '', big.slice(0, 10)], big.slice(0, 1000));
      assert.equal(got.args[0], big, '100 KB argument intact');
      assert.deepEqual(got.args.slice(1), ['', big.slice(0, 10)]);
    });
  }
});
