// The Slurm backend's hooks for the engine: submit, refresh from a shared poll, cancel, attach.
// The engine keeps the job dir, spec and record exactly as for the local backends; only how the
// wrapper is started and how its state is read differ.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AttachCommand, JobRecord, SlurmOptions } from '../types';
import { UserError } from '../types';
import { firstError, runClient, slurmBin } from './commands';
import { submit, validateSlurmOptions } from './submit';

export { validateSlurmOptions };

/** sbatch the job dir's wrapper; on refusal the dir (and any record in it) is removed. */
export function submitJob(id: string, dir: string, cwd: string, wrapper: string, options: SlurmOptions, dependency: string | null = null): string {
  if (!slurmBin('sbatch')) { rmSync(dir, { recursive: true, force: true }); throw new UserError('backend slurm needs sbatch, which is not in PATH (is this a Slurm login node?)'); }
  try { return submit({ id, dir, cwd, wrapper, options, dependency }); } catch (e) { rmSync(dir, { recursive: true, force: true }); throw e; }
}

/** A record is data: its Slurm job id goes on a command line only if it is a plain job id. */
export function checkJobId(jobId: string): string {
  if (!/^\d+(_\d+)?$/.test(jobId)) throw new UserError(`the record's Slurm job id ${JSON.stringify(jobId.slice(0, 40))} is not a job id; refusing to pass it to Slurm`);
  return jobId;
}

/** scancel: plain (TERM, CANCELLED) or a signal to every step; KILL for the escalation. */
export function scancel(jobId: string, signal: string | null): void {
  checkJobId(jobId);
  const args = signal === null ? [jobId] : [`--signal=${signal.replace(/^SIG/, '')}`, '--full', jobId];
  const r = runClient('scancel', args);
  if (!r.ok) throw new UserError(`scancel ${jobId} failed: ${firstError(r).replace(/^scancel: error: /, '')}`);
}

export function attachCommand(r: JobRecord, dir: string, session = `linger-${r.id}`): AttachCommand {
  const s = r.slurm;
  if (!s) throw new UserError(`job ${r.id} has no Slurm job id`);
  if (r.state === 'queued') throw new UserError(`job ${r.id} is still queued (${s.reason ?? s.state ?? 'PENDING'}); attach once it runs, or follow it with: linger logs -f ${r.id}`);
  let sock = '';
  try { sock = readFileSync(join(dir, 'tsock'), 'utf8').trim(); } catch { /* no tmux on the node */ }
  if (!sock) throw new UserError(`job ${r.id} has no terminal to attach to (no tmux on its node); follow its output with: linger logs -f ${r.id}`);
  checkJobId(s.jobId);
  const srun = slurmBin('srun');
  if (!srun) throw new UserError(`srun is not in PATH; follow the job's output with: linger logs -f ${r.id}`);
  // A step inside the job's own allocation, sharing its CPUs (--overlap), with a terminal: the
  // tmux client there attaches to the job's pane. sattach cannot reach batch steps.
  return {
    argv: [srun, `--jobid=${s.jobId}`, '--overlap', '--pty', '--ntasks=1', '--quiet', 'tmux', '-S', sock, 'attach-session', '-t', `=${session}`],
    detachHint: 'Detach: Ctrl-b d (job keeps running)',
  };
}

/** For doctor: is sbatch here, and does a controller answer? */
export function slurmDoctor(): { sbatch: string | null; controller: 'up' | 'down' | null; note: string } {
  const sbatch = slurmBin('sbatch');
  if (!sbatch) return { sbatch: null, controller: null, note: 'sbatch not found: backend slurm unavailable' };
  const r = runClient('scontrol', ['ping'], 15_000);
  const up = r.ok && /\bUP\b/.test(r.stdout);
  return {
    sbatch, controller: up ? 'up' : 'down',
    note: up ? `controller answers (${r.stdout.trim().split('\n')[0]}); use --backend slurm (auto never picks it)`
      : `sbatch found but no controller answers: ${firstError(r)}`,
  };
}
