import { BACKEND_CHOICES, UserError, isBackendChoice, type SlurmOptions } from '../../core/jobs/types';
import type { Parsed } from '../args';
import { envPairs } from '../args';
import { out, verbSpec, type Command } from '../command';
import { runBatch } from './batch';

export const run: Command = {
  spec: verbSpec({ name: { kind: 'string' }, backend: { kind: 'string' },
    partition: { kind: 'string' }, time: { kind: 'string' }, cpus: { kind: 'string' }, mem: { kind: 'string' }, gpus: { kind: 'string' }, 'slurm-arg': { kind: 'multi' }, array: { kind: 'string' }, cwd: { kind: 'string' }, env: { kind: 'multi' }, json: { kind: 'bool' }, shell: { kind: 'bool' },
    group: { kind: 'string' }, after: { kind: 'multi' }, 'after-any': { kind: 'multi' }, batch: { kind: 'bool' } }, true),
  takesRawArgv: true,
  async run(e, p) {
    const f = p.flags;
    if (f.batch === true) return runBatch(e, p);
    // Exact bytes where some argument is not UTF-8 (p.raw), else the strings.
    let argv: Array<string | Buffer> = p.raw?.positionals ?? p.positionals;
    const shell = f.shell === true;
    if (shell) {
      if (argv.length !== 1) throw new UserError("run --shell: give the command as ONE string, e.g. linger run --shell 'make && make test'");
      argv = [process.env.SHELL || '/bin/sh', '-lc', argv[0]];
    }
    if (!argv.length) throw new UserError('run: no command given (usage: linger run [options] -- CMD [ARG...])');
    const backend = (f.backend as string | undefined) ?? 'auto';
    if (!isBackendChoice(backend)) throw new UserError(`run: unknown backend '${backend}' (use ${BACKEND_CHOICES.join(', ')})`);
    const slurm = slurmOptions(p, backend === 'slurm');
    const cwd = p.raw?.flags.cwd?.[0] ?? (f.cwd as string | undefined);
    const r = await e.run({ argv, shell, slurm, name: (f.name as string | undefined) ?? null, backend, cwd, env: envPairs(f.env as string[] | undefined, p.raw?.flags.env),
      ...queueFlags(p),
      // Only --json shows the pid; a plain run returns as soon as the backend has the job.
      waitForPid: f.json === true });
    out(f.json ? JSON.stringify(r) : r.id);
    return 0;
  },
};

/** --partition/--time/--cpus/--mem/--gpus/--array/--slurm-arg: only with --backend slurm. */
function slurmOptions(p: Parsed, slurm: boolean): SlurmOptions | undefined {
  const f = p.flags;
  const names = ['partition', 'time', 'cpus', 'mem', 'gpus', 'slurm-arg', 'array'].filter((n) => f[n] !== undefined);
  if (!slurm) {
    if (names.length) throw new UserError(`run: --${names[0]} needs --backend slurm`);
    return undefined;
  }
  const o: SlurmOptions = {};
  if (f.partition !== undefined) o.partition = f.partition as string;
  if (f.time !== undefined) o.time = f.time as string;
  if (f.cpus !== undefined) {
    if (!/^[1-9]\d*$/.test(f.cpus as string)) throw new UserError(`run: --cpus wants a positive whole number, got '${f.cpus as string}'`);
    o.cpus = +(f.cpus as string);
  }
  if (f.mem !== undefined) o.mem = f.mem as string;
  if (f.gpus !== undefined) o.gpus = f.gpus as string;
  if (f['slurm-arg'] !== undefined) o.args = f['slurm-arg'] as string[];
  if (f.array !== undefined) o.array = f.array as string;
  return o;
}

/** --group NAME, --after ID[,ID…] (all exited 0), --after-any ID[,ID…] (ended at all); not both kinds. */
export function queueFlags(p: Parsed): { group?: string; after?: string[]; afterAny?: boolean } {
  const f = p.flags;
  const list = (v: unknown) => ((v as string[] | undefined) ?? []).flatMap((x) => x.split(',')).map((x) => x.trim());
  const ok = list(f.after);
  const any = list(f['after-any']);
  if (ok.length && any.length) throw new UserError('run: give --after or --after-any, not both');
  const after = ok.length ? ok : any;
  if (after.some((x) => !x)) throw new UserError('run: --after wants job ids separated by commas');
  const o: { group?: string; after?: string[]; afterAny?: boolean } = {};
  if (f.group !== undefined) o.group = f.group as string;
  if (after.length) { o.after = after; o.afterAny = any.length > 0; }
  return o;
}
