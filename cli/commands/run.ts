import { BACKEND_CHOICES, UserError, isBackendChoice } from '../../core/jobs/types';
import { envPairs } from '../args';
import { out, verbSpec, type Command } from '../command';

export const run: Command = {
  spec: verbSpec({ name: { kind: 'string' }, backend: { kind: 'string' }, cwd: { kind: 'string' }, env: { kind: 'multi' }, json: { kind: 'bool' }, shell: { kind: 'bool' } }, true),
  takesRawArgv: true,
  async run(e, p) {
    const f = p.flags;
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
    const cwd = p.raw?.flags.cwd?.[0] ?? (f.cwd as string | undefined);
    const r = await e.run({ argv, shell, name: (f.name as string | undefined) ?? null, backend, cwd, env: envPairs(f.env as string[] | undefined, p.raw?.flags.env),
      // Only --json shows the pid; a plain run returns as soon as the backend has the job.
      waitForPid: f.json === true });
    out(f.json ? JSON.stringify(r) : r.id);
    return 0;
  },
};
