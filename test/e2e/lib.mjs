// Helpers for the browser end-to-end scenarios: a real code-server with the packaged VSIX, a real
// headless Chromium (Debian's, driven by playwright-core), and the process table read from /proc.
// The scenarios act like a user: F1 and typing, clicks, keyboard. No VS Code API calls.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** The first port in from..to that 127.0.0.1 can listen on (code-server's, for one run). */
export async function freePort(from, to) {
  for (let p = from; p <= to; p++) {
    const ok = await new Promise((r) => {
      const s = createServer().once('error', () => r(false)).listen(p, '127.0.0.1', () => s.close(() => r(true)));
    });
    if (ok) return p;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** dist/linger.vsix, packaged again when a bundle or package.json is newer (the screenshot scripts). */
export function ensureVsix(repo, say) {
  const vsix = join(repo, 'dist/linger.vsix');
  const built = Math.max(...['dist/extension.js', 'dist/server.js', 'dist/linger.js', 'package.json']
    .map((f) => join(repo, f)).filter(existsSync).map((f) => statSync(f).mtimeMs));
  if (existsSync(vsix) && statSync(vsix).mtimeMs >= built) return vsix;
  say('packaging the extension (npm run package)');
  const r = spawnSync('npm', ['run', '-s', 'package'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`npm run package failed (exit ${r.status})`);
  return vsix;
}

/** The page as docs/images/NAME.png (through .artifacts/, where the e2e run keeps its pictures). */
export async function saveShot(page, repo, name, say) {
  mkdirSync(join(repo, '.artifacts'), { recursive: true });
  const shot = join(repo, `.artifacts/${name}.png`);
  await page.screenshot({ path: shot });
  mkdirSync(join(repo, 'docs/images'), { recursive: true });
  copyFileSync(shot, join(repo, `docs/images/${name}.png`));
  say(`wrote docs/images/${name}.png`);
}

/** Kills what a screenshot run left outside code-server's tree (every process naming dir), then removes dir. */
export function removeRunDir(dir, keep = false) {
  for (const p of processes().filter((x) => x.pid !== process.pid && x.cmd.includes(dir))) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

/**
 * A screenshot script's life: main(), then teardown() either way; on failure the page as it was
 * into .artifacts/NAME-FAILURE.png. Exits 0 or 1.
 */
export async function runShot({ repo, name, say, main, teardown, page }) {
  let code = 0;
  try { await main(); } catch (e) {
    say(`ERROR: ${e.stack || e.message}`);
    code = 1;
    const p = page();
    if (p) {
      mkdirSync(join(repo, '.artifacts'), { recursive: true });
      await p.screenshot({ path: join(repo, `.artifacts/${name}-FAILURE.png`) }).catch(() => {});
      say(`the page at the failure: .artifacts/${name}-FAILURE.png`);
    }
  }
  await teardown();
  process.exit(code);
}

/** The built CLI run with env in cwd; argv, never a shell line. Its stdout, or an Error saying why not. */
export function lingerCli(repo, env, cwd, args) {
  const r = spawnSync(process.execPath, [join(repo, 'dist/linger.js'), ...args], { encoding: 'utf8', env, cwd, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`linger ${args.join(' ')} exited ${r.status}: ${(r.stderr || '').trim()}`);
  return r.stdout;
}

export const CHROMIUM = process.env.LINGER_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--no-first-run',
];

/**
 * A browser with a persistent profile. The workbench keeps its layout AND the extensions'
 * workspaceState/globalState in browser storage (IndexedDB) under code-server, so "the same user
 * comes back" means the same profile dir; a fresh profile is a different machine.
 */
export async function launchProfile(profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 860 },
  });
}

/** Polls fn until it returns a truthy value; throws with `what` after `ms`. */
export async function until(what, fn, ms = 20000, every = 200) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await sleep(every);
  }
}

// ---------------------------------------------------------------------------------------------
// Process table (/proc), the ground truth for "is it still running".

function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: f[0], ppid: +f[1], pgid: +f[2], sid: +f[3] };
}

/** Every live (non-zombie) process: pid, ppid, pgid, sid, argv. */
export function processes() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const s = statFields(name);
      if (s.state === 'Z') continue;
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: +name, ...s, argv, cmd: argv.join(' ') });
    } catch { /* exited meanwhile */ }
  }
  return out;
}

export function processesMatching(text) {
  return processes().filter((p) => p.pid !== process.pid && p.cmd.includes(text));
}

export function environOf(pid) {
  try {
    return Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  } catch { return {}; }
}

/** pid's parent, grandparent, … up to init (from /proc). */
export function ancestorsOf(pid) {
  const out = [];
  let cur = pid;
  for (let i = 0; i < 256; i++) {
    let ppid;
    try { ppid = statFields(cur).ppid; } catch { break; }
    if (!ppid) break;
    out.push(ppid);
    cur = ppid;
  }
  return out;
}

export function processesInGroup(pgid) {
  return processes().filter((p) => p.pgid === pgid);
}

export function alive(pid) {
  try { return statFields(pid).state !== 'Z'; } catch { return false; }
}

// ---------------------------------------------------------------------------------------------
// Screenshots

export class Shots {
  constructor(dir) { this.dir = dir; this.n = 0; this.files = []; this.docs = []; mkdirSync(dir, { recursive: true }); }
  /** `docName`: this shot is the one `npm run screenshots` copies to docs/images/<docName>. */
  async take(page, name, docName) {
    const file = join(this.dir, `${String(++this.n).padStart(2, '0')}-${name}.png`);
    try {
      await page.screenshot({ path: file });
      this.files.push(file);
      if (docName) this.docs.push([file, docName]);
    } catch { /* page gone */ }
    return file;
  }
}

// ---------------------------------------------------------------------------------------------
// Workbench, the way a user drives it.

export async function openWorkbench(context, url) {
  const page = context.pages()[0] ?? await context.newPage();
  page.on('dialog', (d) => void d.dismiss().catch(() => {}));
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  // Extensions activate after the workbench; the Linger activity-bar entry is our signal.
  await page.locator('.activitybar [aria-label^="Linger"]').first().waitFor({ timeout: 60000 });
  return page;
}

/** F1, type the command title, pick the row, Enter. */
export async function palette(page, title) {
  // The first palette of a fresh workbench on a loaded machine can open before the command list
  // is filled and never filter it: when the row has not appeared, close the palette and open it
  // again (each try still waits for the row itself, not for a fixed time).
  for (let attempt = 1; ; attempt++) {
    await dismissQuickInput(page);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 15000 });
    } catch (e) {
      if (attempt >= 3) throw e;
      continue;
    }
    await row.click();
    return;
  }
}

export async function dismissQuickInput(page) {
  if (await page.locator('.quick-input-widget input').isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await sleep(150);
  }
}

/**
 * Types into the quick input (quick pick or input box), then Enter. `expect`: text that must be
 * in the widget (title, prompt or placeholder) first, so a second prompt is not answered while
 * the first one is still on screen.
 */
export async function answerQuickInput(page, text, { expect } = {}) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  if (expect) {
    await until(`the prompt "${expect}"`, async () => {
      if (!(await widget.isVisible())) return false;
      const shown = `${await widget.innerText()} ${await widget.locator('input').getAttribute('placeholder') ?? ''}`;
      return shown.includes(expect);
    }, 10000, 100);
  }
  const input = widget.locator('input');
  await input.fill(text);
  await sleep(200);
  await page.keyboard.press('Enter');
}

export async function showLingerView(page) {
  const tab = page.locator('.activitybar [aria-label^="Linger"]').first();
  const title = page.locator('.sidebar .composite.title .title-label', { hasText: /Linger/i }).first();
  // Clicking the active container's icon would hide the side bar: only click when not shown. The
  // extension may reveal the view itself at the same moment (first window with other hosts), and
  // then the click hides it again: look again, and click again, until it stays shown.
  for (let attempt = 1; ; attempt++) {
    if (await title.isVisible().catch(() => false)) break;
    await tab.click();
    try { await title.waitFor({ timeout: 3000 }); } catch { if (attempt >= 5) throw new Error('the Linger view does not stay open'); }
  }
  return page.locator('.sidebar');
}

/** The Remote Sessions tree row whose label contains `text`. */
export function jobRow(page, text) {
  return page.locator('.sidebar .monaco-list-row', { hasText: text });
}

/** Text of every rendered terminal (gpuAcceleration is off, so xterm renders DOM rows). */
export async function terminalText(page) {
  const rows = page.locator('.xterm-rows:visible');
  const all = await rows.allInnerTexts().catch(() => []);
  return all.join('\n');
}

/** Names of the terminals in the panel's tab list (shown always; see the e2e settings). */
export async function terminalTabs(page) {
  return page.locator('.terminal-tabs-entry').allInnerTexts().catch(() => []);
}

/** Notification toasts and the notification center, as text. */
export async function notificationsText(page) {
  return (await page.locator('.notification-toast, .notifications-center .notification-list-item').allInnerTexts()
    .catch(() => [])).join('\n');
}

export async function openNotificationCenter(page) {
  if (await page.locator('.notifications-center.visible').isVisible().catch(() => false)) return;
  await palette(page, 'Notifications: Show Notifications');
  await page.locator('.notifications-center.visible').waitFor({ timeout: 5000 });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}
