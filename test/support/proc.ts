// Process-table helpers for tests, read straight from /proc (no ps parsing): liveness, who owns
// what, process groups. Zombies count as dead everywhere: in this sandbox PID 1 reaps slowly.
import { readdirSync, readFileSync, statSync } from 'node:fs';

export interface ProcInfo { pid: number; ppid: number; pgid: number; sid: number; state: string; uid: number; args: string[] }

export function delay(ms: number): Promise<void> { return new Promise((r) => setTimeout(r, ms)); }

export function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // comm may contain spaces and ')': the fixed fields start after the LAST ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const uid = statSync(`/proc/${pid}`).uid;
    let args: string[] = [];
    try { args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1); } catch { /* gone */ }
    return { pid, state: f[0], ppid: +f[1], pgid: +f[2], sid: +f[3], uid, args };
  } catch { return null; }
}

/** Alive and not a zombie. */
export function alive(pid: number | null | undefined): boolean {
  if (!pid || pid <= 0) return false;
  const p = procInfo(pid);
  return !!p && p.state !== 'Z' && p.state !== 'X';
}

/** Every live (non-zombie) process. */
export function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    const p = procInfo(+n);
    if (p && p.state !== 'Z' && p.state !== 'X') out.push(p);
  }
  return out;
}

export function procsOfUid(uid: number): ProcInfo[] { return allProcs().filter((p) => p.uid === uid); }

export function procsInGroup(pgid: number): ProcInfo[] { return allProcs().filter((p) => p.pgid === pgid); }

/** Live processes whose argv contains `needle` as one whole argument or inside one. */
export function procsMatching(needle: string): ProcInfo[] {
  return allProcs().filter((p) => p.args.some((a) => a.includes(needle)));
}

/** Polls fn until it returns something truthy; throws with `what` on timeout. */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(everyMs);
  }
}
