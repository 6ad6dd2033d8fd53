// Pure parts of exactness: the terminal-stream decoder, exit-file parsing, argv bytes recovery
// from a command line, and flag values carried as bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { TerminalDecoder, decodeTerminal } from '../../core/jobs/logDecode';
import { parseExitStatus } from '../../core/jobs/exitStatus';
import { rawArgv } from '../../cli/rawArgv';
import { envPairs, parseArgs, type VerbSpec } from '../../cli/args';
import { UserError } from '../../core/jobs/types';

/** What the pty writes with opost+onlcr: every "\n" as "\r\n". */
const onlcr = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');

test('decoding undoes onlcr exactly, however the stream is cut into chunks', () => {
  const bytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
  const crlfHeavy = fc.array(fc.constantFrom('\r', '\n', '\r\n', 'x', '\r\r\n'), { maxLength: 60 }).map((a) => Buffer.from(a.join(''), 'latin1'));
  fc.assert(fc.property(fc.oneof(bytes, crlfHeavy), fc.array(fc.nat(), { maxLength: 8 }), (prog, cuts) => {
    const log = onlcr(prog);
    assert.deepEqual(decodeTerminal(log, true).data, prog);
    const dec = new TerminalDecoder();
    const points = [...new Set(cuts.map((c) => c % (log.length + 1)))].sort((a, b) => a - b);
    const out: Buffer[] = [];
    let from = 0;
    for (const p of [...points, log.length]) { out.push(dec.push(log.subarray(from, p))); from = p; }
    out.push(dec.end());
    assert.deepEqual(Buffer.concat(out), prog);
  }), { numRuns: 500 });
  const big = randomBytes(1 << 20);
  assert.ok(decodeTerminal(onlcr(big), true).data.equals(big));
});

test('a trailing "\\r" is held back until the stream says what it was', () => {
  assert.deepEqual(decodeTerminal(Buffer.from('a\r'), false), { data: Buffer.from('a'), used: 1 });
  assert.deepEqual(decodeTerminal(Buffer.from('a\r'), true), { data: Buffer.from('a\r'), used: 2 });
  const d = new TerminalDecoder();
  assert.equal(d.push(Buffer.from('x\r')).toString(), 'x');
  assert.equal(d.push(Buffer.from('\ny\r')).toString(), '\ny');
  assert.equal(d.push(Buffer.from('z')).toString(), '\rz');
  assert.equal(d.push(Buffer.from('\r')).toString(), '');
  assert.equal(d.end().toString(), '\r');
});

test('exit files: "code N", "signal N", and the bare number of older wrappers', () => {
  assert.deepEqual(parseExitStatus('code 139\n'), { kind: 'code', code: 139 });
  assert.deepEqual(parseExitStatus('signal 11\n'), { kind: 'signal', signal: 11 });
  assert.deepEqual(parseExitStatus('7\n'), { kind: 'code', code: 7 });
  assert.deepEqual(parseExitStatus('128\n'), { kind: 'code', code: 128 });
  assert.deepEqual(parseExitStatus('139\n'), { kind: 'ambiguous', status: 139 });
  assert.deepEqual(parseExitStatus('255\n'), { kind: 'code', code: 255 });
  assert.equal(parseExitStatus(''), null);
  assert.equal(parseExitStatus('code\n'), null);
});

test('argv bytes come from the command line, checked against what Node decoded', () => {
  const ff = Buffer.from([0xff]);
  const cmdline = Buffer.concat([Buffer.from('node\0--import\0tsx\0linger.js\0run\0'), ff, Buffer.from('\0\0')]);
  assert.equal(rawArgv(['run', 'ok'], () => { throw new Error('not read'); }), null, 'valid UTF-8 needs no recovery');
  assert.deepEqual(rawArgv(['run', '\uFFFD', ''], () => cmdline), [Buffer.from('run'), ff, Buffer.alloc(0)]);
  const refused = (f: () => unknown, why: RegExp) => assert.throws(f, (e: unknown) => e instanceof UserError && why.test(e.message) && !e.message.includes('\n'));
  refused(() => rawArgv(['run', '\uFFFD', ''], () => { throw Object.assign(new Error('x'), { code: 'ENOENT' }); }), /no \/proc\/self\/cmdline: ENOENT/);
  refused(() => rawArgv(['run', '\uFFFD', 'other'], () => cmdline), /does not match/);
  refused(() => rawArgv(['a', 'b', 'c', 'd', 'e', '\uFFFD', ''], () => cmdline), /shorter/);
});

test('flag values and positionals keep their bytes', () => {
  const run: VerbSpec = { restAfterFirst: true, flags: { cwd: { kind: 'string' }, env: { kind: 'multi' } } };
  const raw = ['--cwd', '/x\xff', '--env=A=\xfe', '--env', 'B=1', 'cmd', '\xfd'].map((s) => Buffer.from(s, 'latin1'));
  const p = parseArgs('run', raw.map((b) => b.toString('utf8')), run, raw);
  assert.deepEqual(p.raw?.flags.cwd, [raw[1]]);
  assert.deepEqual(p.raw?.flags.env, [Buffer.from('A=\xfe', 'latin1'), raw[4]]);
  assert.deepEqual(p.raw?.positionals, raw.slice(5));
  assert.deepEqual(envPairs(p.flags.env as string[], p.raw?.flags.env), { A: Buffer.from([0xfe]), B: Buffer.from('1') });
});
