// A throwaway LINGER_HOME for tests that run the CLI as root, and the teardown that stops every
// process started under it (tmux server on its socket, screen sessions, job process groups,
// wrappers) by pid, then deletes it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useHermeticHome } from './hermetic-home.cjs';
import { procsMatching } from './proc';

// Jobs started under a temp LINGER_HOME get a home and shell the test controls, not the machine's.
useHermeticHome();

export function tempHome(label: string): string { return mkdtempSync(join(tmpdir(), `linger-${label}-`)); }

function tmuxSockets(home: string): string[] {
  const out: string[] = [];
  for (const id of safeReaddir(join(home, 'jobs'))) {
    try {
      const j = JSON.parse(readFileSync(join(home, 'jobs', id, 'job.json'), 'utf8')) as { backend?: string; internal?: { socket?: string | null } };
      if (j.backend === 'tmux' && j.internal?.socket) out.push(j.internal.socket);
    } catch { /* unreadable: the process scan below still finds its processes */ }
  }
  if (existsSync(join(home, 'tmux.sock'))) out.push(join(home, 'tmux.sock'));
  return [...new Set(out)];
}

function safeReaddir(p: string): string[] { try { return readdirSync(p); } catch { return []; } }

export function cleanupHome(home: string, opts: { keep?: boolean } = {}): void {
  for (const sock of tmuxSockets(home)) spawnSync('tmux', ['-S', sock, 'kill-server'], { stdio: 'ignore' });
  const screenDir = join(home, 'screen');
  for (const s of safeReaddir(screenDir)) {
    spawnSync('screen', ['-S', s, '-X', 'quit'], { stdio: 'ignore', env: { ...process.env, SCREENDIR: screenDir } });
  }
  // Whatever is left and mentions the home in its argv (wrappers, pumps, script, sleepers' parents).
  for (let i = 0; i < 3; i++) {
    const left = procsMatching(home).filter((p) => p.pid !== process.pid);
    if (!left.length) break;
    for (const p of left) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    spawnSync('sleep', ['0.1']);
  }
  if (!opts.keep) rmSync(home, { recursive: true, force: true });
}
