// Human-readable output of job records for the CLI.
import { assertNever, isStarting, jobState, signalName } from '../core/jobs/state';
import type { ForeignSession, JobRecord } from '../core/jobs/types';
import { progressSummary } from '../core/jobs/progress';
import { termSafe, termSafeText } from './escape';


export function age(iso: string | null, now = Date.now()): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 86400)}d`;
}

/** A printable one-line form of argv (display only: never executed). */
export function displayCommand(argv: string[]): string {
  // JSON escapes C0 controls; DEL, C1 and bidi controls are escaped on top.
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : termSafeText(JSON.stringify(a)))).join(' ');
}

export function stateText(r: JobRecord): string {
  const s = jobState(r);
  const q = r.slurm;
  const stale = q?.stale ? ' (stale)' : '';
  if (q?.tasks && (s.kind === 'running' || s.kind === 'queued')) {
    // A job array: its state, then how its tasks stand.
    const n = (st: string) => q.tasks!.filter((t) => t.state === st).length;
    const parts = [['running', n('running')], ['queued', n('queued')], ['done', q.tasks.length - n('running') - n('queued')]].filter(([, k]) => k).map(([w, k]) => `${k} ${w}`);
    return termSafe(`${s.kind}${s.kind === 'queued' && q.reason ? ` (${q.reason})` : ''} [${q.tasks.length} tasks: ${parts.join(', ')}]${stale}`);
  }
  switch (s.kind) {
    // 128+N that could not be told from signal N: said, not guessed.
    case 'exited': return s.ambiguous ? `exited ${s.code} (or ${signalName(s.code - 128) ?? `signal ${s.code - 128}`}?)` : `exited ${s.code}`;
    // Slurm's outcome says more than the signal: TIMEOUT, OUT_OF_MEMORY, CANCELLED.
    case 'killed': return termSafe(`killed ${q?.reason ?? s.signal}`);
    case 'queued': {
      const why = q?.reason ?? r.queue?.reason;
      return termSafe(`queued${why ? ` (${why})` : ''}${stale}`);
    }
    case 'running':
      if (q) return termSafe(`running${q.node ? ` on ${q.node}` : ''}${q.elapsed ? ` ${q.elapsed}/${q.limit ?? '?'}` : ''}${q.reason ? ` (${q.reason})` : ''}${stale}`);
      return isStarting(r) ? 'starting' : 'running';
    case 'lost': return q?.reason ? termSafe(`lost (${q.reason})`) : 'lost';
    case 'cancelled': return termSafe(`cancelled (${s.reason})`);
    default: return assertNever(s);
  }
}

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(w[c]))).join('  ')).join('\n');
}

export function jobsTable(jobs: JobRecord[], foreign: ForeignSession[] = []): string {
  // PROGRESS only when some job shows progress: most listings have none, and no empty column.
  const progress = jobs.some((j) => j.progress);
  return table([jobHeader(progress), ...jobs.map((j) => jobRow(j, progress)), ...foreign.map((f) => foreignRow(f, progress))]);
}

function jobHeader(progress: boolean): string[] {
  return ['ID', 'NAME', 'STATE', ...(progress ? ['PROGRESS'] : []), 'BACKEND', 'AGE', 'COMMAND'];
}
function jobRow(j: JobRecord, progress: boolean): string[] {
  const p = progress ? [j.progress ? termSafeText(progressSummary(j.progress)) : '-'] : [];
  return [termSafe(j.id), j.name === null ? '-' : termSafe(j.name), stateText(j), ...p, termSafe(j.backend), age(j.startedAt), displayCommand(j.argv).slice(0, 80)];
}
function foreignRow(f: ForeignSession, progress: boolean): string[] {
  return ['-', termSafe(f.session), f.attached ? 'attached' : 'detached', ...(progress ? ['-'] : []), `${termSafe(f.backend)} (foreign)`, age(f.createdAt), termSafe(f.socket)];
}

/** One host's part of `ls --hosts all`: its jobs, or why it could not be asked. */
export type HostListing = { host: string; jobs: JobRecord[]; foreign: ForeignSession[] } | { host: string; problem: string; kind: 'unreachable' | 'refused' };

/** `ls --hosts all`: a HOST column first; a host that could not be asked is one line with its reason. */
export function hostsTable(listings: HostListing[]): string {
  const progress = listings.some((l) => 'jobs' in l && l.jobs.some((j) => j.progress));
  const rows = [['HOST', ...jobHeader(progress)]];
  for (const l of listings) {
    const h = termSafe(l.host);
    if ('problem' in l) { rows.push([h, '-', '-', l.kind, ...(progress ? ['-'] : []), '-', '-', termSafeText(l.problem)]); continue; }
    for (const j of l.jobs) rows.push([h, ...jobRow(j, progress)]);
    for (const f of l.foreign) rows.push([h, ...foreignRow(f, progress)]);
  }
  return table(rows);
}

function neverStarted(r: JobRecord): boolean { return r.backend !== 'slurm' && (r.state === 'queued' || r.state === 'cancelled'); }

export function showText(r: JobRecord): string {
  const lines: Array<[string, string]> = [
    ['id', termSafe(r.id)], ['name', r.name === null ? '-' : termSafe(r.name)], ['state', stateText(r)], ['command', displayCommand(r.argv)],
    ['cwd', termSafe(r.cwd)], ['backend', r.slurm ? termSafe(`slurm (job ${r.slurm.jobId}${r.slurm.partition ? `, partition ${r.slurm.partition}` : ''})`) : `${termSafe(r.backend)} (session ${r.session ? termSafe(r.session) : '-'})`], ['pid', `${r.pid ?? '-'} (pgid ${r.pgid ?? '-'})`],
    // A job that never started (queued in our queue, cancelled) has a submission time, no start.
    [neverStarted(r) ? 'submitted' : 'started', termSafe(r.startedAt)], ['ended', r.endedAt === null ? '-' : termSafe(r.endedAt)], ['log', termSafe(r.logPath)],
  ];
  if (r.queue) {
    if (r.queue.group !== null) lines.push(['group', termSafe(r.queue.group)]);
    if (r.queue.after.length) lines.push([r.queue.afterAny ? 'after any' : 'after', termSafe(r.queue.after.join(', '))]);
    if (!neverStarted(r) && r.queue.submittedAt !== r.startedAt) lines.push(['submitted', termSafe(r.queue.submittedAt)]);
  }
  if (Object.keys(r.env).length) lines.push(['env', Object.entries(r.env).map(([k, v]) => `${termSafe(k)}=${termSafeText(JSON.stringify(v))}`).join(' ')]);
  if (r.restartOf) lines.push(['restart of', termSafe(r.restartOf)]);
  if (r.progress) lines.push(['progress', termSafeText(`${progressSummary(r.progress)}  (${r.progress.text})`)]);
  for (const t of r.slurm?.tasks ?? []) {
    const end = t.state === 'exited' ? ` ${t.exitCode}` : t.state === 'killed' ? ` ${t.reason ?? t.signal ?? ''}` : t.reason ? ` (${t.reason})` : '';
    lines.push([`task ${termSafe(t.task)}`, termSafe(`${t.state}${end}${t.node && t.state === 'running' ? ` on ${t.node}` : ''}`)]);
  }
  return lines.map(([k, v]) => `${(k + ':').padEnd(12)}${v}`).join('\n');
}
