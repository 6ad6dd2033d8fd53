// The queue's pure decision (core/jobs/queue.ts): dependency verdicts, group slots, pause, and
// a property: whatever the states and settings, a group never gets more than its limit running.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decideAdvance, type Known, type Waiting } from '../../core/jobs/queue';
import type { JobStateName } from '../../core/jobs/types';

const k = (state: JobStateName, extra: Partial<Known> = {}): Known => ({ state, exitCode: state === 'exited' ? 0 : null, signal: null, group: null, name: null, ...extra });
const w = (id: string, extra: Partial<Waiting> = {}): Waiting => ({ id, group: null, after: [], afterAny: false, ...extra });
const byId = (ds: ReturnType<typeof decideAdvance>) => Object.fromEntries(ds.map((d) => [d.id, d.action === 'start' ? 'start' : `${d.action}: ${d.reason}`]));

test('after: all exited 0 starts; one still running waits; one failed cancels with the reason', () => {
  const known = new Map<string, Known>([
    ['a', k('exited')], ['b', k('running', { name: 'build' })], ['c', k('exited', { exitCode: 1 })],
    ['x', k('queued')], ['y', k('queued')], ['z', k('queued')],
  ]);
  const d = byId(decideAdvance([w('x', { after: ['a'] }), w('y', { after: ['a', 'b'] }), w('z', { after: ['a', 'c'] })], known, {}));
  assert.deepEqual(d, { x: 'start', y: 'wait: waiting for b (build)', z: 'cancel: dependency c exited 1' });
});

test('the control: without dependencies the same jobs all start', () => {
  const known = new Map<string, Known>([['x', k('queued')], ['y', k('queued')], ['z', k('queued')]]);
  assert.deepEqual(byId(decideAdvance([w('x'), w('y'), w('z')], known, {})), { x: 'start', y: 'start', z: 'start' });
});

test('killed, lost, cancelled and removed dependencies cancel; --after-any accepts every end but a cancellation', () => {
  const known = new Map<string, Known>([['k', k('killed', { signal: 'SIGTERM' })], ['l', k('lost')], ['c', k('cancelled')], ['e', k('exited', { exitCode: 2 })]]);
  const waiting = ['k', 'l', 'c', 'gone', 'e'].flatMap((dep) => [w(`${dep}1`, { after: [dep] }), w(`${dep}2`, { after: [dep], afterAny: true })]);
  for (const x of waiting) known.set(x.id, k('queued'));
  assert.deepEqual(byId(decideAdvance(waiting, known, {})), {
    k1: 'cancel: dependency k was killed (SIGTERM)', k2: 'start',
    l1: 'cancel: dependency l was lost', l2: 'start',
    c1: 'cancel: dependency c was cancelled', c2: 'cancel: dependency c was cancelled',
    gone1: 'cancel: dependency gone was removed', gone2: 'start',
    e1: 'cancel: dependency e exited 2', e2: 'start',
  });
});

test('cancellation is transitive in one pass: A failed → B and C (after B) cancelled', () => {
  const known = new Map<string, Known>([['a', k('exited', { exitCode: 1 })], ['b', k('queued')], ['c', k('queued')]]);
  assert.deepEqual(byId(decideAdvance([w('b', { after: ['a'] }), w('c', { after: ['b'] })], known, {})), {
    b: 'cancel: dependency a exited 1', c: 'cancel: dependency b was cancelled',
  });
});

test('a dependency started in this pass makes its dependent wait', () => {
  const known = new Map<string, Known>([['a', k('queued')], ['b', k('queued')]]);
  assert.deepEqual(byId(decideAdvance([w('a'), w('b', { after: ['a'] })], known, {})), { a: 'start', b: 'wait: waiting for a' });
});

test('group slots: running ones count, jobs start in order up to the limit; paused starts nothing; other groups unaffected', () => {
  const known = new Map<string, Known>([['r', k('running', { group: 'gpu' })]]);
  const q = ['q1', 'q2', 'q3'].map((id) => w(id, { group: 'gpu' }));
  for (const x of [...q, w('o', { group: 'cpu' })]) known.set(x.id, k('queued'));
  assert.deepEqual(byId(decideAdvance([...q, w('o', { group: 'cpu' })], known, { gpu: { parallel: 2, paused: false } })), {
    q1: 'start', q2: 'wait: waiting for a slot in gpu: 2/2 running', q3: 'wait: waiting for a slot in gpu: 2/2 running', o: 'start',
  });
  assert.deepEqual(byId(decideAdvance(q, known, { gpu: { parallel: null, paused: true } })), {
    q1: 'wait: group gpu paused', q2: 'wait: group gpu paused', q3: 'wait: group gpu paused',
  });
  // The control: no setting = unlimited.
  assert.deepEqual(byId(decideAdvance(q, known, {})), { q1: 'start', q2: 'start', q3: 'start' });
});

test('a job waiting for a dependency holds no slot', () => {
  const known = new Map<string, Known>([['dep', k('running')], ['a', k('queued')], ['b', k('queued')]]);
  assert.deepEqual(byId(decideAdvance([w('a', { group: 'g', after: ['dep'] }), w('b', { group: 'g' })], known, { g: { parallel: 1, paused: false } })), {
    a: 'wait: waiting for dep', b: 'start',
  });
});

test('property: running + started never exceeds a group\'s limit; nothing is started with an unfinished or failed dependency', () => {
  const states: JobStateName[] = ['queued', 'running', 'exited', 'killed', 'lost', 'cancelled'];
  const arb = fc.record({
    existing: fc.array(fc.record({ state: fc.constantFrom(...states), code: fc.integer({ min: 0, max: 2 }), group: fc.constantFrom(null, 'a', 'b') }), { maxLength: 12 }),
    queued: fc.array(fc.record({ group: fc.constantFrom(null, 'a', 'b'), deps: fc.array(fc.nat(30), { maxLength: 3 }), any: fc.boolean() }), { maxLength: 25 }),
    limits: fc.record({ a: fc.option(fc.integer({ min: 1, max: 4 })), b: fc.option(fc.integer({ min: 1, max: 4 })) }),
    paused: fc.constantFrom(null, 'a', 'b'),
  });
  fc.assert(fc.property(arb, ({ existing, queued, limits, paused }) => {
    const known = new Map<string, Known>();
    existing.forEach((e, i) => known.set(`e${i}`, { state: e.state, exitCode: e.state === 'exited' ? e.code : null, signal: null, group: e.group, name: null }));
    const waiting: Waiting[] = queued.map((q, i) => {
      // Dependencies only on jobs that existed before (as submission guarantees).
      const earlier = [...known.keys()];
      const after = earlier.length ? [...new Set(q.deps.map((d) => earlier[d % earlier.length]))] : [];
      const x = { id: `q${i}`, group: q.group, after, afterAny: q.any };
      known.set(x.id, { state: 'queued', exitCode: null, signal: null, group: q.group, name: null });
      return x;
    });
    const groups = {
      a: { parallel: limits.a, paused: paused === 'a' },
      b: { parallel: limits.b, paused: paused === 'b' },
    };
    const ds = decideAdvance(waiting, known, groups);
    const started = new Set(ds.filter((d) => d.action === 'start').map((d) => d.id));
    for (const g of ['a', 'b'] as const) {
      const before = [...known.entries()].filter(([id, v]) => v.state === 'running' && v.group === g && !started.has(id)).length;
      const now = waiting.filter((x) => started.has(x.id) && x.group === g).length;
      if (groups[g].paused) assert.equal(now, 0);
      if (groups[g].parallel !== null) assert.ok(now === 0 || before + now <= groups[g].parallel!, `group ${g}: ${before} + ${now} > ${groups[g].parallel}`);
    }
    const final = new Map(known);
    for (const d of ds) final.set(d.id, { ...final.get(d.id)!, state: d.action === 'start' ? 'running' : d.action === 'cancel' ? 'cancelled' : 'queued' });
    for (const x of waiting) {
      if (!started.has(x.id)) continue;
      for (const dep of x.after) {
        const s = known.get(dep)!;
        assert.ok(s.state !== 'queued' && s.state !== 'running' && s.state !== 'cancelled' && final.get(dep)!.state !== 'running', `${x.id} started before ${dep} ended`);
        if (!x.afterAny) assert.ok(s.state === 'exited' && s.exitCode === 0, `${x.id} started after ${dep} ${s.state}`);
      }
    }
  }), { numRuns: 2000 });
});
