// Job ids and how user references (id, id prefix, name) resolve to one job.
import { randomBytes } from 'node:crypto';
import { UserError } from './types';

const ID_RE = /^[0-9a-z]{10}$/;

/** 8 base36 chars of milliseconds (fixed width until 2059, so ids sort by time) + 2 random. */
export function newId(now = Date.now()): string {
  const t = now.toString(36).padStart(8, '0').slice(-8);
  const r = randomBytes(2).readUInt16BE(0) % 1296;
  return t + r.toString(36).padStart(2, '0');
}

export function isId(s: string): boolean { return ID_RE.test(s); }

export interface Named { id: string; name: string | null; startedAt: string }

/**
 * Exact id, then name (the newest job with that name: a restarted job keeps its name), then a
 * unique id prefix. Unknown or ambiguous references are user errors.
 */
export function resolveRef<T extends Named>(ref: string, jobs: T[]): T {
  if (!ref) throw new UserError('empty job reference');
  const exact = jobs.find((j) => j.id === ref);
  if (exact) return exact;
  const named = jobs.filter((j) => j.name === ref);
  if (named.length) return named.reduce((a, b) => (b.id > a.id ? b : a));
  const pre = jobs.filter((j) => j.id.startsWith(ref.toLowerCase()));
  if (pre.length === 1) return pre[0];
  if (pre.length > 1) {
    const some = pre.slice(0, 5).map((j) => j.id).join(', ');
    throw new UserError(`ambiguous job reference '${ref}': matches ${pre.length} jobs (${some}${pre.length > 5 ? ', …' : ''})`, 'ambiguous');
  }
  throw new UserError(`no such job: '${ref}'`, 'noSuchJob');
}
