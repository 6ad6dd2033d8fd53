// Putting our agent on a host and starting it, over the user's own ssh. Three constant sh
// scripts (no user data in them: only our version folder name, checksum and file sizes, which
// are [0-9a-z.+-] we generate), each sent as `sh -c '<script>'`:
//   probe    finds Node, lists the agent folders there, checksums ours;
//   install  reads the bundle from stdin into a temp file in our folder, checks its sha256, and
//            renames each file into place (rename is atomic: two first contacts at once write the
//            same bytes and each reader sees a whole file);
//   run      finds Node the same way and execs the agent with --stdio.
// Remote layout: ${XDG_DATA_HOME:-~/.local/share}/linger/agent/<version>-<sha16>/{server.js,…},
// dirs 0700, files 0600 (umask 077). The agent's own state is its default (~/.local/state/linger).
import { BUNDLE_FILES, type AgentBundle } from './bundle';
import { assertPortableScript } from './sshArgv';
import { compareVersions } from './version';

const DATA = 'd="${XDG_DATA_HOME:-$HOME/.local/share}/linger/agent"';

/**
 * The login shell's PATH: a non-interactive ssh command gets a minimal one, but jobs (and Node
 * from nvm or ~/.profile additions) expect what a login gives, as in the user's own terminal.
 * `env` output rather than an echo of $PATH: no quoting needed inside our one-quote script.
 */
const LOGIN_PATH = [
  'lp=$("${SHELL:-/bin/sh}" -lc env </dev/null 2>/dev/null | grep "^PATH=/" | tail -n 1)',
  '[ -n "$lp" ] && export "$lp"',
].join('; ');

/**
 * Node: on the PATH (run: the login PATH, taken first; probe: the plain one, and the login one
 * only when that has none, to spare a login shell per contact); else the one VS Code's server left
 * there (new layout, then the older ~/.vscode-server/bin). Only an absolute, executable path counts.
 */
const NODE_ON_PATH = [
  'n=$(command -v node 2>/dev/null)',
  'case "$n" in /*) [ -x "$n" ] || n= ;; *) n= ;; esac',
].join('; ');
const NODE_OF_VSCODE = 'if [ -z "$n" ]; then for c in "$HOME"/.vscode-server/cli/servers/Stable-*/server/node "$HOME"/.vscode-server/bin/*/node; do [ -x "$c" ] && n=$c; done; fi';
const FIND_NODE_RUN = [LOGIN_PATH, NODE_ON_PATH, NODE_OF_VSCODE].join('; ');
const FIND_NODE_PROBE = [NODE_ON_PATH, `if [ -z "$n" ]; then ${LOGIN_PATH}; ${NODE_ON_PATH}; fi`, NODE_OF_VSCODE].join('; ');

function checkFolder(folder: string): void {
  if (!/^[0-9A-Za-z.+-]+$/.test(folder)) throw new Error(`internal: unusable agent folder name ${folder}`);
}

export function probeScript(b: Pick<AgentBundle, 'folder'>): string {
  checkFolder(b.folder);
  const files = BUNDLE_FILES.map((f) => `"$f/${f}"`).join(' ');
  const s = [
    DATA, `f="$d/${b.folder}"`, FIND_NODE_PROBE,
    'echo "LINGER-NODE $n"',
    'for e in "$d"/*; do [ -d "$e" ] && echo "LINGER-HAVE ${e##*/}"; done',
    // Missing files make the sum differ: that is what "install needed" means.
    `h=$(cat ${files} 2>/dev/null | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-64)`,
    'echo "LINGER-SUM $h"',
    'echo LINGER-END',
  ].join('; ');
  assertPortableScript(s);
  return s;
}

export function installScript(b: Pick<AgentBundle, 'folder' | 'sha256' | 'sizes'>): string {
  checkFolder(b.folder);
  if (!/^[0-9a-f]{64}$/.test(b.sha256) || b.sizes.length !== BUNDLE_FILES.length) throw new Error('internal: bad bundle description');
  const steps: string[] = [];
  let off = 0;
  BUNDLE_FILES.forEach((name, i) => {
    const size = b.sizes[i]!;
    // The pack is a regular file: head may read past its count, nothing is lost.
    steps.push(`tail -c +${off + 1} "$t" | head -c ${size} > "$t.${i}"`, `mv -f "$t.${i}" "$f/${name}"`);
    off += size;
  });
  const s = [
    'umask 077', DATA, `f="$d/${b.folder}"`,
    'mkdir -p "$f" || exit 3',
    't=$(mktemp "$f/.up.XXXXXXXX") || exit 3',
    'cat > "$t" || { rm -f "$t"; exit 3; }',
    'h=$({ sha256sum 2>/dev/null || shasum -a 256; } < "$t" | cut -c1-64)',
    `if [ "$h" = ${b.sha256} ]; then :; else rm -f "$t"; echo "LINGER-BADSUM $h"; exit 4; fi`,
    ...steps.map((x) => `${x} || { rm -f "$t" "$t".*; exit 3; }`),
    'rm -f "$t"',
    'echo LINGER-INSTALLED',
  ].join('; ');
  assertPortableScript(s);
  return s;
}

/** Marker printed right before the exec: whatever a login script printed before it is skipped. */
export const RUN_MARKER = 'LINGER-RUN';

export function runScript(b: Pick<AgentBundle, 'folder'>): string {
  checkFolder(b.folder);
  const s = [
    DATA, `f="$d/${b.folder}"`, FIND_NODE_RUN,
    '[ -n "$n" ] || { echo LINGER-NONODE; exit 5; }',
    `echo ${RUN_MARKER}`,
    'exec "$n" "$f/server.js" --stdio',
  ].join('; ');
  assertPortableScript(s);
  return s;
}

export interface ProbeResult {
  /** Absolute path of the Node found, or null. */
  node: string | null;
  /** Agent folders present (`<version>-<sha16>`). */
  have: string[];
  /** Checksum of our folder's files as found ('' when absent). */
  sum: string;
}

/** Reads the probe's lines; anything else on stdout (a chatty login script) is ignored. */
export function parseProbe(stdout: string): ProbeResult | null {
  const r: ProbeResult = { node: null, have: [], sum: '' };
  let ended = false;
  for (const line of stdout.split('\n')) {
    const m = /^LINGER-(NODE|HAVE|SUM|END) ?(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.trim();
    if (m[1] === 'NODE') r.node = v.startsWith('/') ? v : null;
    else if (m[1] === 'HAVE') { if (/^[0-9A-Za-z.+-]+$/.test(v)) r.have.push(v); }
    else if (m[1] === 'SUM') r.sum = /^[0-9a-f]{64}$/.test(v) ? v : '';
    else ended = true;
  }
  return ended ? r : null;
}

/** The newest agent version among the folders that is newer than ours, or null. */
export function newerAgent(have: string[], ours: string): string | null {
  let newest: string | null = null;
  for (const f of have) {
    const v = /^(\d+(?:\.\d+)*(?:-[0-9A-Za-z.]+)?)-[0-9a-f]{16}$/.exec(f)?.[1];
    if (v && compareVersions(v, ours) > 0 && (!newest || compareVersions(v, newest) > 0)) newest = v;
  }
  return newest;
}

export const NO_NODE_REASON = 'no Node.js on that host: install Node.js 20 or newer there (on PATH), or open the host once with VS Code Remote-SSH (Linger then uses its Node)';
