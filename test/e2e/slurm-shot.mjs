#!/usr/bin/env node
// docs/images/slurm-jobs.png: the Remote Sessions view with Slurm jobs (one queued behind a job
// that holds every CPU, that one running on the node) beside a plain tmux job, in the real
// code-server + headless Chromium the e2e suite uses, against the real single-node Slurm rig.
//
//   npm run -s screenshots:slurm        (= node --import tsx test/e2e/slurm-shot.mjs)
//
// Not part of `npm test` nor of test/e2e/run.mjs: it needs root and the Slurm rig, which it holds
// through the rig user's lease exactly as the Slurm tests do (so it waits for them, never collides).
// Everything runs as root: code-server, the agent and the CLI share one private LINGER_HOME and
// SLURM_CONF, so the jobs the CLI submits are the ones the view lists (`squeue --me` is root's).
// Exit 0 and the PNG written, or exit 1 with the reason; nothing is left running either way.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hermetic from '../support/hermetic-home.cjs';
import { ensureCodeServer, installVsix, startCodeServer } from '../../scripts/code-server.mjs';
import {
  ensureVsix, freePort, jobRow, launchProfile, lingerCli, openWorkbench, removeRunDir, runShot, saveShot, showLingerView, until,
} from './lib.mjs';

// Through require (tsx's CommonJS hook): the rig module finds slurm-rig.sh by its __dirname, which
// tsx's ESM loader does not give a real path.
const { slurmRigUp, slurmSkipReason } = createRequire(import.meta.url)('../support/slurm-rig.ts');

const repo = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
process.chdir(repo);
const t0 = Date.now();
const say = (m) => console.log(`[slurm-shot ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

let rig = null;
let server = null;
let context = null;
let tmp = null;
let page = null;
let cliEnv = null;
const ids = [];

/** The built CLI as root with the view's LINGER_HOME and the rig's SLURM_CONF; argv, never a shell line. */
function linger(args) { return lingerCli(repo, cliEnv, join(tmp, 'ws'), args); }

function run(args) {
  const rec = JSON.parse(linger(['run', '--json', ...args]));
  const id = rec.record?.id ?? rec.id;
  if (!id) throw new Error(`no job id in linger run --json output`);
  ids.push(id);
  return id;
}

const job = (id) => JSON.parse(linger(['ls', '--json'])).find((j) => j.id === id);

// The wrapper keeps each Slurm job's tmux socket on the node in /tmp/linger-UID (slurm-N.sock).
const nodeSockets = `/tmp/linger-${process.getuid()}`;
const hadNodeSockets = existsSync(nodeSockets);

async function main() {
  const skip = slurmSkipReason();
  if (skip) throw new Error(`cannot bring up the Slurm rig: ${skip}`);
  if (!existsSync(join(repo, 'dist/linger.js'))) throw new Error('dist/linger.js missing: npm run build first');
  await ensureCodeServer({ log: say });
  const vsix = ensureVsix(repo, say);

  say('bringing up the Slurm rig (waits for the lslurm lease while the Slurm tests hold it)');
  rig = await slurmRigUp('none');
  say(`rig up: node ${rig.node}, SLURM_CONF=${rig.conf}`);

  tmp = mkdtempSync(join(tmpdir(), 'lshot-')); // short: unix socket paths live under it
  const root = join(tmp, 'cs');
  const lingerHome = join(tmp, 'lh');
  const ws = join(tmp, 'ws');
  mkdirSync(lingerHome, { recursive: true, mode: 0o700 });
  cpSync(join(repo, 'demo'), ws, { recursive: true });
  const userEnv = hermetic.hermeticEnv(hermetic.makeTestHome(join(tmp, 'user')));
  cliEnv = { ...userEnv, LINGER_HOME: lingerHome, ...rig.env };
  await installVsix({ root, vsix, env: userEnv });

  // The jobs first, so the view shows them as soon as it opens. "train" takes all 8 CPUs the rig
  // declares, so "eval" waits for Resources: a real queue, not a held job.
  const train = run(['--backend', 'slurm', '--name', 'train', '--time', '2:00:00', '--cpus', '8', '--', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo "epoch $i: training on $(hostname) (job $SLURM_JOB_ID, $SLURM_CPUS_ON_NODE CPUs)"; sleep 2; done']);
  await until('train to run on the node', () => job(train)?.state === 'running', 60_000, 500);
  const evalJob = run(['--backend', 'slurm', '--name', 'eval', '--time', '30:00', '--cpus', '2', '--', 'sh', '-c', 'echo evaluating; sleep 600']);
  await until('eval to be queued for Resources', () => job(evalJob)?.slurm?.reason === 'Resources', 60_000, 500);
  run(['--backend', 'tmux', '--name', 'preprocess', '--', 'sh', '-c', 'while :; do echo chunk; sleep 5; done']);
  say(`jobs: ${linger(['ls']).trim().split('\n').join(' | ')}`);

  const port = await freePort(8150, 8199);
  server = await startCodeServer({
    port, root, folder: ws,
    env: { ...userEnv, LINGER_HOME: lingerHome, ...rig.env },
    settings: { 'window.confirmBeforeClose': 'never' },
  });
  say(`code-server on ${server.baseUrl}`);
  context = await launchProfile(join(tmp, 'browser'));
  page = await openWorkbench(context, server.url);
  await showLingerView(page);
  const rows = { train: jobRow(page, 'train'), eval: jobRow(page, 'eval'), preprocess: jobRow(page, 'preprocess') };
  await until('the view to show train running on the node, eval queued (Resources), preprocess running', async () =>
    new RegExp(`running .* on ${rig.node}`).test(await rows.train.first().innerText())
    && /queued \(Resources\)/.test(await rows.eval.first().innerText())
    && /running/.test(await rows.preprocess.first().innerText()), 60_000, 300);
  // The running Slurm job's log in the editor (its inline Show Log action, as a user clicks it);
  // the pointer stays on the row, so its inline actions (Attach, Show Log, Kill) show too.
  await rows.train.first().hover();
  const showLog = rows.train.first().locator('.actions .action-label[aria-label^="Show Log"]').first();
  await showLog.waitFor({ state: 'visible', timeout: 10_000 });
  await showLog.click();
  await until('the train log to show a few epochs', async () =>
    /epoch\s3:/.test(await page.locator('.editor-group-container .monaco-editor .view-lines').first().innerText()), 30_000, 300);
  // Monaco renders spaces as U+00A0 (\s above matches both). A click into the log takes the
  // keyboard focus off the activity bar (whose focus tooltip would cover the view); then the
  // pointer rests on the row's label, off the action whose tooltip would show.
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
  await rows.train.first().locator('.monaco-icon-label').first().hover();
  // The running rows' elapsed time ticks every second: wait until it has passed a few seconds so
  // the picture does not read "running 0s".
  await until('a few seconds of elapsed time', async () => /running ([5-9]|\d\d)s|running \d+m/.test(await rows.train.first().innerText()), 30_000, 300);
  await saveShot(page, repo, 'slurm-jobs', say);
}

async function teardown() {
  for (const id of ids) { try { linger(['kill', id]); } catch { /* already gone, or no CLI env */ } }
  try { await context?.close(); } catch { /* gone */ }
  try { await server?.stop(); } catch { /* gone */ }
  try { await rig?.down(); } catch (e) { say(`rig down: ${e.message}`); }
  if (tmp) removeRunDir(tmp);
  if (!hadNodeSockets) rmSync(nodeSockets, { recursive: true, force: true });
}

await runShot({ repo, name: 'slurm-jobs', say, main, teardown, page: () => page });
