import type { Engine } from '../../core/jobs/engine';
import type { Parsed } from '../args';
import { UserError } from '../../core/jobs/types';
import { out, tty, verbSpec, type Command } from '../command';

async function cmdRm(e: Engine, p: Parsed): Promise<number> {
  let ids: string[];
  if (p.flags.finished) {
    if (p.positionals.length) throw new UserError('rm: give job ids or --finished, not both');
    ids = await e.removeFinished();
  } else {
    if (!p.positionals.length) throw new UserError('rm: expected job ids or --finished');
    ids = await e.remove(p.positionals);
  }
  if (tty()) process.stderr.write(`removed ${ids.length} job${ids.length === 1 ? '' : 's'}\n`);
  for (const id of ids) out(id);
  return 0;
}

export const rm: Command = { spec: verbSpec({ finished: { kind: 'bool' } }), run: cmdRm };
