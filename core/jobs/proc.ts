// Reading the process table from /proc: liveness with pid-reuse protection, session members.
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessTable } from './derive';

export interface ProcStat { pid: number; ppid: number; pgid: number; sid: number; state: string; start: number }

export function procStat(pid: number): ProcStat | null {
  let s: string;
  try { s = readFileSync(`/proc/${pid}/stat`, 'latin1'); } catch { return null; }
  // comm may contain spaces and ')' : fields start after the LAST ')'.
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0], ppid: +rest[1], pgid: +rest[2], sid: +rest[3], start: +rest[19] };
}

/** Alive and the same process as recorded (start time in clock ticks since boot). Zombies are dead. */
export function isAlive(pid: number | null | undefined, start?: number | null): boolean {
  if (!pid || pid <= 0) return false;
  const st = procStat(pid);
  if (!st || st.state === 'Z' || st.state === 'X') return false;
  return start == null || st.start === start;
}

/** Live (non-zombie) processes whose session or process group is one of the given ids. */
export function members(ids: number[]): ProcStat[] {
  const want = new Set(ids.filter((x) => x > 0));
  const out: ProcStat[] = [];
  if (!want.size) return out;
  let names: string[];
  try { names = readdirSync('/proc'); } catch { return out; }
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const st = procStat(+n);
    if (!st || st.state === 'Z' || st.state === 'X') continue;
    if (want.has(st.sid) || want.has(st.pgid)) out.push(st);
  }
  return out;
}

/** Live processes that have exactly `arg` as one of their argv elements (stops at the first when `first`). */
export function argvHolders(arg: string, first = false): number[] {
  const out: number[] = [];
  let names: string[];
  try { names = readdirSync('/proc'); } catch { return out; }
  const want = Buffer.from(`${arg}\0`);
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let cmd: Buffer;
    try { cmd = readFileSync(`/proc/${n}/cmdline`); } catch { continue; }
    for (let at = cmd.indexOf(want); at >= 0; at = cmd.indexOf(want, at + 1)) {
      if ((at === 0 || cmd[at - 1] === 0) && isAlive(+n)) { out.push(+n); if (first) return out; break; }
    }
  }
  return out;
}

/** The live process table (derive.ts's view of it). */
export const liveProcesses: ProcessTable = {
  startTime: (pid) => procStat(pid)?.start ?? null,
  isAlive: (pid, start) => isAlive(pid, start),
  holdsArg: (dir) => argvHolders(dir, true).length > 0,
};
