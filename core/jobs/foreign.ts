// The user's own tmux and screen sessions (default sockets), listed beside our jobs.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { which } from './backends';
import type { ForeignSession } from './types';

export function listForeign(): ForeignSession[] {
  const out: ForeignSession[] = [];
  const tmux = which('tmux');
  if (tmux) {
    const dir = join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`);
    let names: string[] = [];
    try { names = readdirSync(dir); } catch { /* no server ever ran */ }
    for (const n of names) {
      const sock = join(dir, n);
      try { if (!statSync(sock).isSocket()) continue; } catch { continue; }
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
    const r = spawnSync(screen, ['-ls'], { encoding: 'utf8', timeout: 3000 });
    const dirM = /Sockets? in (.+?)\.?\s*$/m.exec(r.stdout || '');
    for (const m of (r.stdout || '').matchAll(/^\s+(\d+\.\S+)\s+(?:\(([^)]*)\)\s+)?\((Attached|Detached|Multi, attached|Multi, detached)\)/gm)) {
      out.push({ backend: 'screen', session: m[1], socket: dirM ? join(dirM[1], m[1]) : m[1], attached: /attached/i.test(m[3]) && !/detached/i.test(m[3]), createdAt: null });
    }
  }
  return out;
}
