// The queue's one decision, pure: given the queued jobs in submission order, every job's state
// and the groups' settings, which queued jobs start now, which are cancelled (a dependency did
// not end as required) and why the others wait. The advance step (queueRun.ts) runs it under the
// queue lock on what it just read from disk and applies the result; test/unit/queue-decide.test.ts
// runs it on fixtures and random inputs (the limit is never exceeded).
import type { JobStateName } from './types';

/** A queued job as the decision needs it. */
export interface Waiting { id: string; group: string | null; after: string[]; afterAny: boolean }

/** Any job (queued, running or ended) as a dependency or a slot holder. */
export interface Known { state: JobStateName; exitCode: number | null; signal: string | null; group: string | null; name: string | null }

export interface GroupSettings { parallel: number | null; paused: boolean }

export type Decision =
  | { id: string; action: 'start' }
  | { id: string; action: 'cancel'; reason: string }
  | { id: string; action: 'wait'; reason: string };

type Verdict = { ok: true } | { ok: false; final: true; reason: string } | { ok: false; final: false; reason: string };

function label(id: string, k: Known | undefined): string { return k?.name ? `${id} (${k.name})` : id; }

/** Whether one dependency lets its dependent start, will never, or must be waited for. */
function dependencyVerdict(id: string, k: Known | undefined, afterAny: boolean): Verdict {
  // Removed (rm): it can no longer be judged. Ended at all is all --after-any asks, and rm takes
  // only ended or never-started jobs; --after needs a verdict it can no longer have.
  if (!k) return afterAny ? { ok: true } : { ok: false, final: true, reason: `dependency ${id} was removed` };
  switch (k.state) {
    case 'queued': case 'running': return { ok: false, final: false, reason: `waiting for ${label(id, k)}` };
    case 'exited':
      return afterAny || k.exitCode === 0 ? { ok: true } : { ok: false, final: true, reason: `dependency ${label(id, k)} exited ${k.exitCode}` };
    case 'killed': return afterAny ? { ok: true } : { ok: false, final: true, reason: `dependency ${label(id, k)} was killed (${k.signal ?? 'signal'})` };
    case 'lost': return afterAny ? { ok: true } : { ok: false, final: true, reason: `dependency ${label(id, k)} was lost` };
    // A cancelled job never ran: even --after-any has nothing to follow (pueue does the same).
    case 'cancelled': return { ok: false, final: true, reason: `dependency ${label(id, k)} was cancelled` };
    default: return { ok: false, final: true, reason: `dependency ${id} is in an unknown state` };
  }
}

export function slotReason(group: string, running: number, parallel: number): string {
  return `waiting for a slot in ${group}: ${running}/${parallel} running`;
}

/**
 * One pass in submission order. A dependency is always submitted before its dependent (it had to
 * exist), so a cancellation or start decided earlier in the pass is seen by the dependents after
 * it: cancellation is transitive in one pass. A job waiting for a dependency holds no slot, so a
 * later job of its group may start before it; jobs that may start do so in submission order.
 */
export function decideAdvance(waiting: readonly Waiting[], known: ReadonlyMap<string, Known>, groups: Readonly<Record<string, GroupSettings>>): Decision[] {
  const states = new Map(known);
  const running = new Map<string, number>();
  for (const k of states.values()) if (k.state === 'running' && k.group !== null) running.set(k.group, (running.get(k.group) ?? 0) + 1);
  const out: Decision[] = [];
  for (const w of waiting) {
    let wait: string | null = null;
    let cancel: string | null = null;
    for (const dep of w.after) {
      const v = dependencyVerdict(dep, states.get(dep), w.afterAny);
      if (v.ok) continue;
      if (v.final) { cancel = v.reason; break; }
      wait ??= v.reason;
    }
    const self = states.get(w.id);
    if (cancel !== null) {
      out.push({ id: w.id, action: 'cancel', reason: cancel });
      states.set(w.id, { state: 'cancelled', exitCode: null, signal: null, group: w.group, name: self?.name ?? null });
      continue;
    }
    if (wait !== null) { out.push({ id: w.id, action: 'wait', reason: wait }); continue; }
    if (w.group !== null) {
      const g = groups[w.group];
      if (g?.paused) { out.push({ id: w.id, action: 'wait', reason: `group ${w.group} paused` }); continue; }
      const n = running.get(w.group) ?? 0;
      if (g?.parallel != null && n >= g.parallel) { out.push({ id: w.id, action: 'wait', reason: slotReason(w.group, n, g.parallel) }); continue; }
      running.set(w.group, n + 1);
    }
    out.push({ id: w.id, action: 'start' });
    states.set(w.id, { state: 'running', exitCode: null, signal: null, group: w.group, name: self?.name ?? null });
  }
  return out;
}

/** Group names: what a file name and a Slurm-free CLI word can carry. */
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
