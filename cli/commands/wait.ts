// `linger wait`: exits with the job's own exit status (128+N for signal N, 1 when lost or cancelled, 124 on timeout).
import type { Engine } from '../../core/jobs/engine';
import type { Parsed } from '../args';
import type { JobRecord } from '../../core/jobs/types';
import { exitStatus, isFinished } from '../../core/jobs/state';
import { seconds } from '../args';
import { one, progress, verbSpec, type Command } from '../command';
import { displayCommand } from '../format';
import { termSafe, termSafeText } from '../escape';

/** Exit status that mirrors the job's end: its code, 128+signal, or 1 when it was lost. */
export function exitStatusOf(r: JobRecord, diskNote: string | null = null): number {
  const status = exitStatus(r);
  if (status !== null) return status;
  if (r.state === 'lost') {
    process.stderr.write(diskNote
      ? `linger: job ${termSafe(r.id)} was lost: ${termSafeText(diskNote)} (its exit status could not be recorded)\n`
      : `linger: job ${termSafe(r.id)} was lost (its session vanished without recording an exit status)\n`);
    return 1;
  }
  if (r.state === 'cancelled') {
    process.stderr.write(`linger: job ${termSafe(r.id)} was cancelled: ${termSafeText(r.cancelReason ?? 'a dependency did not end as required')} (it never ran)\n`);
    return 1;
  }
  return 0;
}

async function cmdWait(e: Engine, p: Parsed): Promise<number> {
  const ref = one('wait', p);
  const timeoutMs = seconds('wait', 'timeout', p.flags.timeout as string | undefined);
  const r0 = await e.get(ref);
  const r = await e.wait(r0.id, { timeoutMs, onProgress: (ms) => progress(`waiting for ${r0.id} (${displayCommand(r0.argv).slice(0, 40)}): ${(ms / 1000).toFixed(0)} s`) });
  progress(null);
  if (!isFinished(r)) { process.stderr.write(`linger: timed out waiting for job ${r.id}\n`); return 124; }
  const note = await e.diskNote(r.id);
  if (note && r.state !== 'lost') process.stderr.write(`linger: note: job ${r.id}: ${termSafeText(note)}\n`);
  return exitStatusOf(r, note);
}

export const wait: Command = { spec: verbSpec({ timeout: { kind: 'string' } }), run: cmdWait };
