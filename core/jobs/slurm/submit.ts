// sbatch of our wrapper. The job's argv never reaches a command line: sbatch gets the wrapper as
// its batch script plus the job directory, where the spec file holds argv/env/cwd byte-exact.
import { UserError, type SlurmOptions } from '../types';
import { withPrivateUmask } from '../backends';
import { firstError, runClient } from './commands';
import { expandArraySpec, MAX_ARRAY_TASKS, slurmJobName } from './state';

export interface SubmitPlan { id: string; dir: string; cwd: string; wrapper: string; options: SlurmOptions; /** --dependency=afterok:N[:M] from `--after` (never from the user's own text). */ dependency?: string | null }

/** Checked before anything is written: a clear one-line error for values sbatch would misread. */
export function validateSlurmOptions(o: SlurmOptions): void {
  const bad = (flag: string, v: string, want: string) => new UserError(`run: --${flag} wants ${want}, got '${v}'`);
  const plain = (flag: string, v: string | undefined) => {
    if (v !== undefined && (v === '' || /[\0\n]/.test(v))) throw bad(flag, v, 'a non-empty value without newlines');
  };
  plain('partition', o.partition); plain('time', o.time); plain('mem', o.mem); plain('gpus', o.gpus);
  if (o.cpus !== undefined && !(Number.isInteger(o.cpus) && o.cpus > 0)) throw bad('cpus', String(o.cpus), 'a positive whole number');
  if (o.array !== undefined && !expandArraySpec(o.array)) throw bad('array', o.array, `task ids such as 0-9%2, 1,3,5-7 or 0-15:4 (at most ${MAX_ARRAY_TASKS} tasks)`);
  for (const a of o.args ?? []) {
    if (/[\0\n]/.test(a)) throw new UserError('run: --slurm-arg values must not contain newlines');
    // Linger has to know about an array (each task gets its own files in the job dir).
    if (/^(--array(=|$)|-a)/.test(a)) throw new UserError('run: give a job array as --array SPEC (Linger keeps one record with its tasks)');
    // Linger owns these: the job's output goes to its log, the name is how polls find the job.
    if (/^(--output|--error|--job-name|-o|-e|-J|--parsable|--wrap)(=|$)/.test(a)) throw new UserError(`run: --slurm-arg ${a.split('=')[0]} is set by Linger`);
  }
}

export function sbatchArgv(p: SubmitPlan): string[] {
  const o = p.options;
  const a = ['--parsable', `--job-name=${slurmJobName(p.id)}`, `--comment=linger:${p.id}`,
    // Slurm's own notes (time limit, OOM, cancel) land here; the job's output goes to the log.
    `--output=${p.dir}/${o.array !== undefined ? 'slurm-%a.out' : 'slurm.out'}`, '--open-mode=append', `--chdir=${p.cwd}`];
  if (o.partition !== undefined) a.push(`--partition=${o.partition}`);
  if (o.time !== undefined) a.push(`--time=${o.time}`);
  if (o.cpus !== undefined) a.push(`--cpus-per-task=${o.cpus}`);
  if (o.mem !== undefined) a.push(`--mem=${o.mem}`);
  if (o.gpus !== undefined) a.push(`--gpus=${o.gpus}`);
  if (o.array !== undefined) a.push(`--array=${o.array}`);
  if (p.dependency) a.push(p.dependency);
  a.push(...(o.args ?? []));
  // sbatch sends the script's content to the controller; the installed wrapper's path goes along
  // as $3 so the job can start its tmux pane with it (the spooled copy is not for other users).
  a.push(p.wrapper, p.dir, 'slurm', p.wrapper);
  return a;
}

/** Submits; the Slurm job id, or Slurm's own message as a UserError. */
export function submit(p: SubmitPlan): string {
  // sbatch hands its umask to the job (SLURM_UMASK): the wrapper's files are private, and the
  // wrapper gives the job the caller's own umask back from the spec.
  const r = withPrivateUmask(() => runClient('sbatch', sbatchArgv(p)));
  // --parsable: "ID" or "ID;cluster"
  const m = /^(\d+)(?:;\S+)?\s*$/m.exec(r.stdout);
  if (!r.ok || !m) throw new UserError(`sbatch refused the job: ${firstError(r).replace(/^sbatch: error: /, '')}`);
  return m[1];
}
