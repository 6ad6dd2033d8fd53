// Asking which host: Run Detached (when there is more than one host) and Install CLI on Host.
// The last host picked for running is remembered per workspace and offered first.
import * as vscode from 'vscode';
import type { HostInfo } from '../core/protocol';
import type { Ctx } from './ctx';
import { statusText, type HostName } from './host_keys';

const LAST_HOST_KEY = 'linger.lastRunHost';

/** The host a `{ host }` argument names, or undefined when it names none ('' and null: this host). */
export function hostArg(arg: unknown): HostName | undefined {
  if (!arg || typeof arg !== 'object' || !('host' in arg)) return undefined;
  const h = (arg as { host: unknown }).host;
  if (h === null || h === '') return null;
  if (typeof h === 'string') return h;
  // A tree node: { kind: 'host', host: HostInfo }.
  if (typeof h === 'object' && h && 'name' in h) return (h as HostInfo).name;
  return undefined;
}

export function lastRunHost(ctx: Ctx): HostName {
  const v = ctx.extCtx.workspaceState.get<string>(LAST_HOST_KEY, '');
  return v || null;
}

export async function rememberRunHost(ctx: Ctx, host: HostName): Promise<void> {
  await ctx.extCtx.workspaceState.update(LAST_HOST_KEY, host ?? '');
}

/**
 * Quick pick over the hosts, `preselect` first. { host } = picked; undefined = cancelled.
 * Refused hosts are left out (nothing can be done there); unreachable ones are listed with why,
 * since the agent tries again when asked.
 */
export async function pickHost(ctx: Ctx, opts: { title: string; placeHolder: string; preselect: HostName }): Promise<{ host: HostName } | undefined> {
  const hosts = ctx.hosts.filter((h) => h.status.kind !== 'refused');
  const items = hosts.map((h) => ({
    label: h.name === null ? `$(home) ${h.label}` : `$(vm) ${h.label}`,
    description: statusText(h.status),
    host: h.name,
  }));
  const first = items.find((i) => i.host === opts.preselect);
  const ordered = first ? [first, ...items.filter((i) => i !== first)] : items;
  const qp = vscode.window.createQuickPick<(typeof items)[number]>();
  qp.title = opts.title;
  qp.placeholder = opts.placeHolder;
  qp.items = ordered;
  if (first) qp.activeItems = [first];
  const picked = await new Promise<(typeof items)[number] | undefined>((resolve) => {
    qp.onDidAccept(() => { resolve(qp.selectedItems[0] ?? qp.activeItems[0]); qp.hide(); });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  return picked ? { host: picked.host } : undefined;
}
