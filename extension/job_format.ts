// Pure presentation of a JobRecord: labels, durations, icon ids and tooltips.
// No `vscode` import, so the same words can be unit-tested and reused by notifications.
import type { JobRecord } from '../core/jobs/types';
import { assertNever, failed, isStarting, jobState } from '../core/jobs/state';

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
  return `${jobLabel(job)} [${job.id}]`;
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

/** Short outcome: "starting 4s" (no pid yet), "running 3m 2s", "exit 0 · 12s", "killed (SIGTERM)", "lost". */
export function jobDescription(job: JobRecord, now: number = Date.now()): string {
  const d = formatDuration(durationMs(job, now));
  const s = jobState(job);
  switch (s.kind) {
    case 'queued': { const why = job.slurm?.reason ?? job.queue?.reason; return `queued${why ? ` (${why})` : ''}`; }
    case 'running': return `${isStarting(job) ? 'starting' : 'running'} ${d}${job.slurm?.node ? ` on ${job.slurm.node}` : ''}`;
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
    case 'queued': return { id: 'watch' };
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
  const lines = [
    `${jobLabel(job)}  (${job.id})`,
    `state: ${jobDescription(job)}`,
    `argv: ${JSON.stringify(job.argv)}`,
    `cwd: ${job.cwd}`,
    `backend: ${job.backend} (session ${job.session})`,
    `pid: ${job.pid ?? '—'}${job.pgid !== null && job.pgid !== job.pid ? `  pgid: ${job.pgid}` : ''}`,
    `started: ${job.startedAt}`,
  ];
  if (job.endedAt) lines.push(`ended: ${job.endedAt}`);
  lines.push(`log: ${job.logPath}`);
  if (job.restartOf) lines.push(`restart of: ${job.restartOf}`);
  return lines.join('\n');
}

/** One line for the "finished while you were away" summary and exit notifications. */
export function outcomeLine(job: JobRecord): string {
  return `${jobLabel(job)}: ${jobDescription(job)}`;
}
