// The user's own tmux and screen sessions (default sockets), listed beside our jobs. Their
// socket directories are shared places (/tmp): each is checked as tmux checks it before anything
// in it is touched (a real directory, ours, private); a bad one is skipped with one line.
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { which } from './backends';
import { euid, privateDirProblem } from './fsafe';
import type { ForeignSession } from './types';

/** screen's socket directory as screen picks it: $SCREENDIR, else /run/screen/S-USER. */
function screenSocketDir(): string | null {
  if (process.env.SCREENDIR) return process.env.SCREENDIR;
  let user: string;
  try { user = userInfo().username; } catch { return null; }
  return `/run/screen/S-${user}`;
}

function exists(p: string): boolean {
  try { lstatSync(p); return true; } catch { return false; }
}

/** Foreign sessions, and one line per socket directory that was refused (and why). */
export function listForeignChecked(): { sessions: ForeignSession[]; refused: string[] } {
  const out: ForeignSession[] = [];
  const refused: string[] = [];
  const tmux = which('tmux');
  if (tmux) {
    const dir = join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${euid()}`);
    const problem = exists(dir) ? privateDirProblem(dir) : null;
    let names: string[] = [];
    if (problem) refused.push(`not listing tmux sessions in ${dir}: ${problem}`);
    else { try { names = readdirSync(dir); } catch { /* no server ever ran */ } }
    for (const n of names) {
      const sock = join(dir, n);
      try { if (!lstatSync(sock).isSocket() || lstatSync(sock).uid !== euid()) continue; } catch { continue; }
      const r = spawnSync(tmux, ['-S', sock, 'list-sessions', '-F', '#{session_name}\t#{session_attached}\t#{session_created}'], { encoding: 'utf8', timeout: 3000 });
      if (r.status !== 0) continue;
      for (const line of r.stdout.split('\n')) {
        if (!line) continue;
        const [session, att, created] = line.split('\t');
        out.push({ backend: 'tmux', session, socket: sock, attached: +att > 0, createdAt: created ? new Date(+created * 1000).toISOString() : null });
      }
    }
  }
  const screen = which('screen');
  if (screen) {
    const dir = screenSocketDir();
    const problem = dir && exists(dir) ? privateDirProblem(dir) : null;
    if (problem) refused.push(`not listing screen sessions in ${dir}: ${problem}`);
    else {
      const r = spawnSync(screen, ['-ls'], { encoding: 'utf8', timeout: 3000 });
      const dirM = /Sockets? in (.+?)\.?\s*$/m.exec(r.stdout || '');
      for (const m of (r.stdout || '').matchAll(/^\s+(\d+\.\S+)\s+(?:\(([^)]*)\)\s+)?\((Attached|Detached|Multi, attached|Multi, detached)\)/gm)) {
        out.push({ backend: 'screen', session: m[1], socket: dirM ? join(dirM[1], m[1]) : m[1], attached: /attached/i.test(m[3]) && !/detached/i.test(m[3]), createdAt: null });
      }
    }
  }
  return { sessions: out, refused };
}

export function listForeign(): ForeignSession[] {
  return listForeignChecked().sessions;
}
