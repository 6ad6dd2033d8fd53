import { one, out, verbSpec, type Command } from '../command';
import { showText } from '../format';
import { termSafeText } from '../escape';
import { withProgress } from '../progress';

export const show: Command = {
  spec: verbSpec({ json: { kind: 'bool' } }),
  async run(e, p) {
    const [r] = withProgress(e, [await e.get(one('show', p))]);
    const note = p.flags.json ? null : await e.diskNote(r.id);
    out(p.flags.json ? JSON.stringify(r) : showText(r) + (note ? `\n${'note:'.padEnd(12)}${termSafeText(note)}` : ''));
    return 0;
  },
};
