// LingerSettings.from: whatever the client sends is normalised at the boundary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LingerSettings } from '../../server/settings';

test('defaults for junk', () => {
  for (const raw of [undefined, null, 42, 'x', [], { settings: 7 }]) assert.deepEqual(LingerSettings.from(raw), LingerSettings.defaults());
});

test('reads both spellings and both wrappers', () => {
  assert.deepEqual(LingerSettings.from({ settings: { stateDirectory: ' /tmp/s ', logSizeCapMB: 2, defaultBackend: 'tmux', killGraceSeconds: 3 } }),
    { ...LingerSettings.defaults(), stateDir: '/tmp/s', logCapBytes: 2 * 1024 * 1024, defaultBackend: 'tmux', killGraceSeconds: 3 });
  assert.deepEqual(LingerSettings.from({ linger: { stateDir: '/x', logCapBytes: 1000 } }),
    { ...LingerSettings.defaults(), stateDir: '/x', logCapBytes: 1000, defaultBackend: 'auto', killGraceSeconds: 5 });
});

test('invalid values fall back', () => {
  const s = LingerSettings.from({ stateDir: '', logCapBytes: -1, defaultBackend: 'bogus', killGraceSeconds: Number.NaN });
  assert.deepEqual(s, LingerSettings.defaults());
});
