// Turning a command argument (tree node, record, id) into a fresh JobRecord, or asking.
import * as vscode from 'vscode';
import type { JobRecord } from '../core/protocol';
import { userErrorKind } from './codes';
import type { Ctx } from './ctx';
import { InputError } from './errors';
import { jobDescription, jobLabel } from './job_format';

/** What commands accept: a tree node, a job record, `{id}`, or an id/name string. */
export type JobArg = { kind: 'job'; job: JobRecord } | { id: string } | string | undefined;

function refOf(arg: JobArg): string | undefined {
  if (typeof arg === 'string') return arg || undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  if ('kind' in arg && arg.kind === 'job') return arg.job.id;
  if ('id' in arg && typeof arg.id === 'string') return arg.id;
  return undefined;
}

/**
 * The job the user meant, freshly read from the agent (the list may be stale: a job can vanish
 * between list and click). Asks with a quick pick when no argument came. undefined = cancelled.
 */
export async function resolveJob(
  ctx: Ctx, arg: JobArg, opts: { title: string; filter?: (j: JobRecord) => boolean; none: string },
): Promise<JobRecord | undefined> {
  let ref = refOf(arg);
  if (!ref) {
    const jobs = ctx.jobs.filter(opts.filter ?? (() => true));
    if (!jobs.length) {
      void vscode.window.showInformationMessage(opts.none);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      jobs.map((job) => ({ label: jobLabel(job), description: `${job.id} · ${jobDescription(job)}`, job })),
      { title: opts.title, matchOnDescription: true });
    if (!pick) return undefined;
    ref = pick.job.id;
  }
  try {
    return await ctx.agent().show(ref);
  } catch (err) {
    const kind = userErrorKind(err);
    if (kind === 'noSuchJob') {
      void ctx.refresh();
      const known = ctx.findJob(ref);
      throw new InputError(`Job "${known ? jobLabel(known) : ref}" no longer exists (removed elsewhere?): ${(err as Error).message}`);
    }
    if (kind !== undefined) throw new InputError((err as Error).message);
    throw err;
  }
}
