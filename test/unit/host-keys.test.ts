// extension/host_keys.ts: how the extension names a job across hosts. A job on this host keeps
// its bare id as key (what earlier versions stored in workspaceState still matches); another
// host's is id@host and splits back exactly, also for aliases that contain '@' (user@host).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { newId } from '../../core/jobs/ids';
import { jobKey, keyOf, parseKey, sameHost, statusText } from '../../extension/host_keys';

test('this host: the key is the bare id (control: another host\'s key is not)', () => {
  const id = newId();
  assert.equal(jobKey(null, id), id);
  assert.equal(jobKey(undefined, id), id);
  assert.equal(keyOf({ id }), id);
  assert.notEqual(jobKey('gpu-box', id), id);
  assert.deepEqual(parseKey(id), { id, host: null });
});

test('any alias round-trips, user@host included', () => {
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 40 }), (host, t) => {
    const id = newId(t);
    assert.deepEqual(parseKey(jobKey(host, id)), { id, host });
  }));
  assert.deepEqual(parseKey(jobKey('me@gpu', 'abcdefghij')), { id: 'abcdefghij', host: 'me@gpu' });
});

test('sameHost treats absent and null as this host', () => {
  assert.ok(sameHost(undefined, null));
  assert.ok(sameHost('a', 'a'));
  assert.ok(!sameHost('a', null));
});

test('statusText says why a host is unreachable or refused', () => {
  assert.equal(statusText({ kind: 'unreachable', reason: 'Connection timed out', since: '' }), 'unreachable: Connection timed out');
  assert.equal(statusText({ kind: 'refused', reason: 'agent 9.9 is newer' }), 'refused: agent 9.9 is newer');
  assert.equal(statusText({ kind: 'local' }), '');
});
