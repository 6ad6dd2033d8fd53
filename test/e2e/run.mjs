#!/usr/bin/env node
// Browser end-to-end suite: the PACKAGED extension (dist/linger.vsix, installed like a user
// would, not loaded from the source tree) in a real code-server, driven in headless Chromium.
//
//   node test/e2e/run.mjs                  all scenarios (a b c e f d g, see scenarios.mjs)
//   node test/e2e/run.mjs --only a,d       a subset (b, c, e need a's job)
//   node test/e2e/run.mjs --screenshots    also copy the chosen screenshots to docs/images/
//   node test/e2e/run.mjs --keep           leave the temp dir (code-server profile, LINGER_HOME)
//
// Screenshots: .artifacts/e2e/<scenario>/; on failure also the code-server log and VS Code's
// logs there. Prints "N passed, N failed" last; exit 1 on any failure.
// Uses ports 8150-8199 on 127.0.0.1; jobs run with a private LINGER_HOME in a temp dir, and with a
// test HOME (empty startup files) and SHELL=/bin/sh, never the machine's login shell.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hermetic from '../support/hermetic-home.cjs';
import { ensureCodeServer, installVsix, startCodeServer } from '../../scripts/code-server.mjs';
import { Shots, freePort, launchProfile, openWorkbench, processes } from './lib.mjs';
import { scenarios } from './scenarios.mjs';

const repo = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
process.chdir(repo);
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : null;
const SCENARIO_TIMEOUT_MS = 150_000;

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (m) => console.log(`[e2e ${secs()}] ${m}`);

function newestMtime(files) {
  return Math.max(0, ...files.filter(existsSync).map((f) => statSync(f).mtimeMs));
}

/** The artifact under test: dist/linger.vsix, re-packaged when missing or older than the build. */
function ensureVsix() {
  const vsix = join(repo, 'dist/linger.vsix');
  const built = newestMtime(['dist/extension.js', 'dist/server.js', 'dist/linger.js', 'package.json']);
  if (existsSync(vsix) && statSync(vsix).mtimeMs >= built && !process.env.LINGER_E2E_REPACKAGE) return vsix;
  if (!existsSync('scripts/package.mjs')) throw new Error('dist/linger.vsix is missing and scripts/package.mjs does not exist');
  say('packaging the extension (npm run package)');
  const r = spawnSync('npm', ['run', '-s', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed (exit ${r.status})`);
  return vsix;
}

const artifacts = join(repo, '.artifacts/e2e');
let server = null;
let context = null;
let tmp = null;
const results = [];

async function main() {
  await ensureCodeServer({ log: (m) => say(m) });
  const vsix = ensureVsix();
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  tmp = mkdtempSync(join(tmpdir(), 'le2e-')); // short: unix socket paths live under it
  const root = join(tmp, 'cs');
  const lingerHome = join(tmp, 'lh');
  const ws = join(tmp, 'ws');
  mkdirSync(lingerHome, { recursive: true, mode: 0o700 });
  const userEnv = hermetic.hermeticEnv(hermetic.makeTestHome(join(tmp, 'user')));
  cpSync(join(repo, 'demo'), ws, { recursive: true });
  say(`installing ${vsix} into ${root}`);
  await installVsix({ root, vsix, env: userEnv });

  const port = await freePort(8150, 8199);
  const marker = `LE2E${process.pid}`;
  const start = () => startCodeServer({
    port, root, folder: ws,
    // A test HOME and SHELL: code-server, the agent and the jobs never run the machine's profile.
    env: { ...userEnv, LINGER_HOME: lingerHome, LINGER_E2E_MARKER: marker },
    settings: {
      // Always show the terminal tab list: the scenarios count the job's terminals there.
      'terminal.integrated.tabs.hideCondition': 'never',
      'terminal.integrated.tabs.location': 'right',
      'terminal.integrated.confirmOnKill': 'never',
      'window.confirmBeforeClose': 'never',
      // Other processes on this machine open ports; their "forwarded port" toasts cover the UI.
      'remote.autoForwardPorts': false,
    },
  });
  server = await start();
  say(`code-server on ${server.baseUrl} (pid ${server.pid}); LINGER_HOME=${lingerHome}`);
  const profileDir = join(tmp, 'browser');
  context = await launchProfile(profileDir);
  const tw = Date.now();
  const page = await openWorkbench(context, server.url);
  say(`workbench with the Linger view loaded in ${((Date.now() - tw) / 1000).toFixed(1)}s`);

  const t = {
    page, server, marker, state: {}, shots: null,
    /** Run after the scenario, pass or fail (rigs it brought up). */
    cleanups: [],
    /** Closes the browser and opens it again on the same profile (the user comes back). */
    reopenBrowser: async () => {
      await context.close();
      context = await launchProfile(profileDir);
      return context;
    },
    log: (m) => say(`  ${m}`),
    restartServer: async () => { server = await start(); return server; },
  };

  for (const sc of scenarios) {
    if (only && !only.includes(sc.id)) continue;
    const dir = join(artifacts, sc.id);
    t.shots = new Shots(dir);
    const ts = Date.now();
    say(`scenario ${sc.id}: ${sc.title}`);
    const skip = sc.skip ? await sc.skip() : null;
    if (skip) {
      say(`SKIP ${sc.id}: ${skip}`);
      results.push({ id: sc.id, ok: true, skipped: skip, ms: 0, shots: t.shots });
      continue;
    }
    let timer;
    try {
      await Promise.race([
        sc.run(t),
        new Promise((_, rej) => { const ms = sc.timeoutMs ?? SCENARIO_TIMEOUT_MS; timer = setTimeout(() => rej(new Error(`scenario timed out after ${ms / 1000}s`)), ms); }),
      ]);
      results.push({ id: sc.id, ok: true, ms: Date.now() - ts, shots: t.shots });
      say(`PASS ${sc.id} (${((Date.now() - ts) / 1000).toFixed(1)}s)`);
    } catch (e) {
      results.push({ id: sc.id, ok: false, ms: Date.now() - ts, error: e });
      say(`FAIL ${sc.id}: ${e.stack || e.message}`);
      await t.shots.take(t.page, 'FAILURE');
      saveLogs(dir, root);
    } finally {
      clearTimeout(timer);
      for (const c of t.cleanups.splice(0).reverse()) { try { await c(); } catch (e) { say(`cleanup: ${e.message}`); } }
    }
    server = t.server;
  }
}

function saveLogs(dir, root) {
  try {
    if (server?.logPath && existsSync(server.logPath)) copyFileSync(server.logPath, join(dir, 'code-server.log'));
    const logs = join(root, 'ud/logs');
    if (existsSync(logs)) cpSync(logs, join(dir, 'vscode-logs'), { recursive: true });
  } catch (e) { say(`could not save logs: ${e.message}`); }
}

/** Every process this run started outside code-server's tree: jobs (marker, temp dir) and their backends. */
function killLeftovers() {
  if (!tmp) return;
  const mine = processes().filter((p) => p.pid !== process.pid && (p.cmd.includes(tmp) || p.cmd.includes(`LE2E${process.pid}`)));
  const groups = new Set(mine.map((p) => p.pgid));
  for (const g of groups) { try { process.kill(-g, 'SIGKILL'); } catch { /* gone */ } }
  for (const p of mine) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  if (mine.length) say(`cleaned up ${mine.length} leftover process(es)`);
}

/** The screenshots a scenario marked for the docs, from a passing scenario only. */
function publishScreenshots() {
  const out = join(repo, 'docs/images');
  mkdirSync(out, { recursive: true });
  let n = 0;
  for (const r of results) {
    if (!r.ok) continue;
    for (const [file, docName] of r.shots.docs) { copyFileSync(file, join(out, docName)); n++; }
  }
  say(`copied ${n} screenshot(s) to docs/images/`);
}

let fatal = null;
let interrupted = false;
process.on('SIGINT', () => { interrupted = true; fatal = new Error('interrupted'); void finish(); });
try { await main(); } catch (e) { fatal = e; }

let finished = false;
async function finish() {
  if (finished) return;
  finished = true;
  if (fatal) say(`ERROR: ${fatal.stack || fatal.message}`);
  try { await context?.close(); } catch { /* already gone */ }
  try { await server?.stop(); } catch { /* already gone */ }
  killLeftovers();
  if (tmp && !flag('--keep')) rmSync(tmp, { recursive: true, force: true });
  else if (tmp) say(`kept ${tmp}`);
  if (!interrupted && flag('--screenshots') && results.length && results.every((r) => r.ok)) publishScreenshots();
  else if (flag('--screenshots')) say('not copying screenshots: the run was not green');
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (fatal ? 1 : 0);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'summary.json'), JSON.stringify({
    seconds: (Date.now() - t0) / 1000,
    results: results.map((r) => ({ id: r.id, ok: r.ok, skipped: r.skipped ?? null, seconds: r.ms / 1000, error: r.error?.message })),
    fatal: fatal?.message ?? null,
  }, null, 2) + '\n');
  say(`suite finished in ${secs()}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
await finish();
