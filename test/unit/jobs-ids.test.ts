// Job ids and reference resolution (id, prefix, name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isId, newId, resolveRef } from '../../core/jobs/ids';
import { UserError } from '../../core/jobs/types';

test('ids are 10 lower-case base36 chars, sortable by time', () => {
  const a = newId(1_700_000_000_000), b = newId(1_700_000_000_001), c = newId(1_800_000_000_000);
  for (const x of [a, b, c]) assert.ok(isId(x), x);
  assert.ok(a.slice(0, 8) < b.slice(0, 8) && b < c);
});

const jobs = [
  { id: 'mwaaaaaa01', name: 'build', startedAt: '' },
  { id: 'mwaaaaab02', name: 'build', startedAt: '' },
  { id: 'mwbbbbbb03', name: null, startedAt: '' },
  { id: 'mwbbbbbc04', name: 'mwbbb', startedAt: '' },
];

test('exact id wins, then name (newest), then unique prefix', () => {
  assert.equal(resolveRef('mwaaaaaa01', jobs).id, 'mwaaaaaa01');
  assert.equal(resolveRef('build', jobs).id, 'mwaaaaab02');
  assert.equal(resolveRef('mwbbbbbb', jobs).id, 'mwbbbbbb03');
  assert.equal(resolveRef('mwbbb', jobs).id, 'mwbbbbbc04', 'a name beats a prefix');
  assert.equal(resolveRef('MWBBBBBB', jobs).id, 'mwbbbbbb03', 'prefixes are case-insensitive');
});

test('unknown and ambiguous references are user errors', () => {
  assert.throws(() => resolveRef('zz', jobs), (e: unknown) => e instanceof UserError && /no such job/.test(e.message));
  assert.throws(() => resolveRef('mwa', jobs), (e: unknown) => e instanceof UserError && /ambiguous/.test(e.message));
  assert.throws(() => resolveRef('', jobs), UserError);
});
