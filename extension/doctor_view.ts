// "Check Host": the agent's DoctorReport rendered as Markdown in a virtual document,
// opened in the Markdown preview when that is available.
import * as vscode from 'vscode';
import type { DoctorReport } from '../core/protocol';
import type { Ctx } from './ctx';

export const DOCTOR_SCHEME = 'linger-doctor';
const DOCTOR_URI = vscode.Uri.from({ scheme: DOCTOR_SCHEME, path: '/Linger host check.md' });

const yes = (b: boolean | null): string => (b === null ? 'unknown' : b ? 'yes' : 'no');
const cell = (s: string | number | null): string => String(s ?? '—').replace(/\|/g, '\\|');

export function renderDoctor(r: DoctorReport, host: string): string {
  const out: string[] = [`# Linger host check — ${host}`, ''];
  out.push('## Job backends', '', '| backend | available | path | version |', '|---|---|---|---|');
  for (const b of r.backends) out.push(`| ${b.name}${b.name === r.defaultBackend ? ' (default)' : ''} | ${b.available ? '✅ yes' : '❌ no'} | ${cell(b.path)} | ${cell(b.version)} |`);
  if (!r.backends.some((b) => b.available)) out.push('', '> **No backend is available.** Install `tmux` (recommended) or `screen`; `setsid` comes with util-linux.');
  if (r.slurm) out.push('', '## Slurm', '', `- sbatch: ${cell(r.slurm.sbatch)}`, `- controller: **${r.slurm.controller ?? '—'}**`, '', r.slurm.note);
  out.push('', '## State directory', '', `\`${r.stateDir.path}\` — mode ${r.stateDir.mode} — ${r.stateDir.ok ? '✅ ok' : `❌ ${r.stateDir.problem ?? 'problem'}`}`);
  out.push('', '## systemd-logind', '', `- KillUserProcesses: **${yes(r.logind.killUserProcesses)}**`, `- lingering enabled for this user: **${yes(r.logind.linger)}**`);
  if (r.logind.note) out.push('', r.logind.note);
  out.push('', '## sshd keepalive', '',
    `- ClientAliveInterval: **${cell(r.sshd.clientAliveInterval)}**`,
    `- ClientAliveCountMax: **${cell(r.sshd.clientAliveCountMax)}**`,
    `- TCPKeepAlive: **${yes(r.sshd.tcpKeepAlive)}**`,
    `- source: ${r.sshd.source}`, '', r.sshd.explanation, '');
  return out.join('\n');
}

export class DoctorView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private markdown = '# Linger host check\n\nRunning…\n';
  private readonly reg: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.reg = vscode.workspace.registerTextDocumentContentProvider(DOCTOR_SCHEME, this);
  }

  provideTextDocumentContent(): string { return this.markdown; }

  /** Runs the check (on `host`, null = this host), shows it, and returns the Markdown (tests assert on it). */
  async check(host: string | null = null): Promise<string> {
    const report = await this.ctx.agent().doctor(host);
    this.markdown = renderDoctor(report, host ?? (vscode.env.remoteName ? `remote (${vscode.env.remoteName})` : 'this machine'));
    this.changed.fire(DOCTOR_URI);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', DOCTOR_URI);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(DOCTOR_URI), { preview: true });
    }
    return this.markdown;
  }

  dispose(): void {
    this.reg.dispose();
    this.changed.dispose();
  }
}
