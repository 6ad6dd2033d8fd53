// `linger group ls | set NAME --parallel N | pause NAME | resume NAME`: the queue's groups.
import type { Engine } from '../../core/jobs/engine';
import type { GroupInfo } from '../../core/jobs/types';
import { UserError } from '../../core/jobs/types';
import type { Parsed } from '../args';
import { out, verbSpec, type Command } from '../command';
import { termSafe } from '../escape';

function table(groups: GroupInfo[]): string {
  const rows = [['GROUP', 'PARALLEL', 'STATE', 'RUNNING', 'QUEUED'],
    ...groups.map((g) => [termSafe(g.name), g.parallel === null ? 'unlimited' : String(g.parallel), g.paused ? 'paused' : 'active', String(g.running), String(g.queued)])];
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(w[c]))).join('  ')).join('\n');
}

function parallelOf(v: unknown): number | null {
  if (v === undefined) throw new UserError('group set: give --parallel N (or --parallel unlimited)');
  const s = String(v);
  if (s === 'unlimited' || s === 'none') return null;
  if (!/^[1-9]\d{0,5}$/.test(s)) throw new UserError(`group set: --parallel wants a whole number of at least 1 or 'unlimited', got '${s}'`);
  return +s;
}

/** What `group` needs: the engine here, or another host's agent (cli/remote.ts). */
export type GroupOps = Pick<Engine, 'groups' | 'setGroup'>;

export async function cmdGroup(e: GroupOps, p: Parsed): Promise<number> {
  const [sub, name, ...extra] = p.positionals;
  const json = p.flags.json === true;
  const show = (g: GroupInfo | GroupInfo[]) => out(json ? JSON.stringify(g) : table(Array.isArray(g) ? g : [g]));
  if (sub === 'ls' || sub === undefined) {
    if (name !== undefined) throw new UserError('group ls: takes no arguments');
    const gs = await e.groups();
    if (!json && !gs.length) { out('no groups (linger run --group NAME … makes one; linger group set NAME --parallel N limits it)'); return 0; }
    show(gs);
    return 0;
  }
  if (!['set', 'pause', 'resume'].includes(sub)) throw new UserError(`group: unknown subcommand '${sub}' (use ls, set, pause, resume)`);
  if (name === undefined || extra.length) throw new UserError(`group ${sub}: expected exactly one group name`);
  if (sub !== 'set' && p.flags.parallel !== undefined) throw new UserError(`group ${sub}: --parallel is for group set`);
  show(await e.setGroup(name, sub === 'set' ? { parallel: parallelOf(p.flags.parallel) } : { paused: sub === 'pause' }));
  return 0;
}

export const group: Command = { spec: verbSpec({ parallel: { kind: 'string' }, json: { kind: 'bool' } }), run: cmdGroup };
