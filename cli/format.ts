// Human-readable output of job records for the CLI.
import type { ForeignSession, JobRecord } from '../core/jobs/types';

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
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export function stateText(r: JobRecord): string {
  if (r.state === 'exited') return `exited ${r.exitCode}`;
  if (r.state === 'killed') return `killed ${r.signal ?? ''}`.trim();
  return r.state;
}

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(w[c]))).join('  ')).join('\n');
}

export function jobsTable(jobs: JobRecord[], foreign: ForeignSession[] = []): string {
  const rows = [['ID', 'NAME', 'STATE', 'BACKEND', 'AGE', 'COMMAND']];
  for (const j of jobs) rows.push([j.id, j.name ?? '-', stateText(j), j.backend, age(j.startedAt), displayCommand(j.argv).slice(0, 80)]);
  for (const f of foreign) rows.push(['-', f.session, f.attached ? 'attached' : 'detached', `${f.backend} (foreign)`, age(f.createdAt), f.socket]);
  return table(rows);
}

export function showText(r: JobRecord): string {
  const lines: Array<[string, string]> = [
    ['id', r.id], ['name', r.name ?? '-'], ['state', stateText(r)], ['command', displayCommand(r.argv)],
    ['cwd', r.cwd], ['backend', `${r.backend} (session ${r.session})`], ['pid', `${r.pid ?? '-'} (pgid ${r.pgid ?? '-'})`],
    ['started', r.startedAt], ['ended', r.endedAt ?? '-'], ['log', r.logPath],
  ];
  if (Object.keys(r.env).length) lines.push(['env', Object.entries(r.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')]);
  if (r.restartOf) lines.push(['restart of', r.restartOf]);
  return lines.map(([k, v]) => `${(k + ':').padEnd(12)}${v}`).join('\n');
}
