// The number/time/port parsers behind the validators, reproducing misc.c (convtime, a2port,
// atoi_err/strtonum) and fmt_scaled.c scan_scaled. Pure tests; the oracle comparison lives in
// values-fuzz-oracle.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { a2port, atoiErr, addrListInvalid, parseTime, scanScaled, strtonum } from '../../core/sshconfig/values';

test('parseTime follows convtime', () => {
  const cases: Array<[string, number | null]> = [
    ['90', 90], ['1m30s', 90], ['1h', 3600], ['1d', 86400], ['2w', 1209600], ['1H1M1S', 3661], ['0', 0],
    ['5s5', 10], ['+5', 5], ['-0', 0], ['', null], ['-5', null], ['5x', null], ['m', null], ['1m-', null],
    ['2147483647', 2147483647], ['2147483648', null], ['35791395m', null], ['35791394m', 2147483640],
    ['10 ', null],
  ];
  for (const [s, want] of cases) assert.equal(parseTime(s), want, JSON.stringify(s));
});

test('strtonum / atoi_err wording', () => {
  assert.deepEqual(strtonum('22', 0, 65535), { value: 22 });
  assert.deepEqual(strtonum('22x', 0, 65535), { error: 'invalid' });
  assert.deepEqual(strtonum('-1', 0, 65535), { error: 'too small' });
  assert.deepEqual(strtonum('70000', 0, 65535), { error: 'too large' });
  assert.deepEqual(atoiErr(''), { error: 'missing' });
  assert.deepEqual(atoiErr(' 7'), { value: 7 });
});

test('a2port: numbers 0..65535 and tcp service names', () => {
  assert.equal(a2port('22'), 22);
  assert.equal(a2port('0'), 0);
  assert.equal(a2port('65536'), -1);
  assert.equal(a2port('x1'), -1);
  assert.ok(a2port('ssh') > 0);
});

test('scan_scaled', () => {
  assert.deepEqual(scanScaled('1G'), { value: 1024 ** 3 });
  assert.deepEqual(scanScaled('512m'), { value: 512 * 1024 ** 2 });
  assert.deepEqual(scanScaled('1.5K'), { value: 1536 });
  assert.deepEqual(scanScaled('10'), { value: 10 });
  assert.deepEqual(scanScaled('1X'), { error: 'Invalid argument' });
  assert.deepEqual(scanScaled('1Gb'), { error: 'Invalid argument' });
  assert.deepEqual(scanScaled('1.2.3'), { error: 'Invalid argument' });
});

test('addr_match_list in syntax-check mode', () => {
  assert.equal(addrListInvalid('10.0.0.0/8'), false);
  assert.equal(addrListInvalid('10.0.0.1/8'), true);
  assert.equal(addrListInvalid('10.0.0.0/33'), true);
  assert.equal(addrListInvalid('::1/128,!192.168.0.0/16'), false);
  assert.equal(addrListInvalid('fe80::1/10'), true);
  assert.equal(addrListInvalid('a,,b'), true);
  assert.equal(addrListInvalid('!'), true);
  assert.equal(addrListInvalid('foo*,10.0.0.0/x'), false);
});
