import { UserError } from '../../core/jobs/types';
import { withProgress } from '../progress';
import { out, tty, verbSpec, type Command } from '../command';
import { jobsTable } from '../format';
import { termSafe, termSafeText } from '../escape';

export const ls: Command = {
  spec: verbSpec({ all: { kind: 'bool', short: 'a' }, json: { kind: 'bool' }, hosts: { kind: 'string' }, 'all-hosts': { kind: 'bool', short: 'H' } }),
  async run(e, p) {
    if (p.positionals.length) throw new UserError(`ls: unexpected argument '${p.positionals[0]}'`);
    const listed = e.listDetailed();
    const { unreadable } = listed;
    const jobs = withProgress(e, listed.jobs);
    for (const b of unreadable) process.stderr.write(`linger: warning: job ${termSafe(b.id)} is unreadable (${termSafeText(b.problem)}); skipped\n`);
    const foreign = p.flags.all ? await e.foreign((line) => process.stderr.write(`linger: warning: ${termSafeText(line)}\n`)) : [];
    const problem = e.slurmProblem();
    if (problem) process.stderr.write(`linger: the Slurm controller did not answer (${termSafeText(problem)}); Slurm jobs show their last known state, marked stale\n`);
    if (p.flags.json) {
      const f = foreign.map((s) => ({ foreign: true, ...s, attach: e.foreignAttachCommand(s).argv }));
      out(JSON.stringify([...jobs, ...f]));
    } else if (jobs.length || foreign.length) out(jobsTable(jobs, foreign));
    else if (tty()) process.stderr.write('no jobs\n');
    return 0;
  },
};

