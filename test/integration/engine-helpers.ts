// Shared by the engine-*.test.ts files: private state dirs, the CLI, and cleanup that stops every
// tmux/screen server and job process a test started (also when the test failed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { members } from '../../core/jobs/proc';
import { useHermeticHome } from '../support/hermetic-home.cjs';

// Jobs these tests start (and the tmux/screen servers) get a home and shell the test controls.
useHermeticHome();

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'linger.js');
export const BACKENDS = ['tmux', 'screen', 'setsid'] as const;

export function makeHome(): string {
  // Short path: the tmux socket lives inside it.
  return mkdtempSync(join(tmpdir(), 'lgt-'));
}

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function cliSync(home: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, LINGER_HOME: home, LINGER_DEBUG: '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cli(home: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((res) => {
    const c = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LINGER_HOME: home, LINGER_DEBUG: '', ...env } });
    let stdout = '', stderr = '';
    c.stdout.on('data', (d) => { stdout += d; });
    c.stderr.on('data', (d) => { stderr += d; });
    c.on('close', (code) => res({ code, stdout, stderr }));
  });
}

/** Kills every process of every job in HOME, our tmux server and screen sessions, then removes HOME. */
export function cleanupHome(home: string): void {
  const jobs = join(home, 'jobs');
  const ids: number[] = [];
  if (existsSync(jobs)) {
    for (const id of readdirSync(jobs)) {
      for (const f of ['wpid', 'cpid']) {
        const n = parseInt(readFileOr(join(jobs, id, f)), 10);
        if (n > 0) ids.push(n);
      }
      const m = /"leaderPid":(\d+)/.exec(readFileOr(join(jobs, id, 'job.json')));
      if (m) ids.push(+m[1]);
    }
  }
  for (const p of members(ids)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  spawnSync('tmux', ['-S', join(home, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
  const sd = join(home, 'screen');
  if (existsSync(sd)) {
    for (const s of readdirSync(sd)) spawnSync('screen', ['-S', s, '-X', 'quit'], { stdio: 'ignore', env: { ...process.env, SCREENDIR: sd } });
  }
  // Log pumps (tmux's pipe-pane child, setsid's outer wrapper) live outside the job's session and
  // may still be writing into the job dir: end every process whose cwd or argv is inside HOME, or
  // rmSync races their last write (ENOTEMPTY on a loaded machine).
  for (const pid of processesIn(home)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

function processesIn(home: string): number[] {
  const out: number[] = [];
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n) || +n === process.pid) continue;
    try {
      let cwd = '';
      try { cwd = readlinkSync(`/proc/${n}/cwd`); } catch { /* not ours to read */ }
      if (cwd === home || cwd.startsWith(`${home}/`) || readFileSync(`/proc/${n}/cmdline`, 'latin1').includes(home)) out.push(+n);
    } catch { /* gone */ }
  }
  return out;
}

function readFileOr(p: string): string {
  try { return readFileSync(p, 'utf8'); } catch { return ''; }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Resolves once `file` exists: inotify on its directory (which must exist), so the wait ends with
 * the write, not at the next poll. Rejects with `what` after ms.
 */
export function fileAppears(file: string, what: string, ms = 30_000): Promise<void> {
  return new Promise((res, rej) => {
    let w: FSWatcher | null = null;
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      w?.close();
      clearTimeout(timer);
      if (err) rej(err); else res();
    };
    const check = (): void => { if (existsSync(file)) finish(); };
    const timer = setTimeout(() => finish(existsSync(file) ? undefined : new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    w = watch(dirname(file), check);
    w.on('error', (e) => finish(e));
    check(); // after the watch is in place: a file written before it is seen here
  });
}
