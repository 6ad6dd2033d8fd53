// "starting": a job the backend accepted whose own process has not been reported yet (its wrapper
// is slow to come up, e.g. on a loaded host). Not a state of the record: the record says running
// with pid null, and every view shows it as starting, never as failed or lost.
import type { JobRecord } from './types';

export function isStarting(job: Pick<JobRecord, 'state' | 'pid'>): boolean {
  return job.state === 'running' && job.pid === null;
}
