// `Linger: Install CLI on Host` / `linger install-cli`: a `linger` launcher in ~/.local/bin on the
// host this code runs on (the remote agent runs it for a remote host), as VS Code's "Install
// 'code' command in PATH" does. The launcher points at a versioned copy of the bundle in the
// user's data dir, the same folder a remote bootstrap uses, so an extension update or a removed
// checkout never leaves it dangling.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { shQuote } from '../jobs/backends';
import { writeAtomic } from '../jobs/fsafe';
import { mkdirp } from '../jobs/store';
import { UserError } from '../jobs/types';
import { BUNDLE_FILES, findBundleDir, loadBundle } from './bundle';

const MARK = '# linger launcher (Linger: Install CLI); safe to remove';

export function agentDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(data, 'linger', 'agent');
}

/** The bundle in its versioned data folder: where it already runs from, else copied there (atomic per file). */
export function ensureVersionedBundle(env: NodeJS.ProcessEnv = process.env): string {
  const b = loadBundle(findBundleDir());
  const dest = join(agentDataDir(env), b.folder);
  if (resolve(b.dir) === resolve(dest)) return dest;
  mkdirp(dest);
  // 0600 files by temp + rename, as the remote install does (a copy would keep dist's 0644).
  for (const f of BUNDLE_FILES) writeAtomic(join(dest, f), readFileSync(join(b.dir, f)));
  return dest;
}

export interface InstalledCli { path: string; onPath: boolean }

/**
 * The launcher finds Node when it runs, not when it was written: the Node this agent runs on may
 * be VS Code's server copy, whose path changes with every VS Code update (or, in a desktop window,
 * the Electron binary, which needs ELECTRON_RUN_AS_NODE). So: `node` on PATH, else VS Code's
 * server copies, else the one we ran on.
 */
export function launcher(node: string, cliJs: string, electron: boolean): string {
  return [
    '#!/bin/sh',
    MARK,
    'n=$(command -v node 2>/dev/null)',
    'case "$n" in /*) ;; *) n= ;; esac',
    'if [ -z "$n" ]; then for c in "$HOME"/.vscode-server/cli/servers/Stable-*/server/node "$HOME"/.vscode-server/bin/*/node; do [ -x "$c" ] && n=$c; done; fi',
    `if [ -z "$n" ]; then n=${shQuote(node)};${electron ? ' ELECTRON_RUN_AS_NODE=1; export ELECTRON_RUN_AS_NODE;' : ''} fi`,
    `exec "$n" ${shQuote(cliJs)} "$@"`,
    '',
  ].join('\n');
}

export function installCli(env: NodeJS.ProcessEnv = process.env, node: string = process.execPath, electron = process.versions.electron !== undefined): InstalledCli {
  const home = env.HOME || homedir();
  const bin = join(home, '.local', 'bin');
  const target = join(bin, 'linger');
  if (existsSync(target)) {
    let cur = '';
    try { cur = readFileSync(target, 'utf8'); } catch { /* unreadable: not ours */ }
    if (!cur.includes(MARK)) throw new UserError(`${target} exists and is not a Linger launcher; not replacing it`, 'failed');
  }
  const dir = ensureVersionedBundle(env);
  mkdirp(bin);
  writeAtomic(target, launcher(node, join(dir, 'linger.js'), electron));
  // Executable for its owner only: it runs the user's own jobs.
  chmodSync(target, 0o700);
  return { path: target, onPath: loginPathHas(bin, env) };
}

/** Whether a login shell of this user has `dir` on PATH (a plain ssh terminal would find `linger`). */
function loginPathHas(dir: string, env: NodeJS.ProcessEnv): boolean {
  const r = spawnSync(env.SHELL || '/bin/sh', ['-lc', 'printf "\\n%s\\n" "$PATH"'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, env });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  return last.split(':').some((p) => p && resolve(p) === resolve(dir));
}
