// Running the built CLI (dist/linger.js) in tests: as the test process itself, or as a test user.
// The repo may sit under /root (0700) in CI, where a test user cannot read it, so for users the
// bundle is staged into a world-readable temp dir first.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobRecord } from '../../core/jobs/types';
import { useHermeticHome } from './hermetic-home.cjs';
import type { TestUser } from './users';

// runCli and the probe inherit this process's environment: never the machine's login shell.
useHermeticHome();

export const repoRoot = resolve(__dirname, '..', '..');
export const distDir = join(repoRoot, 'dist');
export const lingerJs = join(distDir, 'linger.js');

/** Absolute node binary a test user can run (not a node under /root/.nvm or similar). */
export function nodeBin(): string {
  for (const p of ['/usr/bin/node', '/usr/local/bin/node']) if (existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' });
  return r.stdout.trim() || process.execPath;
}

/** Why the CLI cannot be used yet (not built, or still the skeleton stub), or null when it can. */
export function cliProblem(): string | null {
  if (!existsSync(lingerJs)) return `${lingerJs} missing (run npm run build)`;
  const home = mkdtempSync(join(tmpdir(), 'linger-probe-'));
  const r = spawnSync(process.execPath, [lingerJs, 'ls', '--json'], {
    encoding: 'utf8', env: { ...process.env, LINGER_HOME: home }, timeout: 20_000,
  });
  rmSync(home, { recursive: true, force: true });
  if (r.status !== 0) return `dist/linger.js does not work yet: ls --json exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 200)}`;
  return null;
}

function chmodTree(p: string): void {
  const st = statSync(p);
  chmodSync(p, st.isDirectory() ? 0o755 : (st.mode & 0o111 ? 0o755 : 0o644));
  if (st.isDirectory()) for (const n of readdirSync(p)) chmodTree(join(p, n));
}

export interface StagedCli { dir: string; js: string; node: string; cleanup(): void }

/** Copies dist/ (and the native pty module the bundle loads lazily) to a 0755 temp dir. */
export function stageCli(): StagedCli {
  const dir = mkdtempSync(join(tmpdir(), 'linger-cli-'));
  cpSync(distDir, dir, { recursive: true });
  const pty = join(repoRoot, 'node_modules', '@lydell');
  if (existsSync(pty)) cpSync(pty, join(dir, 'node_modules', '@lydell'), { recursive: true, dereference: true });
  chmodTree(dir);
  return { dir, js: join(dir, 'linger.js'), node: nodeBin(), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function collect(child: ReturnType<typeof spawn>, timeoutMs: number): Promise<CliResult> {
  return new Promise((res, rej) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const t = setTimeout(() => { child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(t); rej(e); });
    child.on('close', (code, signal) => { clearTimeout(t); res({ code, signal, stdout, stderr }); });
  });
}

/** The environment a user's login session would have, nothing from the test process. */
export function userEnv(u: TestUser, extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: u.home, USER: u.name, LOGNAME: u.name, SHELL: '/bin/bash', PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', ...extra };
}

/** argv that runs the staged CLI as `u` (runuser, clean environment). */
export function asUserArgv(u: TestUser, cli: StagedCli, args: string[], extraEnv: Record<string, string> = {}): string[] {
  const env = Object.entries(userEnv(u, extraEnv)).map(([k, v]) => `${k}=${v}`);
  return ['runuser', '-u', u.name, '--', 'env', '-i', ...env, cli.node, cli.js, ...args];
}

export function runAsUser(u: TestUser, cli: StagedCli, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const argv = asUserArgv(u, cli, args, opts.env);
  return collect(spawn(argv[0], argv.slice(1), { cwd: u.home, stdio: ['ignore', 'pipe', 'pipe'] }), opts.timeoutMs ?? 60_000);
}

/** Runs the repo's dist/linger.js as the test process (root), with the given LINGER_HOME. */
export function runCli(home: string, args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  return collect(spawn(process.execPath, [lingerJs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LINGER_HOME: home, ...opts.env },
  }), opts.timeoutMs ?? 60_000);
}

export function parseRecords(stdout: string): JobRecord[] {
  const v = JSON.parse(stdout) as unknown;
  if (!Array.isArray(v)) throw new Error(`ls --json did not print an array: ${stdout.slice(0, 200)}`);
  return v as JobRecord[];
}

/** `linger run --json` prints one record; tolerate a bare id line as well. */
export function parseRunOutput(stdout: string): { id: string; record: JobRecord | null } {
  const t = stdout.trim();
  try {
    const v = JSON.parse(t) as JobRecord;
    if (v && typeof v.id === 'string') return { id: v.id, record: v };
  } catch { /* not JSON */ }
  const m = /^[0-9a-z]{10}$/m.exec(t);
  if (!m) throw new Error(`no job id in run output: ${JSON.stringify(t.slice(0, 300))}`);
  return { id: m[0], record: null };
}

/** POSIX sh single-quoting, for the one place a string must cross ssh (which only takes a line). */
export function shq(s: string): string { return `'${s.replace(/'/g, `'\\''`)}'`; }
