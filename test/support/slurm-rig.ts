// A real single-node Slurm cluster for tests (Debian's slurm 22.05 packages, no systemd): munged,
// slurmctld, slurmd (and slurmdbd + MariaDB for accounting) started by slurm-rig.sh beside this
// file in a temp dir, torn down by pid. Only one rig per host (the node is the hostname and the
// ports are fixed), so the rig is held through the lease of its submitting user, lslurm.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot, leaseUser, releaseUser, type TestUser } from './users';

const SCRIPT = join(__dirname, 'slurm-rig.sh');
export const SLURM_USER = 'lslurm';
export type Accounting = 'none' | 'dbd';

/** Why the rig cannot run here, or null. Missing packages are not a reason: `up` installs them. */
export function slurmSkipReason(): string | null {
  if (!isRoot()) return 'needs root: starts munged/slurmctld/slurmd and submits as a test user';
  if (!existsSync('/usr/bin/apt-get') && !existsSync('/usr/sbin/slurmctld')) return 'slurm packages missing and no apt-get to install them';
  return null;
}

export interface SlurmRig {
  dir: string;
  conf: string;
  acct: Accounting;
  node: string;
  /** 'v1' when slurmd confines jobs in cgroups (then memory limits end jobs as OUT_OF_MEMORY), else 'off'. */
  cgroup: string;
  user: TestUser;
  /** Environment a job client needs (SLURM_CONF). */
  env: Record<string, string>;
  stopCtld(): void;
  startCtld(): void;
  down(): Promise<void>;
}

function script(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`slurm-rig.sh ${args[0]} failed (${r.status}): ${(r.stderr || '').trim().split('\n').slice(-5).join(' | ')}`);
  return r.stdout;
}

const live = new Set<string>();

/**
 * Brings a rig up. MinJobAge=2 makes the controller forget finished jobs quickly, so the tests
 * exercise what follows (accounting, or the exit record and slurmstepd's notes); KillWait=5 and
 * MessageTimeout=3 keep cancels and an absent controller short. 32 CPUs with 64 MB each by default
 * are declared so the concurrent tests (a dozen jobs at once, arrays and controls included) never
 * queue behind each other on a small machine.
 */
export async function slurmRigUp(acct: Accounting): Promise<SlurmRig> {
  const user = await leaseUser(SLURM_USER, 600_000);
  const dir = mkdtempSync(join(tmpdir(), 'lslurm-'));
  live.add(dir);
  try {
    script(['up', dir], {
      SLURM_RIG_USER: SLURM_USER, SLURM_RIG_ACCT: acct, SLURM_RIG_CPUS: '32', SLURM_RIG_DEFMEM: '64',
      SLURM_RIG_EXTRA_CONF: 'MinJobAge=2\nKillWait=5\nMessageTimeout=3',
    });
  } catch (e) {
    try { script(['down', dir]); } catch { /* best effort */ }
    live.delete(dir);
    await releaseUser(SLURM_USER);
    throw e;
  }
  const envText = readFileSync(join(dir, 'rig.env'), 'utf8');
  const val = (k: string) => (new RegExp(`^${k}=(.*)$`, 'm').exec(envText) ?? [])[1] ?? '';
  const conf = val('SLURM_CONF');
  let downed = false;
  return {
    dir, conf, acct, node: val('SLURM_RIG_NODE'), cgroup: val('SLURM_RIG_CGROUP'), user, env: { SLURM_CONF: conf },
    stopCtld: () => { script(['stop-ctld', dir]); },
    startCtld: () => { script(['start-ctld', dir]); },
    down: async () => {
      if (downed) return;
      downed = true;
      try { script(['down', dir]); } finally { live.delete(dir); await releaseUser(SLURM_USER); }
    },
  };
}

/** Processes on the node that belong to Slurm job N (they carry SLURM_JOB_ID in their environment). */
export function jobProcesses(conf: string, jobId: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    let env: string;
    try { env = readFileSync(`/proc/${p}/environ`, 'latin1'); } catch { continue; }
    const vars = env.split('\0');
    if (!vars.includes(`SLURM_CONF=${conf}`) || !vars.includes(`SLURM_JOB_ID=${jobId}`)) continue;
    try { if (/\) Z/.test(readFileSync(`/proc/${p}/stat`, 'latin1'))) continue; } catch { continue; }
    out.push(+p);
  }
  return out;
}

// Last resort when the test process exits without its after() hooks.
process.on('exit', () => {
  for (const dir of live) spawnSync('bash', [SCRIPT, 'down', dir], { stdio: 'ignore', timeout: 60_000 });
});
