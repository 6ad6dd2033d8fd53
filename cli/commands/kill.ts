import type { Engine } from '../../core/jobs/engine';
import type { Parsed } from '../args';
import { isFinished } from '../../core/jobs/state';
import { seconds } from '../args';
import { termSafe } from '../escape';
import { one, progress, tty, verbSpec, type Command } from '../command';

async function cmdKill(e: Engine, p: Parsed): Promise<number> {
  const ref = one('kill', p);
  const graceMs = seconds('kill', 'grace', p.flags.grace as string | undefined);
  const r0 = await e.get(ref);
  if (isFinished(r0)) { process.stderr.write(`linger: job ${r0.id} is not running (${termSafe(r0.state)})\n`); return 0; }
  const r = await e.kill(r0.id, { signal: p.flags.signal as string | undefined, graceMs, onProgress: (left) => progress(`killing ${r0.id}: ${(left / 1000).toFixed(1)} s until SIGKILL`) });
  progress(null);
  if (tty()) process.stderr.write(`${r.id}: ${r.state}${r.signal ? ' ' + r.signal : r.exitCode !== null ? ' ' + r.exitCode : ''}\n`);
  return 0;
}

export const kill: Command = { spec: verbSpec({ signal: { kind: 'string', short: 's' }, grace: { kind: 'string' } }), run: cmdKill };
