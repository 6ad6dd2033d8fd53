// The three ways a job is kept alive: tmux and screen on Linger's own sockets, or a bare setsid
// session. Each starts `sh WRAPPER JOBDIR MODE`; nothing the user typed is ever on these command
// lines (the job's argv lives in JOBDIR/spec).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_NAMES, type BackendName, type LocalBackendName } from './types';
import { UserError } from './types';
import { writeAtomic } from './store';
import { shortSocketPath } from './fsafe';

export const BACKEND_ORDER: readonly LocalBackendName[] = BACKEND_NAMES;

/**
 * The program's path on PATH, looked up afresh each time (a few stat calls, ~10 µs): no
 * process-wide memo, so a long-lived agent sees a backend installed after it started.
 */
export function which(name: string, path = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'): string | null {
  for (const dir of path.split(':')) {
    if (!dir) continue;
    const p = join(dir, name);
    try { accessSync(p, constants.X_OK); if (statSync(p).isFile()) return p; } catch { /* next */ }
  }
  return null;
}

/** The setsid backend needs only sh (Node itself calls setsid()); `script` is optional. */
export function backendBin(b: BackendName): string | null {
  if (b === 'setsid') return which('sh');
  return which(b);
}

/** Single-quotes a path for the one place a shell line is unavoidable (tmux pipe-pane). */
export function shQuote(s: string): string { return `'${s.replace(/'/g, `'\\''`)}'`; }

/** Runs fn with umask 077 so sockets, logs and servers we spawn are private. */
export function withPrivateUmask<T>(fn: () => T): T {
  let old: number | null = null;
  try { old = process.umask(0o077); } catch { /* worker thread: umask not settable */ }
  try { return fn(); } finally { if (old !== null) process.umask(old); }
}

export interface StartContext {
  home: string;
  id: string;
  dir: string;
  wrapper: string;
  env: NodeJS.ProcessEnv;
}

export interface Started { leaderPid: number | null; session: string; socket: string | null; bin: string }

export function sessionName(id: string): string { return `linger-${id}`; }

// ---------- tmux ----------
const TMUX_CONF = [
  '# Linger private tmux config (the user\'s ~/.tmux.conf is never read for job sessions).',
  'set -g exit-empty on',
  'set -g exit-unattached off',
  'set -g destroy-unattached off',
  'set -g remain-on-exit off',
  'set -g history-limit 10000',
  'set -sg escape-time 10',
  'set -g status-left "[linger #S] "',
  'set -g status-left-length 40',
  '',
].join('\n');

/**
 * Our tmux socket lives in the state dir, unless that path is too long for a unix socket
 * (sun_path is 108 bytes): then a per-user 0700 dir in /tmp, named by a hash of the state dir.
 */
export function tmuxSocket(home: string): string {
  const p = join(home, 'tmux.sock');
  if (Buffer.byteLength(p) < 100) return p;
  const { dir, tag } = shortSocketPath(home, 16, 'the tmux socket');
  return join(dir, `${tag}.sock`);
}
/** Our own backend config file, rewritten (atomically) only when its content is not ours. */
function ownConfig(p: string, body: string): string {
  let cur: string | null = null;
  try { cur = readFileSync(p, 'utf8'); } catch { /* absent */ }
  if (cur !== body) writeAtomic(p, body);
  return p;
}
export function tmuxConf(home: string): string {
  return ownConfig(join(home, 'tmux.conf'), TMUX_CONF);
}

function startTmux(ctx: StartContext): Started {
  const bin = which('tmux');
  if (!bin) throw new UserError('backend tmux is not installed (try --backend setsid)', 'noBackend');
  const sock = tmuxSocket(ctx.home);
  const sess = sessionName(ctx.id);
  // tmux runs this with sh -c; that sh sources the wrapper's pump rather than exec'ing another sh.
  const pump = `set -- ${shQuote(ctx.dir)} pump; . ${shQuote(ctx.wrapper)}`;
  const conf = tmuxConf(ctx.home);
  // One tmux client call: create the session, attach the log pipe, then open the wrapper's gate.
  // The gate channel is per attempt, so a wrapper of a failed attempt can never pass it.
  const call = (attempt: number) => {
    const chan = `linger-go-${ctx.id}-${attempt}`;
    const args = ['-S', sock, '-f', conf,
      'new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', sess, '-x', '200', '-y', '50',
      '-e', `LINGER_GATE_CHAN=${chan}`, '-e', `LINGER_GATE_BIN=${bin}`, '-e', `LINGER_GATE_SOCK=${sock}`,
      'sh', ctx.wrapper, ctx.dir, 'run',
      ';', 'pipe-pane', '-o', '-t', `=${sess}:`, pump,
      ';', 'wait-for', '-S', chan];
    return withPrivateUmask(() => spawnSync(bin, args, { env: ctx.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  };
  let r = call(0);
  // Our server exits with its last session (exit-empty); a client that reached it just as it
  // was exiting gets "server exited unexpectedly". The session went with it, and its wrapper
  // (HUP'd, or failing at the gate) never runs the job, so starting once more is safe.
  for (let i = 1; i <= 2 && r.status !== 0 && /server exited unexpectedly|lost server/.test(r.stderr ?? ''); i++) r = call(i);
  const pid = parseInt(r.stdout ?? '', 10);
  if (r.status !== 0 || !(pid > 0)) {
    // The session may exist with its wrapper blocked at the gate: do not leave it behind.
    spawnSync(bin, ['-S', sock, 'kill-session', '-t', `=${sess}`], { stdio: 'ignore' });
    throw new UserError(`tmux failed to start the job: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0]}`, 'failed');
  }
  return { leaderPid: pid, session: sess, socket: sock, bin };
}

// ---------- screen ----------
export function screenDir(home: string): string { return join(home, 'screen'); }
function screenEnv(home: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const d = screenDir(home);
  if (!existsSync(d)) mkdirSync(d, { mode: 0o700 });
  return { ...env, SCREENDIR: d };
}
function screenRc(home: string): string {
  return ownConfig(join(home, 'screenrc'), '# Linger private screenrc\nstartup_message off\nautodetach on\ndefscrollback 10000\n');
}

function startScreen(ctx: StartContext): Started {
  const bin = which('screen');
  if (!bin) throw new UserError('backend screen is not installed (try --backend setsid)', 'noBackend');
  const sess = sessionName(ctx.id);
  const env = screenEnv(ctx.home, ctx.env);
  const r = withPrivateUmask(() => spawnSync(bin, ['-c', screenRc(ctx.home), '-dmS', sess,
    'sh', ctx.wrapper, ctx.dir, 'screen'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  if (r.status !== 0) {
    throw new UserError(`screen failed to start the job: ${(r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n')[0]}`, 'failed');
  }
  return { leaderPid: null, session: sess, socket: screenDir(ctx.home), bin };
}

// ---------- setsid ----------
function setsidShell(): string { return which('sh') ?? '/bin/sh'; }

function startSetsid(ctx: StartContext): Started {
  const sh = setsidShell();
  // The wrapper makes the job's input FIFO (JOBDIR/in) itself: mkfifo is a process, and here
  // nobody has to wait for it.
  // detached: Node calls setsid() in the child, so the job has its own session and no terminal.
  const child = withPrivateUmask(() => spawn(sh, [ctx.wrapper, ctx.dir, 'script'], { detached: true, stdio: 'ignore', env: ctx.env, cwd: '/' }));
  child.on('error', () => { /* reported below through the missing pid */ });
  child.unref();
  if (!child.pid) throw new UserError('could not start the job (spawn failed)', 'failed');
  return { leaderPid: child.pid, session: String(child.pid), socket: null, bin: sh };
}

/**
 * Where a job will live, known before it starts (so the record written before the start already
 * names it). setsid: its session is the pid Node will spawn, so '' here (filled in from opid).
 */
export function plannedSession(b: BackendName, home: string, id: string): { session: string; socket: string | null; bin: string | null } {
  if (b === 'tmux') return { session: sessionName(id), socket: tmuxSocket(home), bin: which('tmux') };
  if (b === 'screen') return { session: sessionName(id), socket: screenDir(home), bin: which('screen') };
  return { session: '', socket: null, bin: setsidShell() };
}

export function startBackend(b: BackendName, ctx: StartContext): Started {
  if (b === 'tmux') return startTmux(ctx);
  if (b === 'screen') return startScreen(ctx);
  return startSetsid(ctx);
}

/** Ends the backend session if it still exists (quietly: it usually ended with the job). */
export function endSession(b: BackendName, home: string, session: string): void {
  // Resolved here as `run` does: a program path is never taken from a job record.
  const bin = b === 'setsid' ? null : which(b);
  if (b === 'tmux' && bin) {
    spawnSync(bin, ['-S', tmuxSocket(home), 'kill-session', '-t', `=${session}`], { stdio: 'ignore' });
  } else if (b === 'screen' && bin) {
    spawnSync(bin, ['-S', session, '-X', 'quit'], { stdio: 'ignore', env: screenEnv(home, process.env) });
  }
}

export function attachArgv(b: BackendName, home: string, session: string): { argv: string[]; env?: Record<string, string>; detachHint: string } | null {
  const bin = b === 'setsid' ? null : which(b);
  if (b === 'tmux') return { argv: [bin ?? 'tmux', '-S', tmuxSocket(home), 'attach-session', '-t', `=${session}`], detachHint: 'Detach: Ctrl-b d' };
  if (b === 'screen') return { argv: [bin ?? 'screen', '-r', session], env: { SCREENDIR: screenDir(home) }, detachHint: 'Detach: Ctrl-a d' };
  return null;
}

export function backendVersion(b: BackendName, bin: string): string | null {
  const args = b === 'tmux' ? ['-V'] : b === 'screen' ? ['-v'] : [];
  if (b === 'setsid') {
    const s = which('setsid');
    if (!s) return 'node setsid()';
    const r = spawnSync(s, ['--version'], { encoding: 'utf8' });
    return (r.stdout || '').trim().split('\n')[0] || null;
  }
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return ((r.stdout || '') + (r.stderr || '')).trim().split('\n')[0] || null;
}
