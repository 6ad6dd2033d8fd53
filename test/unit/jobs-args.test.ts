// CLI argument parsing: flags, `--`, run's argv passthrough, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envPairs, parseArgs, seconds, type VerbSpec } from '../../cli/args';
import { normalizeSignal, parseSize } from '../../core/jobs/engine';
import { UserError } from '../../core/jobs/types';

const run: VerbSpec = { restAfterFirst: true, flags: { name: { kind: 'string' }, env: { kind: 'multi' }, json: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } };
const logs: VerbSpec = { flags: { follow: { kind: 'bool', short: 'f' }, tail: { kind: 'string', short: 'n' } } };

test('run: flags before the command, everything after -- or the first word is argv', () => {
  let p = parseArgs('run', ['--name', 'x', '--env', 'A=1', '--env=B=2', '--json', '--', 'ls', '--json', '-l'], run);
  assert.deepEqual(p.flags, { name: 'x', env: ['A=1', 'B=2'], json: true });
  assert.deepEqual(p.positionals, ['ls', '--json', '-l']);
  p = parseArgs('run', ['make', '-j4', '--name', 'y'], run);
  assert.deepEqual(p.positionals, ['make', '-j4', '--name', 'y']);
  assert.equal(p.flags.name, undefined);
  p = parseArgs('run', ['--', '', '--'], run);
  assert.deepEqual(p.positionals, ['', '--']);
});

test('short flags, bundles and attached values', () => {
  assert.deepEqual(parseArgs('logs', ['-f', 'x'], logs).flags, { follow: true });
  assert.deepEqual(parseArgs('logs', ['-fn5', 'x'], logs).flags, { follow: true, tail: '5' });
  assert.deepEqual(parseArgs('logs', ['--tail', '7', 'x'], logs), { flags: { tail: '7' }, positionals: ['x'], dashdash: false });
});

test('unknown flags and missing values are one-line user errors', () => {
  assert.throws(() => parseArgs('logs', ['--nope'], logs), (e: unknown) => e instanceof UserError && /unknown option --nope/.test(e.message) && !e.message.includes('\n'));
  assert.throws(() => parseArgs('logs', ['-x'], logs), UserError);
  assert.throws(() => parseArgs('logs', ['--tail'], logs), /needs a value/);
  assert.throws(() => parseArgs('logs', ['--follow=1'], logs), /takes no value/);
});

test('env pairs, seconds, signals, sizes', () => {
  assert.deepEqual(envPairs(['A=1', 'B==x', 'C=']), { A: '1', B: '=x', C: '' });
  assert.throws(() => envPairs(['=x']), UserError);
  assert.throws(() => envPairs(['noeq']), UserError);
  assert.equal(seconds('kill', 'grace', '1.5'), 1500);
  assert.throws(() => seconds('kill', 'grace', '-1'), UserError);
  assert.equal(normalizeSignal('term'), 'SIGTERM');
  assert.equal(normalizeSignal('SIGKILL'), 'SIGKILL');
  assert.equal(normalizeSignal('9'), 'SIGKILL');
  assert.throws(() => normalizeSignal('FOO'), UserError);
  assert.equal(parseSize('100M'), 100 * 1024 * 1024);
  assert.equal(parseSize('4k'), 4096);
  assert.equal(parseSize('12'), 12);
  assert.equal(parseSize('x'), null);
});
