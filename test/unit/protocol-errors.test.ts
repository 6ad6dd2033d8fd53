// User errors cross the protocol as data: the client acts on `data.kind`, never on the message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveRef } from '../../core/jobs/ids';
import { UserError } from '../../core/jobs/types';
import { USER_ERROR_CODE } from '../../core/protocol';
import { toResponseError } from '../../server/errors';

function thrown(fn: () => unknown): unknown {
  try { fn(); } catch (e) { return e; }
  assert.fail('expected a throw');
}

const jobs = [
  { id: 'aaaaaaaa01', name: null, startedAt: '' },
  { id: 'aaaaaaaa02', name: 'train', startedAt: '' },
];

test('an unknown reference is noSuchJob, a prefix of several ids is ambiguous', () => {
  const missing = toResponseError(thrown(() => resolveRef('zz', jobs)));
  assert.equal(missing.code, USER_ERROR_CODE);
  assert.deepEqual(missing.data, { kind: 'noSuchJob' });
  assert.match(missing.message, /no such job/);
  assert.deepEqual(toResponseError(thrown(() => resolveRef('aaaa', jobs))).data, { kind: 'ambiguous' });
});

test('a user error from another bundle (same name, no kind) is still a user error', () => {
  const foreign = Object.assign(new Error('bad'), { name: 'UserError' });
  const r = toResponseError(foreign);
  assert.equal(r.code, USER_ERROR_CODE);
  assert.deepEqual(r.data, { kind: 'invalid' });
  assert.deepEqual(toResponseError(new UserError('x', 'noBackend')).data, { kind: 'noBackend' });
});

test('anything else is an internal error without user data', () => {
  const r = toResponseError(new Error('boom'));
  assert.notEqual(r.code, USER_ERROR_CODE);
  assert.equal(r.data, undefined);
});
