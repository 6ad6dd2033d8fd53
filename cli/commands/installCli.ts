// `linger install-cli [--host H]`: a `linger` launcher in ~/.local/bin (here, or on H by its agent).
import { installCli } from '../../core/hosts/installCli';
import { UserError } from '../../core/jobs/types';
import { verbSpec, type Command } from '../command';
import { printInstalled } from '../remote';

export const installCliVerb: Command = {
  spec: verbSpec({}),
  async run(_e, p) {
    if (p.positionals.length) throw new UserError(`install-cli: unexpected argument '${p.positionals[0]}'`);
    printInstalled(installCli(), null);
    return 0;
  },
};
