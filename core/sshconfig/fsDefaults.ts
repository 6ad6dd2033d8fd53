// Node file-system defaults for Include handling (readFile / listDir / statFile of AnalyzeOptions):
// tolerant, never throwing, and shaped like what OpenSSH sees.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';

export function safeHome(): string {
  try {
    return homedir() || userInfo().homedir;
  } catch {
    return '/root';
  }
}

export function joinPath(a: string, b: string): string {
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}

export function defaultReadFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch (e) {
    // A directory matched by a glob reads as an empty file in OpenSSH (getline fails at once).
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return '';
    return undefined;
  }
}

/** The group `gid` is the owner's primary group and lists nobody else (secure_permissions()). */
export function privateGroup(uid: number, gid: number): boolean {
  try {
    let owner: string | undefined;
    let primary: number | undefined;
    for (const l of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = l.split(':');
      if (Number(f[2]) === uid && f[0]) { owner = f[0]; primary = Number(f[3]); break; }
    }
    if (owner === undefined || primary !== gid) return false;
    for (const l of readFileSync('/etc/group', 'utf8').split('\n')) {
      const f = l.split(':');
      if (Number(f[2]) !== gid) continue;
      const members = (f[3] ?? '').split(',').filter(Boolean);
      return members.every((m) => m === owner);
    }
    return false;
  } catch {
    return false;
  }
}

export function defaultStat(path: string): { uid: number; gid: number; mode: number } | undefined {
  try {
    const st = statSync(path);
    return { uid: st.uid, gid: st.gid, mode: st.mode };
  } catch {
    return undefined;
  }
}

export function defaultListDir(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}
