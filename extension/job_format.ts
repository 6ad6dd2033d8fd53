// Pure presentation of a JobRecord: labels, durations, icon ids and tooltips.
// No `vscode` import, so the same words can be unit-tested and reused by notifications.
import type { JobRecord } from '../core/jobs/types';
import { assertNever, failed, isCancelled, isStarting, jobState } from '../core/jobs/state';
import { formatEta, progressBar, progressSummary } from '../core/jobs/progress';

export { assertNever, failed };

/** Which menus an item gets: `job.<state>` is matched by `viewItem =~ /^job\./` and friends. */
export function contextValue(job: JobRecord): string {
  return `job.${job.state}`;
}

/** A command line a person would recognise, for labels only (never executed). */
export function commandLine(job: Pick<JobRecord, 'argv' | 'shell'>): string {
  if (job.shell && job.argv.length >= 3 && job.argv[1] === '-lc') return job.argv.slice(2).join(' ');
  return job.argv.map(quoteForDisplay).join(' ');
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function jobLabel(job: JobRecord): string {
  return job.name ?? truncate(commandLine(job), 60);
}

/** Terminal names carry the id so two jobs with the same name stay distinct. */
export function terminalName(job: JobRecord): string {
  return `${jobLabel(job)} [${job.id}]${job.host ? ` @ ${job.host}` : ''}`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function durationMs(job: JobRecord, now: number = Date.now()): number {
  const start = Date.parse(job.startedAt);
  const end = job.endedAt ? Date.parse(job.endedAt) : now;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0;
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** What a queued job waits for: Slurm's reason, or Linger's queue's ("waiting for j-12"). */
export function queuedReason(job: JobRecord): string | null {
  return job.slurm?.reason ?? job.queue?.reason ?? null;
}

/**
 * Short outcome: "starting 4s" (no pid yet), "running 3m 2s" or, when the job shows progress,
 * "42% · ETA 12 min"; "queued (waiting for j-12)", "exit 0 · 12s", "killed (SIGTERM)", "lost",
 * "cancelled (dependency j-12 exited 1)".
 */
export function jobDescription(job: JobRecord, now: number = Date.now()): string {
  const d = formatDuration(durationMs(job, now));
  const s = jobState(job);
  switch (s.kind) {
    case 'queued': { const why = queuedReason(job); return `queued${why ? ` (${why})` : ''}`; }
    case 'running':
      if (job.progress && !isStarting(job)) return progressSummary(job.progress);
      return `${isStarting(job) ? 'starting' : 'running'} ${d}${job.slurm?.node ? ` on ${job.slurm.node}` : ''}`;
    case 'exited': return `exit ${s.code}${s.ambiguous ? ` (or signal ${s.code - 128}?)` : ''} · ${d}`;
    case 'killed': return `killed (${job.slurm?.reason ? `${job.slurm.reason}${slurmHint(job.slurm.reason)}` : s.signal}) · ${d}`;
    case 'lost': return job.slurm?.reason ? `lost (${job.slurm.reason})` : 'lost';
    case 'cancelled': return `cancelled (${s.reason})`;
    default: return assertNever(s);
  }
}

/** What to change when Slurm ended a job for a limit (finished-while-away report, notifications). */
function slurmHint(reason: string): string {
  if (reason === 'TIMEOUT') return ': over its time limit; resubmit with a longer --time';
  if (reason === 'OUT_OF_MEMORY') return ': over its memory; resubmit with more --mem';
  return '';
}

export type IconSpec = { id: string; color?: string };

export function jobIcon(job: JobRecord): IconSpec {
  const s = jobState(job);
  switch (s.kind) {
    // Waiting for something (a dependency, a slot, Slurm): a clock, not starting's watch.
    case 'queued': return { id: 'clock', color: 'charts.yellow' };
    case 'running': return isStarting(job) ? { id: 'watch' } : { id: 'loading~spin' };
    case 'exited': return s.code === 0
      ? { id: 'pass', color: 'testing.iconPassed' }
      : { id: 'error', color: 'testing.iconFailed' };
    case 'killed': return { id: 'circle-slash', color: 'testing.iconSkipped' };
    case 'lost': return { id: 'question', color: 'list.warningForeground' };
    case 'cancelled': return { id: 'debug-step-over', color: 'testing.iconSkipped' };
    default: return assertNever(s);
  }
}

/** Markdown-free multi-line tooltip (argv shown as JSON so quoting is unambiguous). */
export function jobTooltip(job: JobRecord): string {
  const s = jobState(job);
  const lines = [
    `${jobLabel(job)}  (${job.id})`,
    // The row shows progress instead of the running time; the tooltip keeps both.
    `state: ${job.progress && s.kind === 'running' ? jobDescription({ ...job, progress: undefined }) : jobDescription(job)}`,
    `argv: ${JSON.stringify(job.argv)}`,
    `cwd: ${job.cwd}`,
    `backend: ${job.backend} (session ${job.session})`,
    `pid: ${job.pid ?? '—'}${job.pgid !== null && job.pgid !== job.pid ? `  pgid: ${job.pgid}` : ''}`,
    `started: ${job.startedAt}`,
  ];
  if (job.progress && s.kind === 'running') {
    const p = job.progress;
    lines.push(`progress: ${p.fraction !== null ? progressBar(p.fraction) : '(no total)'}${p.eta !== null ? ` · ETA ${formatEta(p.eta)}` : ''}`);
    lines.push(`  ${p.text}${p.source ? `  [${p.source}]` : ''}`);
  }
  if (job.queue) {
    if (s.kind === 'queued' && job.queue.reason) lines.push(`waiting: ${job.queue.reason}`);
    if (job.queue.group) lines.push(`group: ${job.queue.group}`);
    if (job.queue.after.length) lines.push(`after: ${job.queue.after.join(', ')}${job.queue.afterAny ? ' (ended at all)' : ' (exited 0)'}`);
  }
  if (s.kind === 'cancelled') lines.push(`cancelled: ${s.reason}`);
  if (job.endedAt) lines.push(`ended: ${job.endedAt}`);
  lines.push(`log: ${job.logPath}`);
  if (job.restartOf) lines.push(`restart of: ${job.restartOf}`);
  return lines.join('\n');
}

/**
 * What the notification says when a job ends while the window is open: how it ended (exit
 * status, signal, reason) and how long it ran.
 */
export function endedNotice(job: JobRecord, now: number = Date.now()): string {
  const d = formatDuration(durationMs(job, now));
  const s = jobState(job);
  const name = `"${jobLabel(job)}"`;
  switch (s.kind) {
    case 'exited': return s.code === 0 ? `${name} finished (exit 0) after ${d}` : `${name} failed: exit ${s.code}${s.ambiguous ? ` (or signal ${s.code - 128}?)` : ''} after ${d}`;
    case 'killed': return `${name} was killed (${job.slurm?.reason ? `${job.slurm.reason}${slurmHint(job.slurm.reason)}` : s.signal}) after ${d}`;
    case 'lost': return `${name} was lost after ${d}: ${job.slurm?.reason ?? s.reason}`;
    case 'cancelled': return `${name} was cancelled: ${s.reason}`;
    case 'queued': case 'running': return `${name}: ${jobDescription(job, now)}`;
    default: return assertNever(s);
  }
}

/** One line for the "finished while you were away" summary and exit notifications. */
export function outcomeLine(job: JobRecord): string {
  return `${jobLabel(job)}: ${jobDescription(job)}`;
}

export interface StatusCounts { running: number; queued: number; failed: number; cancelled: number; total: number }

export function statusCounts(jobs: readonly JobRecord[]): StatusCounts {
  const n = (p: (j: JobRecord) => boolean) => jobs.filter(p).length;
  return {
    running: n((j) => j.state === 'running'),
    queued: n((j) => j.state === 'queued'),
    failed: n(failed),
    cancelled: n(isCancelled),
    total: jobs.length,
  };
}

/** The item's text and tooltip for these counts; null: hidden. Only the counts that are not 0. */
export function statusText(c: StatusCounts): { text: string; tooltip: string } | null {
  if (c.total === 0) return null;
  const parts: string[] = [];
  const words: string[] = [];
  if (c.running) { parts.push(`$(sync~spin) ${c.running}`); words.push(`${c.running} running`); }
  if (c.queued) { parts.push(`$(clock) ${c.queued}`); words.push(`${c.queued} queued`); }
  if (c.failed) { parts.push(`$(error) ${c.failed}`); words.push(`${c.failed} failed${c.cancelled ? ` (${c.cancelled} of them cancelled)` : ''}`); }
  // Everything ended well: still say there are jobs (the view has their logs).
  if (!parts.length) { parts.push(`$(check) ${c.total}`); words.push(`${c.total} finished`); }
  return { text: parts.join(' '), tooltip: `Linger: ${words.join(', ')} — show Remote Sessions` };
}
