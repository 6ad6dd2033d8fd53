#!/usr/bin/env node
// Runs the extension's mocha suites inside a real VS Code and prints "N passed, N failed".
//
//   node test/vscode/launch.mjs            (test/run.mjs runs it as the `vscode` group)
//
// Runner choice: code-server 4.139.1 (from scripts/code-server.mjs) in headless Chromium driven
// by playwright-core when offline or in CI — the verified recipe in the team notes (smoke-test
// driver + `payload` with extensionDevelopmentPath/extensionTestsPath, results through
// window.codeAutomationLog/codeAutomationExit). Where VS Code can be downloaded (and not CI), or
// with LINGER_VSCODE_RUNNER=electron, @vscode/test-electron loads the very same test index.
// LINGER_VSCODE_RUNNER=code-server forces the code-server runner. --keep keeps the temp root;
// LINGER_TEST_GREP='many hosts' runs only the tests whose title matches;
// LINGER_TEST_AGENT=FILE tests against another agent bundle than dist/server.js.
//
// Isolation: a temp root under /tmp (short paths: unix socket limit) with the staged extension
// (exactly the files the .vsix ships), the compiled tests, a workspace, a private LINGER_HOME
// and TMUX_TMPDIR, code-server's own dirs, and a test HOME with empty startup files and
// SHELL=/bin/sh for code-server, the extension host, the agent and every job (never the
// machine's login shell: jobs run `$SHELL -lc`). Ports 8100–8149. Everything started here is
// stopped at the end, also on failure.
import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, watch, writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import hermetic from '../support/hermetic-home.cjs';

const repo = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const PORTS = [8100, 8149];
const PHASE_TIMEOUT_MS = Number(process.env.LINGER_VSCODE_TIMEOUT_MS || 300_000);
const keep = process.argv.includes('--keep');
const log = (...a) => console.log(`[vscode-tests] ${format(...a)}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function mkdirPrivate(p) { mkdirSync(p, { recursive: true, mode: 0o700 }); return p; }

// ---- build & stage -----------------------------------------------------------------------------

function ensureBundles() {
  const need = ['dist/extension.js', 'dist/server.js'];
  if (!process.env.LINGER_SKIP_BUILD || need.some((f) => !existsSync(join(repo, f)))) {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed (node esbuild.mjs)');
  }
}

/** The files the .vsix ships (see .vscodeignore), copied so concurrent rebuilds cannot race us. */
function stageExtension(dest) {
  mkdirPrivate(dest);
  for (const f of ['package.json', 'language-configuration.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(repo, f))) cpSync(join(repo, f), join(dest, f));
  }
  mkdirPrivate(join(dest, 'dist'));
  for (const f of readdirSync(join(repo, 'dist'))) {
    if (/\.(js|sh)$/.test(f)) cpSync(join(repo, 'dist', f), join(dest, 'dist', f));
  }
  for (const d of ['syntaxes', 'media']) if (existsSync(join(repo, d))) cpSync(join(repo, d), join(dest, d), { recursive: true });
  // Development aid: test the extension against another agent bundle while dist/server.js is in flux.
  if (process.env.LINGER_TEST_AGENT) cpSync(process.env.LINGER_TEST_AGENT, join(dest, 'dist/server.js'));
}

async function buildTests(dest) {
  const esbuild = await import('esbuild');
  const dir = join(repo, 'test/vscode');
  const entryPoints = readdirSync(dir).filter((f) => f.endsWith('.ts') && (f.startsWith('index') || f.endsWith('.test.ts'))).map((f) => join(dir, f));
  await esbuild.build({
    entryPoints, outdir: dest, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning',
  });
  // mocha is loaded from the repo's node_modules (the tests dir only, not the staged extension).
  symlinkSync(join(repo, 'node_modules'), join(dest, '..', 'node_modules'));
}

function writeWorkspace(ws) {
  mkdirPrivate(join(ws, '.vscode'));
  writeFileSync(join(ws, '.vscode/tasks.json'), JSON.stringify({
    version: '2.0.0',
    tasks: [
      { label: 'vt-echo-task', type: 'shell', command: 'echo task-ran-in-$PWD' },
      { label: 'vt-task-type', type: 'linger', command: 'sh', args: ['-c', 'echo from-task; exit 4'], name: 'vt-task-type' },
      // hosts.test.ts: the same task type on another host (vt-a exists only while that suite runs).
      { label: 'vt-task-host', type: 'linger', command: 'sh', args: ['-c', 'echo from-host-task; exit 6'], name: 'vt-task-host', host: 'vt-a' },
    ],
  }, null, 2));
  writeFileSync(join(ws, 'sshd_config'), 'Port 22\nClientAliveInterval 60\n');
}

// ---- waiting on the reattach hand-off ------------------------------------------------------------

/** Resolves once `file` exists (inotify on its directory, which must exist), false after ms. */
function fileAppears(file, ms) {
  const dir = join(file, '..');
  return new Promise((resolve) => {
    let w = null;
    let timer = null;
    const done = (v) => { w?.close(); clearTimeout(timer); resolve(v); };
    const check = () => { if (existsSync(file)) done(true); };
    try { w = watch(dir, check); w.on('error', () => done(existsSync(file))); } catch { /* no such dir: only the final check */ }
    timer = setTimeout(() => done(existsSync(file)), ms);
    check(); // after the watch is in place: a file written before it is seen here
  });
}

/** Phase 2 needs the short job of phase 1 to have ended while no window was open: its exit record. */
async function shortJobEnded(t) {
  let handoff;
  try { handoff = JSON.parse(readFileSync(t.env.LINGER_TEST_HANDOFF, 'utf8')); } catch { return; } // phase 1 failed: phase 2 skips
  const ok = await fileAppears(join(t.home, 'jobs', handoff.short, 'exit'), 60_000);
  if (!ok) log(`the short job ${handoff.short} did not end within 60 s`);
  // The same for the one on another host (its exit record is in that host's state dir).
  if (handoff.remoteShortExit && !(await fileAppears(handoff.remoteShortExit, 60_000))) log(`${handoff.remoteShortExit} did not appear within 60 s`);
}

// ---- other hosts -------------------------------------------------------------------------------

/**
 * Private sshds on 127.0.0.2/.3/.4 for the "many hosts" tests (scripts/demo-hosts.mjs), up for
 * the whole run: the reattach phases need a host that outlives the first window. Each host has
 * its own state dir, and a test HOME and SHELL like this host's jobs. vt-down starts stopped.
 */
async function startHosts(t) {
  const { demoHostsSkipReason, startDemoHosts } = await import(join(repo, 'scripts/demo-hosts.mjs'));
  const why = demoHostsSkipReason();
  if (why) { log(`no other hosts: ${why}`); return {}; }
  const dir = join(t.root, 'hosts');
  const rig = await startDemoHosts({
    dir,
    hosts: [
      { name: 'vt-a', address: '127.0.0.2', port: 42410 },
      { name: 'vt-b', address: '127.0.0.3', port: 42420 },
      { name: 'vt-down', address: '127.0.0.4', port: 42430 },
    ],
    env: (_h, home) => ({ HOME: hermetic.makeTestHome(home), SHELL: '/bin/sh' }),
  });
  await rig.stopHost('vt-down');
  t.cleanups.push(() => rig.stop());
  return { LINGER_TEST_RIG: dir };
}

// ---- processes we started ------------------------------------------------------------------------

/** Every process carrying our private LINGER_HOME in its environment (jobs, tmux/screen servers). */
function processesWithHome(home) {
  const needle = Buffer.from(`LINGER_HOME=${home}\0`);
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try { if (readFileSync(`/proc/${name}/environ`).includes(needle)) out.push(Number(name)); } catch { /* gone or not ours */ }
  }
  return out;
}

async function portFree(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  });
}

async function pickPort() {
  const first = PORTS[0] + (process.pid % 10) * 5; // spread parallel runs a little
  for (let i = 0; i <= PORTS[1] - PORTS[0]; i++) {
    const p = PORTS[0] + ((first - PORTS[0] + i) % (PORTS[1] - PORTS[0] + 1));
    if (await portFree(p)) return p;
  }
  throw new Error(`no free port in ${PORTS[0]}–${PORTS[1]}`);
}

// ---- result counting -----------------------------------------------------------------------------

const RESULT = /LINGER_MOCHA_RESULT (\{.*\})/;
const NOISE = /socket|connection token|grace-time|builtin extensions cache|Service Worker|AgentHost|AccountPolicy|ENOTFOUND|^Canceled|gallery|marketplace/i;

function countFrom(lines) {
  for (const l of lines) {
    const m = RESULT.exec(l);
    if (m) return JSON.parse(m[1]);
  }
  return null;
}

// ---- runner: code-server + chromium --------------------------------------------------------------

async function runWithCodeServer(t) {
  const { startCodeServer } = await import(join(repo, 'scripts/code-server.mjs'));
  const { chromium } = await import('playwright-core');
  const port = await pickPort();
  log(`code-server on 127.0.0.1:${port}, root ${t.root}`);
  const server = await startCodeServer({
    port, root: t.csRoot, folder: t.ws, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'], env: t.env,
  });
  t.cleanups.push(() => server.stop());
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  t.cleanups.push(() => browser.close());
  // One context for both phases: the window's storage (workspaceState) lives in the browser.
  const context = await browser.newContext();
  let phase = null;
  await context.exposeFunction('codeAutomationLog', (type, args) => {
    const s = format(...(Array.isArray(args) ? args : [args]));
    phase?.lines.push(s);
    if (!NOISE.test(s) && !RESULT.test(s)) console.log(s.replace(/\n$/, ''));
  });
  await context.exposeFunction('codeAutomationExit', (code) => phase?.done(code));
  const auth = `127.0.0.1:${port}`;

  async function runPhase(name, index) {
    let done;
    const exited = new Promise((r) => { done = r; });
    phase = { lines: [], done };
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${auth}${t.ext}`],
      ['extensionTestsPath', `vscode-remote://${auth}${join(t.tests, index)}`],
      ['skipWelcome', 'true'],
    ];
    const page = await context.newPage();
    page.on('pageerror', (e) => { if (!NOISE.test(String(e))) log(`page error: ${e}`); });
    const t0 = Date.now();
    await page.goto(`http://${auth}/?folder=${encodeURIComponent(t.ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), PHASE_TIMEOUT_MS); })]);
    clearTimeout(timer);
    log(`phase ${name}: exit ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    const counts = countFrom(phase.lines);
    // Closing the page ends that window's extension host (and with it the attach terminals).
    await page.close({ runBeforeUnload: true }).catch(() => undefined);
    return { code, counts };
  }

  const r1 = await runPhase('main', 'index.js');
  // The short job of the reattach suite ends while no window is open.
  await shortJobEnded(t);
  const r2 = await runPhase('reattach', 'index-reattach.js');
  return [r1, r2];
}

// ---- runner: @vscode/test-electron ---------------------------------------------------------------

async function runWithElectron(t) {
  const { runTests } = await import('@vscode/test-electron');
  const ud = mkdirPrivate(join(t.root, 'electron-ud'));
  const results = [];
  for (const index of ['index.js', 'index-reattach.js']) {
    const lines = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk, ...rest) => { lines.push(...String(chunk).split('\n')); return orig(chunk, ...rest); };
    let code = 0;
    try {
      await runTests({
        extensionDevelopmentPath: t.ext, extensionTestsPath: join(t.tests, index),
        launchArgs: [t.ws, '--user-data-dir', ud, '--disable-extensions', '--disable-workspace-trust'],
        extensionTestsEnv: t.env,
      });
    } catch (e) { code = 1; log(`test-electron: ${e.message}`); } finally { process.stdout.write = orig; }
    results.push({ code, counts: countFrom(lines) });
    if (index === 'index.js') await shortJobEnded(t);
  }
  return results;
}

async function chooseRunner() {
  const forced = process.env.LINGER_VSCODE_RUNNER;
  if (forced === 'electron' || forced === 'code-server') return forced;
  if (process.env.CI) return 'code-server';
  try {
    await Promise.race([lookup('update.code.visualstudio.com'), sleep(2000).then(() => { throw new Error('dns timeout'); })]);
    return 'electron';
  } catch {
    return 'code-server';
  }
}

// ---- main --------------------------------------------------------------------------------------

const t = { cleanups: [] };
let passed = 0; let failed = 0; let skipped = 0;
try {
  ensureBundles();
  t.root = mkdtempSync(join(tmpdir(), 'lvs-'));
  t.ext = join(t.root, 'ext');
  t.tests = join(t.root, 't', 'tests');
  t.ws = mkdirPrivate(join(t.root, 'ws'));
  t.csRoot = mkdirPrivate(join(t.root, 'cs'));
  t.home = mkdirPrivate(join(t.root, 'home'));
  mkdirPrivate(join(t.root, 't'));
  stageExtension(t.ext);
  await buildTests(t.tests);
  writeWorkspace(t.ws);
  t.env = {
    ...hermetic.hermeticEnv(hermetic.makeTestHome(join(t.root, 'user'))),
    LINGER_HOME: t.home,
    TMUX_TMPDIR: mkdirPrivate(join(t.root, 'tmux')),
    SCREENDIR: mkdirPrivate(join(t.root, 'screen')),
    LINGER_TEST_HANDOFF: join(t.root, 'handoff.json'),
    ...(process.env.LINGER_TEST_GREP ? { LINGER_TEST_GREP: process.env.LINGER_TEST_GREP } : {}),
  };
  Object.assign(t.env, await startHosts(t));
  const runner = await chooseRunner();
  log(`runner: ${runner}`);
  const results = runner === 'electron' ? await runWithElectron(t) : await runWithCodeServer(t);
  for (const r of results) {
    if (r.counts) { passed += r.counts.passed; failed += r.counts.failed; skipped += r.counts.pending ?? 0; }
    if (!r.counts || (r.code !== 0 && !r.counts.failed)) failed += 1; // no result line / crashed / timed out
  }
} catch (e) {
  failed += 1;
  console.error(`[vscode-tests] ${e.stack || e}`);
} finally {
  for (const c of t.cleanups.reverse()) { try { await c(); } catch (e) { log(`cleanup: ${e.message}`); } }
  if (t.home) {
    // This host's jobs, and the other hosts' (each has its own state dir under the rig).
    const homes = [t.home, ...['vt-a', 'vt-b', 'vt-down'].map((h) => join(t.root, 'hosts', h, 'home', 'state'))];
    const left = homes.flatMap(processesWithHome);
    if (left.length) log(`stopping ${left.length} leftover job process(es): ${left.join(' ')}`);
    for (const p of left) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  }
  if (t.root && !keep && !failed) rmSync(t.root, { recursive: true, force: true });
  else if (t.root) log(`kept ${t.root} for inspection`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
