// Slurm backend cost beside its floor, on the real single-node rig (test/support/slurm-rig.ts,
// no accounting): submission in process and through the CLI, and one refresh of 200 jobs.
// Jobs are submitted held (`--hold`) on both sides, so nothing runs while we measure.
//   node --import tsx bench/slurm.bench.ts        (needs root and dist/linger.js)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine } from '../core/jobs/engine';
import { SQUEUE_FORMAT } from '../core/jobs/slurm/state';
import type { SlurmPoller } from '../core/jobs/slurm/poll';
import { slurmRigUp, slurmSkipReason, type SlurmRig } from '../test/support/slurm-rig';
import { useHermeticHome } from '../test/support/hermetic-home.cjs';

// The jobs submitted here (they run as the bench's user) never run the machine's login shell.
useHermeticHome();

const CLI = join(resolve(__dirname, '..'), 'dist', 'linger.js');
const out: string[] = [];
const log = (s: string) => process.stderr.write(`  slurm.bench: ${s}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const ms = (x: number) => `${x.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
function timeSync(fn: () => void): number { const t = now(); fn(); return now() - t; }

async function main(): Promise<void> {
  out.push('## Slurm backend (bench/slurm.bench.ts)', '');
  const skip = slurmSkipReason();
  if (skip) { out.push(`Skipped: ${skip}.`, ''); process.stdout.write(out.join('\n') + '\n'); return; }
  let rig: SlurmRig | null = null;
  const home = mkdtempSync('/tmp/lgs-');
  try {
    rig = await slurmRigUp('none');
    Object.assign(process.env, rig.env);
    const env = { ...process.env, LINGER_HOME: home };
    const raw = (): void => { const r = spawnSync('sbatch', ['--parsable', '--hold', '--output=/dev/null', '--wrap', 'true'], { encoding: 'utf8' }); if (r.status !== 0) throw new Error(r.stderr); };
    const e = new Engine({ home });
    await e.run({ argv: ['true'], backend: 'slurm', slurm: { args: ['--hold'] } }); // installs the wrapper once
    raw();
    const N = 15;
    log('submission in process vs raw sbatch --wrap');
    const lin: number[] = [], rawT: number[] = [];
    for (let i = 0; i < N; i++) {
      rawT.push(timeSync(raw));
      const t = now(); await e.run({ argv: ['true'], backend: 'slurm', slurm: { args: ['--hold'] } }); lin.push(now() - t);
    }
    out.push('### `Engine.run({ backend: "slurm" })` vs a raw `sbatch --wrap` spawned from Node (goal ≤ 1.3×)', '',
      `Median of ${N}, interleaved, both held. Engine.run writes the job dir (spec, record before and after sbatch) and submits the wrapper with the job's options; it returns once sbatch answered (the first read asks the queue).`, '',
      '| Engine.run (slurm) | raw `sbatch --parsable --hold --wrap true` | ratio |', '|---|---|---|',
      `| ${ms(median(lin))} | ${ms(median(rawT))} | ${ratio(median(lin), median(rawT))} |`, '');

    log('whole CLI vs node -e "" + raw sbatch');
    const cliT: number[] = [], nodeT: number[] = [], raw2: number[] = [];
    for (let i = 0; i < N; i++) {
      nodeT.push(timeSync(() => spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' })));
      raw2.push(timeSync(raw));
      cliT.push(timeSync(() => { const r = spawnSync(process.execPath, [CLI, 'run', '--backend', 'slurm', '--slurm-arg=--hold', '--', 'true'], { stdio: 'ignore', env }); if (r.status !== 0) throw new Error('linger run failed'); }));
    }
    const floor = median(nodeT) + median(raw2);
    out.push('### Whole `linger run --backend slurm` vs `node -e \'\'` + raw `sbatch --wrap` (goal ≤ 1.25×)', '',
      '| `linger run --backend slurm --slurm-arg=--hold -- true` | `node -e \'\'` | raw sbatch | floor (sum) | ratio |', '|---|---|---|---|---|',
      `| ${ms(median(cliT))} | ${ms(median(nodeT))} | ${ms(median(raw2))} | ${ms(floor)} | ${ratio(median(cliT), floor)} |`, '');

    log('refresh of 200 Slurm jobs vs one raw squeue');
    const have = (await e.list()).filter((j) => j.backend === 'slurm').length;
    for (let i = have; i < 200; i++) await e.run({ argv: ['true'], backend: 'slurm', slurm: { args: ['--hold'] } });
    const sq: number[] = [], ref: number[] = [];
    let calls = { squeue: 0, sacct: 0 };
    let n = 0;
    for (let i = 0; i < 20; i++) {
      // The floor reads squeue's output, as any client that wants the answer must.
      sq.push(timeSync(() => spawnSync('squeue', ['--me', '-h', '-t', 'all', '-O', SQUEUE_FORMAT], { encoding: 'utf8' })));
      // A fresh engine each time: nothing reused from an earlier answer.
      const fresh = new Engine({ home });
      ref.push(timeSync(() => { n = fresh.listDetailed().jobs.length; }));
      calls = (fresh as unknown as { poller: SlurmPoller }).poller.calls;
    }
    out.push('### A refresh of 200 queued Slurm jobs (`Engine.listDetailed()`) vs one raw `squeue` (goal ≤ 1.5×)', '',
      `Median of 20, interleaved, a fresh engine each time (nothing reused from an earlier answer); the raw call reads squeue's output too. One refresh made ${calls.squeue} squeue and ${calls.sacct} sacct call(s) for ${n} jobs: one call for all of them, filtered by our job names, never one per job.`, '',
      '| refresh (in process) | raw `squeue --me -t all -O …` | ratio | min / min |', '|---|---|---|---|',
      `| ${ms(median(ref))} | ${ms(median(sq))} | ${ratio(median(ref), median(sq))} | ${ms(Math.min(...ref))} / ${ms(Math.min(...sq))} = ${ratio(Math.min(...ref), Math.min(...sq))} |`, '');
  } finally {
    spawnSync('scancel', ['--quiet', '-u', 'root'], { stdio: 'ignore' });
    await rig?.down();
    rmSync(home, { recursive: true, force: true });
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => { process.stderr.write(`${e?.stack ?? e}\n`); process.exit(1); });
