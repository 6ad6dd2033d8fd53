#!/usr/bin/env node
// `npm start`: the whole product in a real VS Code, on this machine, offline.
//   build → package dist/linger.vsix → code-server (cached in .cache/) → install the VSIX into a
//   persistent profile (.cache/demo-profile) → demo workspace (.cache/demo-workspace) → serve it
//   on http://127.0.0.1:PORT/ and print the URL.
//
//   npm start                       port 8080 (or $PORT)
//   npm start -- --port 8090        another port
//   npm start -- --no-open          never try to open a browser
//   npm start -- --reset-demo       re-copy demo/ over .cache/demo-workspace
//   npm start -- --no-hosts         no demo hosts (only this host)
//
// Demo hosts: two private sshds on 127.0.0.2 and 127.0.0.3 (scripts/demo-hosts.mjs, state in
// .cache/demo-hosts), each with a job, listed in Remote Sessions next to "this host" through a
// generated ssh_config (linger.sshConfigFile in the demo profile). They stop with the demo.
//
// Security: code-server runs with `--auth none`, so it is bound to 127.0.0.1 only; anyone who can
// open a TCP connection to that port on this machine gets a shell as you. From another machine use
// an SSH tunnel (ssh -L 8080:127.0.0.1:8080 host), never a wider bind address.
//
// Ctrl-C stops code-server (SIGTERM to its process tree). Linger jobs keep running: they live in
// tmux/screen/setsid sessions outside that tree; the next `npm start` shows them again.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, codeServerInstalled, ensureCodeServer, installVsix, startCodeServer } from './code-server.mjs';
import { demoHostsSkipReason, seedDemoJobs, startDemoHosts } from './demo-hosts.mjs';

const repo = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
process.chdir(repo);

function usage(code) {
  console.error('usage: npm start [-- --port N] [--no-open] [--reset-demo] [--no-hosts]');
  process.exit(code);
}

const argv = process.argv.slice(2);
let port = Number(process.env.PORT) || 8080;
let open = true;
let resetDemo = false;
let withHosts = true;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--port') port = Number(argv[++i]);
  else if (a.startsWith('--port=')) port = Number(a.slice(7));
  else if (a === '--no-open') open = false;
  else if (a === '--reset-demo') resetDemo = true;
  else if (a === '--no-hosts') withHosts = false;
  else if (a === '-h' || a === '--help') usage(0);
  else { console.error(`unknown argument: ${a}`); usage(2); }
}
if (!Number.isInteger(port) || port < 1 || port > 65535) { console.error('--port needs a TCP port number'); usage(2); }

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const step = (msg) => console.log(`[start ${secs()}] ${msg}`);

function npmRun(script) {
  const r = spawnSync('npm', ['run', '-s', script], { stdio: 'inherit' });
  if (r.status !== 0) { console.error(`npm run ${script} failed (exit ${r.status ?? r.signal})`); process.exit(1); }
}

const vsix = join(repo, 'dist/linger.vsix');
if (process.env.LINGER_SKIP_BUILD) {
  step('LINGER_SKIP_BUILD set: using dist/ as it is');
} else if (existsSync(join(repo, 'scripts/package.mjs'))) {
  step('building and packaging the extension (npm run package → dist/linger.vsix)');
  npmRun('package');
} else {
  console.warn('[start] WARNING: scripts/package.mjs does not exist yet; building without packaging.');
  step('building (npm run build)');
  npmRun('build');
}

if (!codeServerInstalled()) step('first run: installing Node 24 + code-server 4.139.1 from npm into .cache/ (about 2 min, once)');
const cs = await ensureCodeServer({ log: (m) => console.log(m) });
step(`code-server ${cs.version} on Node ${cs.nodeVersion ?? '24'} ready`);

const profile = join(cacheDir, 'demo-profile');
mkdirSync(profile, { recursive: true, mode: 0o700 });
if (existsSync(vsix)) {
  // Reinstalling takes ~1 s; skip it when this exact VSIX is already installed.
  const sha = createHash('sha256').update(readFileSync(vsix)).digest('hex');
  const stamp = join(profile, 'installed-vsix.sha256');
  const have = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
  if (have !== sha) {
    step('installing dist/linger.vsix into .cache/demo-profile');
    await installVsix({ root: profile, vsix });
    writeFileSync(stamp, sha + '\n', { mode: 0o600 });
  } else step('extension already installed (same VSIX)');
} else {
  console.warn('[start] WARNING: dist/linger.vsix is missing: VS Code will start WITHOUT the Linger extension.');
}

// The demo is copied, not opened in place, so quick fixes and edits never dirty the git tree.
// Files the user already has in the copy are kept (unless --reset-demo); new demo files are added.
const workspace = join(cacheDir, 'demo-workspace');
function syncDemo(src, dst) {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    const s = join(src, name), d = join(dst, name);
    if (statSync(s).isDirectory()) syncDemo(s, d);
    else if (resetDemo || !existsSync(d)) { copyFileSync(s, d); }
  }
}
syncDemo(join(repo, 'demo'), workspace);
step(`demo workspace: ${workspace}`);

// Jobs started from this VS Code must be the ones `linger ls` shows in your shell. code-server
// gets private XDG dirs, so hand the agent the state dir your shell would use.
const lingerHome = process.env.LINGER_HOME
  || join(process.env.XDG_STATE_HOME || join(homedir(), '.local/state'), 'linger');

let demoHosts = null;
const whyNoHosts = withHosts ? demoHostsSkipReason() : 'not asked for (--no-hosts)';
if (whyNoHosts) {
  step(`no demo hosts: ${whyNoHosts}`);
} else {
  try {
    demoHosts = await startDemoHosts({ dir: join(cacheDir, 'demo-hosts'), log: (m) => console.log(m) });
    seedDemoJobs({ hosts: demoHosts.hosts, workspace, linger: join(repo, 'dist/linger.js'), log: (m) => console.log(m) });
    step(`demo hosts up: ${demoHosts.hosts.map((h) => `${h.name} (${h.address}:${h.port})`).join(', ')}; ssh config ${demoHosts.sshConfig}`);
  } catch (e) {
    console.warn(`[start] WARNING: the demo hosts did not start (${e.message}); continuing with this host only.`);
  }
}

/**
 * Settings the demo needs in its profile, also in a profile made by an earlier `npm start` (the
 * rest of the user's settings there are kept): the README opens instead of an empty editor, no
 * prompt about the git repository around .cache/, and Linger reads the demo hosts' ssh_config.
 */
function demoSettings() {
  const file = join(profile, 'ud/User/settings.json');
  const want = {
    'workbench.startupEditor': 'readme',
    'git.openRepositoryInParentFolders': 'never',
    'git.autoRepositoryDetection': false,
  };
  machineSettings();
  // A fresh profile: startCodeServer writes its defaults plus these.
  if (!existsSync(file)) return want;
  let have;
  try { have = JSON.parse(readFileSync(file, 'utf8')); } catch {
    console.warn(`[start] WARNING: ${file} is not plain JSON (comments?); not changing it. Wanted: ${JSON.stringify(want)}`);
    return {};
  }
  const next = { ...have, ...want };
  if (JSON.stringify(next) === JSON.stringify(have)) return {};
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  return {};
}
/**
 * linger.sshConfigFile and linger.hosts are machine-scoped: VS Code reads them from the server's "Machine" settings,
 * not from the user's (code-server's window is a remote one).
 */
function machineSettings() {
  const dir = join(profile, 'ud/Machine');
  const file = join(dir, 'settings.json');
  let have = {};
  if (existsSync(file)) {
    try { have = JSON.parse(readFileSync(file, 'utf8')); } catch {
      console.warn(`[start] WARNING: ${file} is not plain JSON; not changing it.`);
      return;
    }
  }
  const next = { ...have };
  // Named in linger.hosts too: hosts listed for Linger by name are connected when the window opens.
  if (demoHosts) {
    next['linger.sshConfigFile'] = demoHosts.sshConfig;
    next['linger.hosts'] = demoHosts.hosts.map((h) => h.name);
  } else {
    delete next['linger.sshConfigFile'];
    delete next['linger.hosts'];
  }
  if (JSON.stringify(next) === JSON.stringify(have)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
const freshSettings = demoSettings();

let server;
try {
  server = await startCodeServer({
    port, root: profile, folder: workspace, settings: freshSettings,
    // The CLI's variable too: an agent started before the setting is read uses the same file.
    env: { LINGER_HOME: lingerHome, ...(demoHosts ? { LINGER_SSH_CONFIG: demoHosts.sshConfig } : {}) },
    log: (m) => console.log(m),
  });
} catch (e) {
  console.error(`[start] code-server did not start: ${e.message}`);
  if (/already in use/.test(e.message)) console.error(`[start] pick another port: npm start -- --port ${port + 1}`);
  await demoHosts?.stop();
  process.exit(1);
}

step('code-server is up');
console.log(`
  Linger demo in VS Code (code-server ${cs.version}):

      ${server.url}

  Listening on 127.0.0.1:${port} only, no password (--auth none). Remote machine? Tunnel it:
      ssh -L ${port}:127.0.0.1:${port} <this host>
  Linger jobs: LINGER_HOME=${lingerHome}   code-server log: ${server.logPath}${demoHosts ? `
  Demo hosts: ${demoHosts.hosts.map((h) => h.name).join(', ')} — try: node dist/linger.js --ssh-config ${demoHosts.sshConfig} ls --hosts all` : ''}
  Ctrl-C stops VS Code and the demo hosts; detached jobs keep running.
`);

if (open && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.env.CI) {
  // Best effort only: no browser here is fine, the URL is printed above.
  const opener = spawn('xdg-open', [server.url], { stdio: 'ignore', detached: true });
  opener.on('error', () => {});
  opener.unref();
}

let stopping = false;
async function shutdown(sig) {
  if (stopping) return;
  stopping = true;
  console.log(`\n[start] ${sig}: stopping code-server…`);
  await server.stop();
  await demoHosts?.stop();
  console.log(`[start] code-server${demoHosts ? ' and the demo hosts' : ''} stopped. Linger jobs are still running (see \`node dist/linger.js ls\`).`);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

const { code, signal } = await server.exited;
if (!stopping) {
  await demoHosts?.stop();
  console.error(`[start] code-server exited by itself (${signal || `exit ${code}`}); log: ${server.logPath}`);
  process.exit(code || 1);
}
