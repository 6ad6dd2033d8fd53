// The log cap holds with no Linger process involved: the per-job sh/split pump keeps log.1 + log
// within the cap and they are exactly the tail of what the terminal saw.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../core/jobs/engine';
import { BACKENDS, cleanupHome, makeHome } from './engine-helpers';

const homes: string[] = [];
after(() => { for (const h of homes) cleanupHome(h); });

const size = (p: string) => { try { return statSync(p).size; } catch { return 0; } };
const read = (p: string) => { try { return readFileSync(p, 'latin1'); } catch { return ''; } };

describe('log cap rotation keeps the exact tail', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(b, async () => {
      const h = makeHome(); homes.push(h);
      const cap = 64 * 1024;
      const e = new Engine({ home: h, logCapBytes: cap });
      const N = 40_000; // ~230 KB of output, several rotations
      const r = await e.run({ argv: ['seq', '1', String(N)], backend: b });
      const done = await e.wait(r.id, { timeoutMs: 30_000 });
      assert.equal(done.state, 'exited');
      const dir = join(h, 'jobs', r.id);
      const total = size(join(dir, 'log.1')) + size(join(dir, 'log'));
      assert.ok(total <= cap, `log.1 + log = ${total} > cap ${cap}`);
      assert.ok(total >= cap / 2, `kept at least half the cap (${total})`);
      const full = Array.from({ length: N }, (_, i) => `${i + 1}\r\n`).join('');
      const kept = read(join(dir, 'log.1')) + read(join(dir, 'log'));
      assert.ok(full.endsWith(kept), 'log.1 + log is exactly the tail of the output');
      assert.equal((await e.readLog(r.id, { tailLines: 2, raw: true })).data.toString('latin1'), `${N - 1}\r\n${N}\r\n`);
      assert.equal((await e.readLog(r.id, { tailLines: 2 })).data.toString('latin1'), `${N - 1}\n${N}\n`);
    });
  }
});
