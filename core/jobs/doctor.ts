// `linger doctor`: what keeps (or kills) jobs on this machine, in one report.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { explainKeepalive } from '../sshconfig/keepalive';
import { BACKEND_ORDER, backendBin, backendVersion, which } from './backends';
import type { DoctorReport } from './types';
import { slurmDoctor } from './slurm/job';

function yesNo(s: string | undefined): boolean | null {
  if (!s) return null;
  const v = s.trim().toLowerCase();
  if (['yes', 'true', '1', 'on'].includes(v)) return true;
  if (['no', 'false', '0', 'off'].includes(v)) return false;
  return null;
}

function logind(user: string): DoctorReport['logind'] {
  let kill: boolean | null = null;
  let linger: boolean | null = existsSync(`/var/lib/systemd/linger/${user}`) ? true : null;
  const notes: string[] = [];
  const lc = which('loginctl');
  if (lc) {
    const r = spawnSync(lc, ['show-user', user, '-p', 'Linger'], { encoding: 'utf8', timeout: 3000 });
    const m = /^Linger=(\S+)/m.exec(r.stdout || '');
    if (m) linger = yesNo(m[1]);
  }
  for (const f of ['/etc/systemd/logind.conf', ...dropins()]) {
    try {
      const m = [...readFileSync(f, 'utf8').matchAll(/^\s*KillUserProcesses\s*=\s*(\S+)/gm)].pop();
      if (m) { kill = yesNo(m[1]); notes.push(`KillUserProcesses=${m[1]} in ${f}`); }
    } catch { /* absent */ }
  }
  if (kill === null && existsSync('/etc/systemd/logind.conf')) { kill = false; notes.push('KillUserProcesses not set (systemd default: no)'); }
  if (linger === null && existsSync('/var/lib/systemd/linger')) linger = false;
  if (kill) notes.push(linger ? 'lingering is enabled for you, so jobs survive logout' : 'jobs die at logout unless you run: loginctl enable-linger');
  if (!existsSync('/run/systemd/system')) notes.push('systemd-logind is not running here: nothing kills jobs at logout');
  return { killUserProcesses: kill, linger, note: notes.join('; ') || 'no logind configuration found' };
}

function dropins(): string[] {
  try {
    const d = '/etc/systemd/logind.conf.d';
    return readdirSync(d).filter((n) => n.endsWith('.conf')).sort().map((n) => `${d}/${n}`);
  } catch { return []; }
}

function sshd(user: string): DoctorReport['sshd'] {
  let vals: Record<string, string> = {};
  let source = '';
  const bin = ['/usr/sbin/sshd', which('sshd')].find((p) => p && existsSync(p));
  if (bin) {
    const r = spawnSync(bin, ['-T', '-C', `user=${user},host=localhost,addr=127.0.0.1`], { encoding: 'utf8', timeout: 5000 });
    if (r.status === 0) {
      for (const line of r.stdout.split('\n')) { const i = line.indexOf(' '); if (i > 0) vals[line.slice(0, i)] = line.slice(i + 1).trim(); }
      source = `${bin} -T`;
    }
  }
  if (!source) {
    try {
      // Minimal fallback: first value wins, like sshd; Match blocks are not evaluated.
      for (const raw of readFileSync('/etc/ssh/sshd_config', 'utf8').split('\n')) {
        const line = raw.trim();
        if (/^match\s/i.test(line)) break;
        const m = /^(\w+)\s*(?:=\s*|\s+)(\S+)/.exec(line);
        if (m && !line.startsWith('#')) { const k = m[1].toLowerCase(); if (!(k in vals)) vals[k] = m[2]; }
      }
      source = '/etc/ssh/sshd_config (parsed minimally; sshd -T not runnable)';
    } catch { source = 'unknown (no sshd -T, no /etc/ssh/sshd_config)'; vals = {}; }
  }
  const num = (k: string, dflt: number) => (vals[k] !== undefined && /^\d+$/.test(vals[k]) ? +vals[k] : dflt);
  const interval = num('clientaliveinterval', 0);
  const count = num('clientalivecountmax', 3);
  const tcp = vals.tcpkeepalive !== undefined ? yesNo(vals.tcpkeepalive) ?? true : true;
  return {
    clientAliveInterval: interval, clientAliveCountMax: count, tcpKeepAlive: tcp,
    explanation: explainKeepalive({ dialect: 'sshd', interval, countMax: count, tcpKeepAlive: tcp }),
    source,
  };
}

export function doctor(home: string): DoctorReport {
  const user = userInfo().username;
  let stateDir: DoctorReport['stateDir'];
  try {
    const st = statSync(home);
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    const problem = !st.isDirectory() ? 'not a directory' : (st.mode & 0o077) ? 'readable by others (should be 0700)' : st.uid !== process.getuid?.() ? 'owned by another user' : null;
    stateDir = { path: home, mode, ok: problem === null, problem };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    stateDir = { path: home, mode: '', ok: code === 'ENOENT', problem: code === 'ENOENT' ? 'not created yet (created on first run)' : String(code) };
  }
  const backends = BACKEND_ORDER.map((name) => {
    const path = backendBin(name);
    return { name, available: !!path, path, version: path ? backendVersion(name, path) : null };
  });
  return {
    stateDir,
    backends,
    defaultBackend: backends.find((b) => b.available)?.name ?? null,
    logind: logind(user),
    sshd: sshd(user),
    slurm: slurmDoctor(),
  };
}
