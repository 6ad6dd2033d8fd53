import type { Engine } from '../../core/jobs/engine';
import type { DoctorReport } from '../../core/jobs/types';
import type { Parsed } from '../args';
import { out, verbSpec, type Command } from '../command';

async function cmdDoctor(e: Engine, p: Parsed): Promise<number> {
  printDoctor(await e.doctor(), p.flags.json === true);
  return 0;
}

/** The host report as text (or JSON); also for a report from another host's agent. */
export function printDoctor(d: DoctorReport, json: boolean): void {
  if (json) { out(JSON.stringify(d)); return; }
  const yn = (b: boolean | null) => (b === null ? 'unknown' : b ? 'yes' : 'no');
  const lines = [
    `state dir:   ${d.stateDir.path} ${d.stateDir.mode} ${d.stateDir.ok ? 'ok' : 'PROBLEM: ' + d.stateDir.problem}`,
    ...d.backends.map((b) => `backend:     ${b.name.padEnd(7)} ${b.available ? `${b.path} (${b.version ?? '?'})` : 'not found'}`),
    `default:     ${d.defaultBackend ?? 'none'}`,
    `logind:      KillUserProcesses=${yn(d.logind.killUserProcesses)} linger=${yn(d.logind.linger)} (${d.logind.note})`,
    `sshd:        ClientAliveInterval=${d.sshd.clientAliveInterval} ClientAliveCountMax=${d.sshd.clientAliveCountMax} TCPKeepAlive=${yn(d.sshd.tcpKeepAlive)} [${d.sshd.source}]`,
    `             ${d.sshd.explanation}`,
    `slurm:       ${d.slurm?.sbatch ? `${d.slurm.sbatch}, controller ${d.slurm.controller}` : 'not available'} (${d.slurm?.note ?? '-'})`,
  ];
  out(lines.join('\n'));
}

export const doctor: Command = { spec: verbSpec({ json: { kind: 'bool' } }), run: cmdDoctor };
