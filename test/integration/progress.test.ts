// Progress from real programs under real backends, through the CLI: a python3 tqdm loop (Debian's
// python3-tqdm) and a rich bar (python3-rich) show a rising fraction in `ls --json` while they
// run, a plain N/M shell loop too; the control, a job that prints no progress, has no progress
// field and `ls` shows no PROGRESS column.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { JobRecord } from '../../core/jobs/types';
import { BACKENDS, cli, cleanupHome, makeHome, sleep } from './engine-helpers';

const homes: string[] = [];
const home = () => { const h = makeHome(); homes.push(h); return h; };
after(() => { for (const h of homes) cleanupHome(h); });

/** The first python3 on PATH that has tqdm and rich (a pyenv shim may come before the system's). */
function python(): string {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(d, 'python3');
    if (existsSync(p) && spawnSync(p, ['-c', 'import tqdm, rich'], { stdio: 'ignore' }).status === 0) return p;
  }
  throw new Error('no python3 with tqdm and rich on PATH: install python3-tqdm and python3-rich (scripts/setup-host.sh)');
}

async function ls(h: string): Promise<JobRecord[]> {
  const r = await cli(h, ['ls', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JobRecord[];
}

/** Polls `ls --json` until the job's fraction has risen twice, or the job ends (then fails). */
async function risingFractions(h: string, id: string): Promise<{ seen: number[]; last: JobRecord }> {
  const seen: number[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const j = (await ls(h)).find((x) => x.id === id)!;
    const f = j.progress?.fraction;
    if (typeof f === 'number' && f !== seen[seen.length - 1]) seen.push(f);
    if (seen.length >= 3) return { seen, last: j };
    assert.equal(j.state, 'running', `the job ended before its progress was seen rising: ${JSON.stringify(seen)}`);
    assert.ok(Date.now() < deadline, `no rising progress within the deadline: ${JSON.stringify(seen)}`);
    await sleep(200);
  }
}

const TQDM = 'import time\nfrom tqdm import tqdm\nfor _ in tqdm(range(400), desc="sweep"):\n    time.sleep(0.05)\n';
const RICH = 'import time\nfrom rich.progress import track\nfor _ in track(range(400), description="rich"):\n    time.sleep(0.05)\n';

describe('tqdm under each backend: ls --json shows the fraction rising', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(b, async () => {
      const h = home();
      const run = await cli(h, ['run', '--backend', b, '--', python(), '-c', TQDM]);
      assert.equal(run.code, 0, run.stderr);
      const id = run.stdout.trim();
      const { seen, last } = await risingFractions(h, id);
      assert.ok(seen.every((f, i) => i === 0 || f > seen[i - 1]!), `rising: ${seen}`);
      assert.equal(last.progress?.source, 'tqdm');
      assert.match(last.progress!.text, /^sweep: +\d+% \d+\/400 \[/);
      const table = await cli(h, ['ls']);
      assert.match(table.stdout.split('\n')[0]!, /\bPROGRESS\b/);
      assert.match(table.stdout, /\d+% · ETA \d+ s/);
      await cli(h, ['kill', id, '--grace', '0.2']);
      // Ended: no progress any more.
      assert.equal((await ls(h)).find((x) => x.id === id)!.progress, undefined);
    });
  }
});

test('rich under tmux and a plain N/M loop: rising too', async () => {
  const h = home();
  const rich = (await cli(h, ['run', '--backend', 'tmux', '--', python(), '-c', RICH])).stdout.trim();
  const loop = (await cli(h, ['run', '--backend', 'setsid', '--', 'sh', '-c', 'i=1; while [ $i -le 400 ]; do echo "$i/400"; i=$((i+1)); sleep 0.05; done'])).stdout.trim();
  const r = await risingFractions(h, rich);
  assert.equal(r.last.progress?.source, 'rich');
  const l = await risingFractions(h, loop);
  assert.equal(l.last.progress?.source, 'count');
  assert.match(l.last.progress!.text, /^\d+\/400$/);
});

test('control: a job that prints no progress has no progress field and no PROGRESS column', async () => {
  const h = home();
  const id = (await cli(h, ['run', '--backend', 'tmux', '--', 'sh', '-c', 'echo "served /v1/2 on 2026/12/07"; sleep 60'])).stdout.trim();
  // Until its output is in the log (so the absence is not just an empty log).
  for (const deadline = Date.now() + 20_000; !(await cli(h, ['logs', id])).stdout.includes('served'); await sleep(100)) assert.ok(Date.now() < deadline);
  const [j] = await ls(h);
  assert.equal(j!.state, 'running');
  assert.equal('progress' in j!, false);
  const table = await cli(h, ['ls']);
  assert.doesNotMatch(table.stdout, /PROGRESS/);
  // User patterns (LINGER_PROGRESS_PATTERNS, the setting's shape) make the same output progress.
  const withPattern = await cli(h, ['ls', '--json'], { LINGER_PROGRESS_PATTERNS: JSON.stringify([{ name: 'api', regex: '/v(?<done>\\d)/(?<total>\\d)' }]) });
  assert.deepEqual((JSON.parse(withPattern.stdout) as JobRecord[])[0]!.progress, { fraction: 0.5, eta: null, text: 'served /v1/2 on 2026/12/07', source: 'api' });
});
