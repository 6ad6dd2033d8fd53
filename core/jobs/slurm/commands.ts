// Running Slurm's client commands: argv only, a bounded wait (a controller that does not answer
// costs MessageTimeout per attempt), and Slurm's own message when one fails.
import { spawnSync } from 'node:child_process';
import { which } from '../backends';

export interface ClientResult { ok: boolean; status: number | null; stdout: string; stderr: string }

/** Slurm's client commands wait about MessageTimeout (default 10 s) per try for a controller. */
const CLIENT_TIMEOUT_MS = 30_000;

export function slurmBin(name: 'sbatch' | 'squeue' | 'sacct' | 'scancel' | 'scontrol' | 'srun'): string | null { return which(name); }

export function runClient(name: Parameters<typeof slurmBin>[0], args: string[], timeoutMs = CLIENT_TIMEOUT_MS): ClientResult {
  const bin = slurmBin(name);
  if (!bin) return { ok: false, status: null, stdout: '', stderr: `${name} not found in PATH (is this a Slurm login node?)` };
  const r = spawnSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  const stderr = r.error ? `${name}: ${r.error.message}` : (r.stderr ?? '');
  return { ok: r.status === 0 && !r.error, status: r.status, stdout: r.stdout ?? '', stderr };
}

/** The most telling line of a failed client call ("sbatch: error: invalid partition specified: x"). */
export function firstError(r: ClientResult): string {
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  // sbatch prints "Batch job submission failed: <why>" last; squeue its one line.
  const pick = [...lines].reverse().find((l) => /error|failed|denied|invalid|unable/i.test(l)) ?? lines[lines.length - 1];
  return pick ?? `exit ${r.status ?? 'signal'}`;
}
