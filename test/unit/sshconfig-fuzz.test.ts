// Robustness: random bytes, random config-shaped text and huge lines through analyze() never
// throw, never hang, and always give one node per line. Time-bounded (fast-check interruptAfterTimeLimit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, type Dialect } from '../../core/sshconfig/index';

const piece = fc.constantFrom('Match', 'Host', 'Include', 'Port', 'ClientAliveInterval', 'IgnoreUnknown', 'User', ' ', '\t', '=', '"', "'", '\\', '#', '\r', '\n', '\f', '\0', '*', '!', ',', 'all', 'x', '0', '1h', 'é', '\u{1F600}', '/etc/ssh/*', '~/');
const configish = fc.array(piece, { maxLength: 200 }).map((p) => p.join(''));
const bytes = fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1'));

function check(text: string, dialect: Dialect): void {
  const a = analyze(text, { dialect, file: '/fuzz.conf', readFile: () => undefined, listDir: () => undefined });
  const expected = text.split('\n');
  if (expected.length > 1 && expected[expected.length - 1] === '') expected.pop();
  assert.equal(a.lines.length, expected.length);
  for (const d of a.diagnostics) {
    assert.ok(d.line >= 0 && d.endCol >= d.col, JSON.stringify(d));
  }
}

test('fuzz: config-shaped and random text never throws and gives one node per line', () => {
  for (const dialect of ['sshd', 'ssh'] as const) {
    fc.assert(fc.property(fc.oneof(configish, bytes, fc.string({ maxLength: 500 })), (t) => { check(t, dialect); }), {
      numRuns: 600, interruptAfterTimeLimit: 8000, seed: Number(process.env.LINGER_FUZZ_SEED ?? 7),
    });
  }
});

// A hang guard only (the test timeout); speed is measured in bench/.
test('fuzz: huge lines and many quotes finish (no quadratic blow-up)', { timeout: 60_000 }, () => {
  const huge = 'Banner ' + '"a b" '.repeat(200_000) + '\n' + 'AllowUsers ' + 'u,'.repeat(300_000) + '\n' + '\\'.repeat(500_000) + '\n' + '"'.repeat(400_001) + '\n' + 'Match ' + 'User x '.repeat(50_000);
  for (const d of ['sshd', 'ssh'] as const) check(huge, d);
  const lines = Array.from({ length: 100_000 }, (_, i) => (i % 3 ? `ClientAliveInterval ${i}` : `Match User u${i}`)).join('\n');
  check(lines, 'sshd');
});
