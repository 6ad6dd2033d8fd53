// Turning a command argument (tree node, record, id) into a fresh JobRecord, or asking.
import * as vscode from 'vscode';
import type { JobRecord } from '../core/protocol';
import { userErrorKind } from './codes';
import type { Ctx } from './ctx';
import { InputError } from './errors';
import type { HostName } from './host_keys';
import { jobDescription, jobLabel } from './job_format';

/**
 * What commands accept: a tree node, a job record, `{id, host?}`, or an id/name string (this
 * host's). `host` absent or null = this host.
 */
export type JobArg = { kind: 'job'; job: JobRecord } | { id: string; host?: string | null } | string | undefined;

function refOf(arg: JobArg): { ref: string; host: HostName } | undefined {
  if (typeof arg === 'string') return arg ? { ref: arg, host: null } : undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  if ('kind' in arg && arg.kind === 'job') return { ref: arg.job.id, host: arg.job.host ?? null };
  if ('id' in arg && typeof arg.id === 'string') return { ref: arg.id, host: typeof arg.host === 'string' && arg.host ? arg.host : null };
  return undefined;
}

/**
 * The job the user meant, freshly read from the agent of its host (the list may be stale: a job
 * can vanish between list and click). Asks with a quick pick when no argument came. undefined =
 * cancelled.
 */
export async function resolveJob(
  ctx: Ctx, arg: JobArg, opts: { title: string; filter?: (j: JobRecord) => boolean; none: string },
): Promise<JobRecord | undefined> {
  let target = refOf(arg);
  if (!target) {
    const jobs = ctx.jobs.filter(opts.filter ?? (() => true));
    if (!jobs.length) {
      void vscode.window.showInformationMessage(opts.none);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      jobs.map((job) => ({
        label: jobLabel(job), description: `${job.host ? `${job.host} · ` : ''}${job.id} · ${jobDescription(job)}`, job,
      })),
      { title: opts.title, matchOnDescription: true });
    if (!pick) return undefined;
    target = { ref: pick.job.id, host: pick.job.host ?? null };
  }
  const { ref, host } = target;
  try {
    const job = await ctx.agent().show(ref, host);
    return host && job.host !== host ? { ...job, host } : job;
  } catch (err) {
    const kind = userErrorKind(err);
    if (kind === 'noSuchJob') {
      void ctx.listHost(host);
      const known = ctx.findJob(ref, host);
      throw new InputError(`Job "${known ? jobLabel(known) : ref}"${host ? ` on ${host}` : ''} no longer exists (removed elsewhere?): ${(err as Error).message}`);
    }
    if (kind !== undefined) throw new InputError((err as Error).message);
    throw err;
  }
}
