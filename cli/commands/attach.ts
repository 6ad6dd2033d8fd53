import type { Engine } from '../../core/jobs/engine';
import type { Parsed } from '../args';
import { UserError } from '../../core/jobs/types';
import { attachSetsid } from '../attach';
import { one, verbSpec, type Command } from '../command';

async function cmdAttach(e: Engine, p: Parsed): Promise<number> {
  const ref = one('attach', p);
  const r = await e.get(ref);
  const a = await e.attachCommand(r.id);
  if (r.backend !== 'setsid' || a.argv[2] !== 'attach' || process.env.LINGER_ATTACH_CHILD) {
    const { spawnSync } = await import('node:child_process');
    process.stderr.write(`${a.detachHint}\n`);
    // Attaching from inside another tmux is the user's call, not a reason for tmux to refuse.
    const env: NodeJS.ProcessEnv = { ...process.env, ...a.env };
    delete env.TMUX;
    const res = spawnSync(a.argv[0], a.argv.slice(1), { stdio: 'inherit', env });
    if (res.error) throw new UserError(`attach failed: ${res.error.message}`);
    return res.status ?? 1;
  }

  return attachSetsid(e, r);
}

export const attach: Command = { spec: verbSpec({}), run: cmdAttach };
