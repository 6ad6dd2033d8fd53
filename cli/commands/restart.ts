import { one, out, verbSpec, type Command } from '../command';

export const restart: Command = {
  spec: verbSpec({ json: { kind: 'bool' } }),
  async run(e, p) {
    const r = await e.restart(one('restart', p));
    out(p.flags.json ? JSON.stringify(r) : r.id);
    return 0;
  },
};
