import type { JobRecord, RunOptions, SlurmOptions } from '../../core/jobs/types';
import { BACKEND_CHOICES, UserError, isBackendChoice } from '../../core/jobs/types';
import {
  type AgentContext, optionalBoolean, optionalNonNegInt, optionalString, optionalStringArray, optionalStringRecord, paramsObject,
} from './context';

/** `slurm: { partition, time, cpus, mem, gpus, args, array }`, each field checked (absent → undefined). */
function slurmParam(p: Record<string, unknown>): SlurmOptions | undefined {
  if (p.slurm === undefined || p.slurm === null) return undefined;
  const s = paramsObject(p.slurm);
  const o: SlurmOptions = {};
  for (const k of ['partition', 'time', 'mem', 'gpus', 'array'] as const) { const v = optionalString(s, k); if (v !== undefined) o[k] = v; }
  const cpus = optionalNonNegInt(s, 'cpus');
  if (cpus !== undefined) o.cpus = cpus;
  const args = optionalStringArray(s, 'args');
  if (args) o.args = args;
  return o;
}

export async function run(ctx: AgentContext, raw: unknown): Promise<JobRecord> {
  const p = paramsObject(raw);
  const argv = optionalStringArray(p, 'argv');
  if (!argv || argv.length === 0) throw new UserError('nothing to run: argv is empty');
  const backend = optionalString(p, 'backend');
  if (backend !== undefined && !isBackendChoice(backend)) throw new UserError(`unknown backend '${backend}' (use ${BACKEND_CHOICES.join(', ')})`);
  const opts: RunOptions = {
    argv,
    shell: optionalBoolean(p, 'shell') ?? false,
    name: optionalString(p, 'name') ?? null,
    // The client's explicit choice wins; otherwise the user's setting.
    backend: backend ?? ctx.settings().defaultBackend,
    cwd: optionalString(p, 'cwd'),
    env: optionalStringRecord(p, 'env'),
    restartOf: optionalString(p, 'restartOf') ?? null,
    // false: answer once the backend accepted the job; the pid arrives with a later jobsChanged.
    waitForPid: optionalBoolean(p, 'waitForPid') ?? true,
    slurm: slurmParam(p),
    // The queue (the agent's in-process enqueue): the same checks as the CLI's, in the engine.
    group: optionalString(p, 'group') ?? null,
    after: optionalStringArray(p, 'after'),
    afterAny: optionalBoolean(p, 'afterAny'),
  };
  const job = await ctx.engine().run(opts);
  ctx.jobsTouched();
  return job;
}
