// `linger run --batch`: one job per line of stdin as JSON, all submitted by this one process (a
// sweep of 100 jobs costs one Node start, not 100), then one advance step for all of them.
import { readFileSync } from 'node:fs';
import type { Engine } from '../../core/jobs/engine';
import { BACKEND_CHOICES, UserError, isBackendChoice, type BackendChoice, type JobRecord, type RunOptions } from '../../core/jobs/types';
import type { Parsed } from '../args';
import { out } from '../command';

/** One stdin line: {"argv": [...], "name"?, "group"?, "after"?, "afterAny"?, "cwd"?, "env"?}. */
export interface BatchLine { argv: string[]; name?: string; group?: string; after?: string[]; afterAny?: boolean; cwd?: string; env?: Record<string, string> }

const KEYS = new Set(['argv', 'name', 'group', 'after', 'afterAny', 'cwd', 'env']);

/** Every line checked before anything is submitted: a bad line 7 submits nothing. */
export function parseBatch(text: string): BatchLine[] {
  const lines: BatchLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const where = `run --batch: line ${i + 1}`;
    let o: unknown;
    try { o = JSON.parse(raw); } catch { throw new UserError(`${where}: not JSON`); }
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw new UserError(`${where}: want an object such as {"argv": ["make", "test"]}`);
    const r = o as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!KEYS.has(k)) throw new UserError(`${where}: unknown key ${JSON.stringify(k)} (use ${[...KEYS].join(', ')})`);
    const strs = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!strs(r.argv) || (r.argv as string[]).length === 0) throw new UserError(`${where}: "argv" must be a non-empty array of strings`);
    for (const k of ['name', 'group', 'cwd'] as const) if (r[k] !== undefined && typeof r[k] !== 'string') throw new UserError(`${where}: "${k}" must be a string`);
    if (r.after !== undefined && !strs(r.after)) throw new UserError(`${where}: "after" must be an array of job ids or names of earlier lines`);
    if (r.afterAny !== undefined && typeof r.afterAny !== 'boolean') throw new UserError(`${where}: "afterAny" must be true or false`);
    if (r.env !== undefined && (!r.env || typeof r.env !== 'object' || Array.isArray(r.env) || !Object.values(r.env).every((v) => typeof v === 'string'))) throw new UserError(`${where}: "env" must be an object of strings`);
    lines.push(r as unknown as BatchLine);
  });
  return lines;
}

export async function runBatch(e: Engine, p: Parsed, input: string = readFileSync(0, 'utf8')): Promise<number> {
  const f = p.flags;
  if (p.positionals.length) throw new UserError('run --batch: the jobs come from stdin, one JSON object per line; give no command');
  const backend = (f.backend as string | undefined) ?? 'auto';
  if (!isBackendChoice(backend)) throw new UserError(`run: unknown backend '${backend}' (use ${BACKEND_CHOICES.join(', ')})`);
  const lines = parseBatch(input);
  // An "after" entry naming an earlier line of this batch is that line's job.
  const byName = new Map<string, string>();
  try {
    for (const [i, l] of lines.entries()) {
      const opts: RunOptions = {
        argv: l.argv, name: l.name ?? null, backend: backend as BackendChoice, cwd: l.cwd ?? (f.cwd as string | undefined), env: l.env,
        group: l.group ?? (f.group as string | undefined) ?? null,
        after: (l.after ?? []).map((a) => byName.get(a) ?? a), afterAny: l.afterAny === true,
        waitForPid: false, deferAdvance: true,
      };
      let r: JobRecord;
      try { r = await e.run(opts); } catch (err) {
        if (err instanceof UserError) throw new UserError(`run --batch: line ${i + 1}: ${err.message.replace(/^run: /, '')}`, err.kind);
        throw err;
      }
      if (l.name) byName.set(l.name, r.id);
      // As submitted (queued ones start at the advance below): a refused later line leaves these printed.
      out(f.json ? JSON.stringify(r) : r.id);
    }
  } finally {
    // Whatever was submitted is advanced once, even when a later line was refused.
    await e.advance();
  }
  return 0;
}
