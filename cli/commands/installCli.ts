// `linger install-cli [--host H]`: a `linger` launcher in ~/.local/bin (here, or on H by its agent).
import { installCli } from '../../core/hosts/installCli';
import { UserError } from '../../core/jobs/types';
import { out, verbSpec, type Command } from '../command';
import type { InstallCliResult } from '../../core/protocol';
import { termSafe } from '../escape';

export const installCliVerb: Command = {
  spec: verbSpec({}),
  async run(_e, p) {
    if (p.positionals.length) throw new UserError(`install-cli: unexpected argument '${p.positionals[0]}'`);
    printInstalled(installCli(), null);
    return 0;
  },
};

/** Where it went, and whether a login shell there finds it. */
export function printInstalled(r: InstallCliResult, host: string | null): void {
  out(r.path);
  if (!r.onPath) process.stderr.write(`linger: ${termSafe(r.path.replace(/\/linger$/, ''))} is not on the login PATH${host ? ` of ${termSafe(host)}` : ''}: add it there (e.g. in ~/.profile) to type plain 'linger'\n`);
}
