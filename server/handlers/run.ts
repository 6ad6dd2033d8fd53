import type { JobRecord, RunOptions } from '../../core/jobs/types';
import { UserError, type BackendChoice } from '../../core/jobs/types';
import {
  type AgentContext, optionalBoolean, optionalString, optionalStringArray, optionalStringRecord, paramsObject,
} from './context';

const BACKENDS: readonly string[] = ['auto', 'tmux', 'screen', 'setsid'];

export async function run(ctx: AgentContext, raw: unknown): Promise<JobRecord> {
  const p = paramsObject(raw);
  const argv = optionalStringArray(p, 'argv');
  if (!argv || argv.length === 0) throw new UserError('nothing to run: argv is empty');
  const backend = optionalString(p, 'backend');
  if (backend !== undefined && !BACKENDS.includes(backend)) throw new UserError(`unknown backend '${backend}'`);
  const opts: RunOptions = {
    argv,
    shell: optionalBoolean(p, 'shell') ?? false,
    name: optionalString(p, 'name') ?? null,
    // The client's explicit choice wins; otherwise the user's setting.
    backend: (backend as BackendChoice | undefined) ?? ctx.settings().defaultBackend,
    cwd: optionalString(p, 'cwd'),
    env: optionalStringRecord(p, 'env'),
    restartOf: optionalString(p, 'restartOf') ?? null,
    // false: answer once the backend accepted the job; the pid arrives with a later jobsChanged.
    waitForPid: optionalBoolean(p, 'waitForPid') ?? true,
  };
  const job = await ctx.engine().run(opts);
  ctx.jobsTouched();
  return job;
}
