import type { Engine } from '../../core/jobs/engine';
import type { Parsed } from '../args';
import { UserError } from '../../core/jobs/types';
import { attachSetsid } from '../attach';
import { one, verbSpec, type Command } from '../command';
import { follow } from './logs';

async function cmdAttach(e: Engine, p: Parsed): Promise<number> {
  const ref = one('attach', p);
  const r = await e.get(ref);
  const a = await e.attachCommand(r.id, p.flags.task as string | undefined);
  if (r.backend !== 'setsid' || a.argv[2] !== 'attach' || process.env.LINGER_ATTACH_CHILD) {
    const { spawnSync } = await import('node:child_process');
    process.stderr.write(`${a.detachHint}\n`);
    // Attaching from inside another tmux is the user's call, not a reason for tmux to refuse.
    const env: NodeJS.ProcessEnv = { ...process.env, ...a.env };
    delete env.TMUX;
    const t0 = Date.now();
    const res = spawnSync(a.argv[0], a.argv.slice(1), { stdio: 'inherit', env });
    if (r.backend === 'slurm' && (res.error || (res.status !== 0 && Date.now() - t0 < 5000))) {
      // srun could not reach the job's node (or its terminal is gone): its log is the next best.
      process.stderr.write(`linger: cannot reach job ${r.id} on its node (${res.error?.message ?? `srun exit ${res.status}`}); following its log instead\n`);
      const task = (p.flags.task as string | undefined) ?? r.slurm?.tasks?.find((t) => t.state === 'running')?.task;
      const [old, cur] = await e.logFiles(r.id, task);
      await follow(e, r.id, old, cur, false, (b) => { if (b.length) process.stdout.write(b); }, task);
      return 0;
    }
    if (res.error) throw new UserError(`attach failed: ${res.error.message}`);
    return res.status ?? 1;
  }

  return attachSetsid(e, r);
}

export const attach: Command = { spec: verbSpec({ task: { kind: 'string' } }), run: cmdAttach };
