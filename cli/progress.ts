// Progress for the CLI's listings: read once per command from each running job's log tail.
import type { Engine } from '../core/jobs/engine';
import { compilePatterns } from '../core/jobs/progress';
import type { JobRecord } from '../core/jobs/types';
import { progressPatternsFrom } from '../core/settings';
import { termSafeText } from './escape';

/**
 * Running jobs with the progress their log's tail shows (one read of at most 8 KB each). The
 * user's own patterns come from LINGER_PROGRESS_PATTERNS (JSON, the shape of the
 * linger.progressPatterns setting).
 */
export function withProgress(e: Engine, jobs: JobRecord[]): JobRecord[] {
  if (!jobs.some((j) => j.state === 'running')) return jobs;
  let raw: unknown = [];
  const env = process.env.LINGER_PROGRESS_PATTERNS;
  if (env) {
    try { raw = JSON.parse(env); } catch { process.stderr.write('linger: warning: LINGER_PROGRESS_PATTERNS is not JSON; ignored\n'); }
  }
  const { patterns, problems } = compilePatterns(progressPatternsFrom(raw));
  for (const p of problems) process.stderr.write(`linger: warning: ${termSafeText(p)}; ignored\n`);
  return jobs.map((j) => {
    const progress = e.progressOf(j, patterns);
    return progress ? { ...j, progress } : j;
  });
}
