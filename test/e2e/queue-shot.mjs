#!/usr/bin/env node
// docs/images/queue-progress.png: the Remote Sessions view with a running job showing its tqdm
// progress ("12% · ETA 4 min"), a job queued behind it in a group with a parallel limit of 1
// (its reason), and a dependent cancelled because the job it waited for failed; the failure's
// notification and the status bar's counts beside them. Real code-server + headless Chromium, as
// the e2e suite uses; real jobs submitted with the CLI the user has (`linger run --group/--after`).
//
//   npm run -s screenshots:queue        (= node test/e2e/queue-shot.mjs)
//
// Not part of `npm test`. Needs python3 with tqdm (Debian: python3-tqdm). Exit 0 and the PNG
// written, or exit 1 with the reason; nothing is left running either way.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import hermetic from '../support/hermetic-home.cjs';
import { ensureCodeServer, installVsix, startCodeServer } from '../../scripts/code-server.mjs';
import {
  ensureVsix, freePort, jobRow, launchProfile, lingerCli, notificationsText, openNotificationCenter, openWorkbench, removeRunDir, runShot, saveShot, showLingerView, until,
} from './lib.mjs';

const repo = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
process.chdir(repo);
const t0 = Date.now();
const say = (m) => console.log(`[queue-shot ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

/** The first python3 on PATH with tqdm (a pyenv shim may come before the system's). */
function python() {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(d, 'python3');
    if (existsSync(p) && spawnSync(p, ['-c', 'import tqdm'], { stdio: 'ignore' }).status === 0) return p;
  }
  throw new Error('no python3 with tqdm on PATH (Debian: apt-get install python3-tqdm)');
}

let server = null;
let context = null;
let tmp = null;
let page = null;
let cliEnv = null;
const ids = [];

/** The built CLI with the view's LINGER_HOME; argv, never a shell line. */
function linger(args) { return lingerCli(repo, cliEnv, join(tmp, 'ws'), args); }

function run(args) {
  const id = linger(['run', ...args]).trim();
  if (!/^[0-9a-z]{10}$/.test(id)) throw new Error(`no job id in linger run output: ${id}`);
  ids.push(id);
  return id;
}

const job = (id) => JSON.parse(linger(['ls', '--json'])).find((j) => j.id === id);

async function main() {
  if (!existsSync(join(repo, 'dist/linger.js'))) throw new Error('dist/linger.js missing: npm run build first');
  const py = python();
  await ensureCodeServer({ log: say });
  const vsix = ensureVsix(repo, say);

  tmp = mkdtempSync(join(tmpdir(), 'lqshot-')); // short: unix socket paths live under it
  const root = join(tmp, 'cs');
  const lingerHome = join(tmp, 'lh');
  const ws = join(tmp, 'ws');
  mkdirSync(lingerHome, { recursive: true, mode: 0o700 });
  cpSync(join(repo, 'demo'), ws, { recursive: true });
  const userEnv = hermetic.hermeticEnv(hermetic.makeTestHome(join(tmp, 'user')));
  cliEnv = { ...userEnv, LINGER_HOME: lingerHome };
  await installVsix({ root, vsix, env: userEnv });

  // A sweep on one GPU: one run at a time in group "gpu". The first trains with a tqdm bar, the
  // second waits for the slot.
  linger(['group', 'set', 'gpu', '--parallel', '1']);
  const tqdm = 'import time\nfrom tqdm import tqdm\nfor _ in tqdm(range(3000), desc="epoch 1", ncols=72):\n    time.sleep(0.1)\n';
  const train = run(['--group', 'gpu', '--name', 'train lr=3e-4', '--', py, '-c', tqdm]);
  run(['--group', 'gpu', '--name', 'train lr=1e-3', '--', py, '-c', tqdm]);
  await until('the first training to run', () => job(train)?.state === 'running', 30_000, 300);

  const port = await freePort(8150, 8199);
  server = await startCodeServer({
    port, root, folder: ws,
    env: { ...userEnv, LINGER_HOME: lingerHome },
    settings: { 'window.confirmBeforeClose': 'never', 'remote.autoForwardPorts': false },
  });
  say(`code-server on ${server.baseUrl}`);
  context = await launchProfile(join(tmp, 'browser'));
  page = await openWorkbench(context, server.url);
  await showLingerView(page);
  // The extension has its first list (a job ending before it would be reported differently).
  await until('the view to list the training', async () => /\d+% · ETA/.test(await jobRow(page, 'train lr=3e-4').first().innerText().catch(() => '')), 60_000, 300);

  // While the window is open: a data download that fails, and the report that waited for it.
  const fetch = run(['--name', 'fetch data', '--', 'sh', '-c', 'echo "GET https://data.example/2026-12.parquet"; sleep 2; echo "error: 503 Service Unavailable" >&2; exit 22']);
  run(['--after', fetch, '--name', 'report', '--', 'sh', '-c', 'echo building the report']);
  say(`jobs: ${linger(['ls']).trim().split('\n').join(' | ')}`);

  const rows = { train: jobRow(page, 'train lr=3e-4'), waiting: jobRow(page, 'train lr=1e-3'), fetch: jobRow(page, /^fetch data/), report: jobRow(page, /^report/) };
  let seen = '';
  const check = async () => {
    const t = await Promise.all(Object.values(rows).map((r) => r.first().innerText().catch(() => '')));
    seen = t.join(' | ');
    return /\d+% · ETA/.test(t[0]) && /queued \(waiting for a slot in gpu/.test(t[1]) && /exit 22/.test(t[2]) && /cancelled \(dependency/.test(t[3]);
  };
  await until('the view to show progress, the queued reason, the failure and the cancelled dependent', check, 60_000, 300)
    .catch((e) => { throw new Error(`${e.message}; rows: ${seen}`); });
  // The notifications (a toast does not stay up in a window without focus): the center lists them.
  await openNotificationCenter(page);
  await until('the failure notification', async () => /"fetch data" failed: exit 22/.test(await notificationsText(page)), 20_000, 300)
    .catch(async (e) => { throw new Error(`${e.message}; notifications: ${await notificationsText(page)}`); });
  // The view wide enough for the reasons (the default side bar cuts them off).
  const side = await page.locator('.part.sidebar').first().boundingBox();
  for (const sash of await page.locator('.monaco-sash.vertical').all()) {
    const box = await sash.boundingBox().catch(() => null);
    if (!side || !box || Math.abs(box.x + box.width / 2 - (side.x + side.width)) > 6) continue;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    break;
  }
  // A few percent in, so the bar reads as moving.
  await until('a few percent of progress', async () => /([3-9]|\d\d)% · ETA/.test(await rows.train.first().innerText()), 60_000, 500);
  // The training's log beside the view: the tqdm bar the row's percentage is read from.
  await rows.train.first().hover();
  const showLog = rows.train.first().locator('.actions .action-label[aria-label^="Show Log"]').first();
  await showLog.waitFor({ state: 'visible', timeout: 10_000 });
  await showLog.click();
  const editor = page.locator('.editor-group-container .monaco-editor .view-lines').first();
  await until('the training log to show its bar', async () => /epoch\s1:/.test(await editor.innerText().catch(() => '')), 30_000, 300);
  // Off the view and the sash (their hover highlights), onto the log.
  await editor.click({ position: { x: 2, y: 2 } });
  await page.mouse.move(1000, 250);
  await page.waitForTimeout(500);
  await saveShot(page, repo, 'queue-progress', say);
}

async function teardown() {
  for (const id of ids) { try { linger(['kill', id, '--grace', '0.5']); } catch { /* already gone, or no CLI env */ } }
  try { await context?.close(); } catch { /* gone */ }
  try { await server?.stop(); } catch { /* gone */ }
  if (tmp) removeRunDir(tmp, !!process.env.LINGER_SHOT_KEEP);
}

await runShot({ repo, name: 'queue-progress', say, main, teardown, page: () => page });
