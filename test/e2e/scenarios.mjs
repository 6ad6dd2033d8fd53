// The end-to-end scenarios, in the order they run (later ones build on the job started in a).
// Each is written as a user acts: F1 + typing, clicks in the Remote Sessions view, the keyboard.
// The process table (/proc) is the ground truth for what is running.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  alive, ancestorsOf, answerQuickInput, dismissQuickInput, environOf, jobRow, notificationsText,
  openNotificationCenter, openWorkbench, palette, processes, processesInGroup, processesMatching,
  showLingerView, sleep, terminalTabs, terminalText, until,
} from './lib.mjs';

/** Highest "tick N" printed after `marker` in text, or 0. */
function lastTick(text, marker) {
  const all = [...text.matchAll(new RegExp(`${marker} tick (\\d+)`, 'g'))].map((m) => Number(m[1]));
  return all.length ? Math.max(...all) : 0;
}

/** Hovers a tree row and clicks one of its inline actions (Attach, Show Log, Kill). */
async function inlineAction(page, row, label) {
  await row.hover();
  const action = row.locator(`.actions .action-label[aria-label^="${label}"]`).first();
  await action.waitFor({ state: 'visible', timeout: 5000 });
  await action.click();
}

/** Terminal tabs that belong to the job (the extension names them "label [id]"). */
async function jobTabs(page, label) {
  return (await terminalTabs(page)).filter((t) => t.includes(label));
}

/** Attach clients of a job: processes started by a terminal (ptyHost child) carrying the job id. */
function attachClients(jobId) {
  const ptyHosts = new Set(processes().filter((p) => p.cmd.includes('--type=ptyHost')).map((p) => p.pid));
  return processes().filter((p) => ptyHosts.has(p.ppid) && environOf(p.pid).LINGER_ATTACHED_JOB === jobId);
}

/**
 * Makes sure the terminal panel is open and rendered. After a reload VS Code restores a terminal
 * with its panel but renders xterm only once focused, and a fresh browser profile starts with the
 * panel closed (vscode-e2e.md §8); a user clicks into the panel, we use Terminal: Focus Terminal.
 */
async function revealTerminal(page) {
  const rows = page.locator('.xterm-rows:visible').first();
  if (await rows.isVisible().catch(() => false)) return;
  await palette(page, 'Terminal: Focus Terminal');
  await rows.waitFor({ timeout: 10000 });
}

/** Selects the job's terminal tab so its output is the one rendered. */
async function selectTab(page, label) {
  const tab = page.locator('.terminal-tabs-entry', { hasText: label }).first();
  if (await tab.isVisible().catch(() => false)) await tab.click();
}

/** True when pid runs inside the VS Code server's process tree (what a server restart kills). */
function underServer(t, pid) {
  const anc = ancestorsOf(pid);
  return anc.includes(t.server.pid) || anc.includes(t.server.serverPid);
}

async function runDetached(page, command, name, host) {
  await palette(page, 'Linger: Run Detached…');
  if (host) {
    // The host pick can be closed under us when the workbench moves focus at that moment (the
    // view revealed, a notification): then nothing was run, so ask again, at most twice more.
    for (let attempt = 1; ; attempt++) {
      try { await answerQuickInput(page, host, { expect: 'Host to run the job on' }); break; } catch (e) {
        if (attempt >= 3) throw e;
        await palette(page, 'Linger: Run Detached…');
      }
    }
  }
  await answerQuickInput(page, command, { expect: 'Command line to run detached' });
  await answerQuickInput(page, name, { expect: 'Job name' });
}

/**
 * The fleet rig (test/support/fleet-rig.ts: real sshds in network namespaces, cut/heal) through
 * tsx's CommonJS hook: the rig finds its shell script by __dirname.
 */
async function fleetRig() {
  const { register } = await import('tsx/cjs/api');
  register();
  return createRequire(import.meta.url)('../support/fleet-rig.ts');
}

/**
 * Adds settings to the running code-server's remote ("Machine") settings.json, where VS Code keeps
 * machine-scoped settings such as linger.sshConfigFile (user settings.json ones are ignored for
 * them in a remote window); VS Code picks the change up live.
 */
function setMachineSettings(root, add) {
  mkdirSync(join(root, 'ud/Machine'), { recursive: true, mode: 0o700 });
  const file = join(root, 'ud/Machine/settings.json');
  const have = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...have, ...add }, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** The Remote Sessions row of a host (its label is the ssh alias); expanded if it was not. */
async function hostRow(page, name) {
  const row = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first();
  await row.waitFor({ timeout: 30000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  return row;
}

export const scenarios = [
  {
    id: 'a',
    title: 'Run Detached from the palette, see it in Remote Sessions, attach, live output in the terminal; the job is outside the VS Code server\'s process tree',
    async run(t) {
      const { page, shots, state, marker } = t;
      await showLingerView(page);
      await shots.take(page, 'workbench-linger-view', 'remote-sessions-empty.png');
      const mark = `${marker}-A`;
      state.tickerMark = mark;
      state.tickerName = 'ticker-a';
      await runDetached(page, `i=0; while true; do i=$((i+1)); echo "${mark} tick $i"; sleep 1; done`, state.tickerName);
      const row = jobRow(page, state.tickerName);
      await row.waitFor({ timeout: 20000 });
      await until('the job row to say running', async () => /running/.test(await row.innerText()));
      await shots.take(page, 'job-running-in-view');
      const proc = await until('the job in the process table', () => processesMatching(`${mark} tick`).find((p) => /sh$/.test(p.argv[0] ?? '')));
      state.tickerPid = proc.pid;
      state.tickerPgid = proc.pgid;
      // Started from the VS Code window, yet not a descendant of the VS Code server.
      if (underServer(t, proc.pid)) throw new Error(`the job (pid ${proc.pid}) runs inside the VS Code server's process tree`);
      await inlineAction(page, row, 'Attach');
      await until('a terminal tab for the job', async () => (await jobTabs(page, state.tickerName)).length === 1);
      const tab = (await jobTabs(page, state.tickerName))[0];
      state.tickerId = (tab.match(/\[([^\]]+)\]/) || [])[1];
      await revealTerminal(page);
      const first = await until('job output in the terminal', async () => lastTick(await terminalText(page), mark));
      const later = await until('the output to keep coming', async () => {
        const n = lastTick(await terminalText(page), mark);
        return n > first ? n : 0;
      }, 10000);
      t.log(`attached terminal "${tab}" shows live output (tick ${first} → ${later}); job pid ${proc.pid} pgid ${proc.pgid}`);
      await shots.take(page, 'attached-terminal-live', 'run-detached-attached.png');
    },
  },
  {
    id: 'b',
    title: 'VS Code server dies (SIGKILL): the job survives, the terminal comes back once, the finished job is reported; a plain terminal\'s process does not survive (control)',
    async run(t) {
      const { page, shots, state, marker } = t;
      if (!state.tickerPid) throw new Error('needs the job from scenario a');
      const tickBefore = lastTick(await terminalText(page), state.tickerMark);
      if (!tickBefore) throw new Error('the attached terminal shows no output before the kill');
      // A second job that ends (exit 3) while the server is down.
      const shortMark = `${marker}-B`;
      await runDetached(page, `sleep 10; echo ${shortMark} done; exit 3`, 'short-b');
      await jobRow(page, 'short-b').waitFor({ timeout: 20000 });
      await until('short-b in the process table', () => processesMatching(`${shortMark} done`).length > 0);
      // CONTROL: the same kind of long command in a plain integrated terminal.
      const ctlMark = `${marker}-CTL`;
      await palette(page, 'Terminal: Create New Terminal');
      // Typed keys go to the focused widget: wait for the new terminal to take the focus (what it
      // types before its shell reads is buffered by the pty).
      await page.locator('.terminal .xterm-helper-textarea:focus').waitFor({ timeout: 20000 });
      await page.keyboard.type(`bash -c 'sleep 1000; echo ${ctlMark}'`);
      await page.keyboard.press('Enter');
      const ctl = await until('the control process', () => processesMatching(`echo ${ctlMark}`)[0]);
      if (!underServer(t, ctl.pid)) throw new Error('the control is not in the VS Code server\'s process tree: it would prove nothing');
      await shots.take(page, 'before-server-kill');
      // short-b must end while nobody watches, not before the kill.
      if (!processesMatching(`${shortMark} done`).length) throw new Error('short-b ended before the server was killed (machine too slow?)');

      await t.server.kill9();
      t.log(`code-server SIGKILLed (wrapper ${t.server.pid}, server ${t.server.serverPid})`);
      await until('the control process to die with the server', () => !alive(ctl.pid), 15000);
      if (!alive(state.tickerPid)) throw new Error('the Linger job died with the VS Code server');
      t.log(`process table: job pid ${state.tickerPid} alive, control pid ${ctl.pid} gone`);
      await until('short-b to finish while the server is down', () => processesMatching(`${shortMark} done`).length === 0, 20000);
      await sleep(1000);
      await shots.take(page, 'server-down');

      t.server = await t.restartServer();
      await page.reload();
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      // Back on its own: no click, no command.
      await until('the job terminal to come back', async () => (await jobTabs(page, state.tickerName)).length >= 1, 40000);
      await sleep(3000); // a duplicate would show up within this time
      const tabs = await jobTabs(page, state.tickerName);
      if (tabs.length !== 1) throw new Error(`expected exactly one terminal for the job, got ${tabs.length}: ${JSON.stringify(tabs)}`);
      if (state.tickerId) {
        const clients = attachClients(state.tickerId);
        if (clients.length !== 1) throw new Error(`expected one attach client process, found ${clients.length}`);
      }
      await selectTab(page, state.tickerName);
      await revealTerminal(page);
      const after = await until('live output after the restart', async () => {
        const n = lastTick(await terminalText(page), state.tickerMark);
        return n > tickBefore ? n : 0;
      }, 20000);
      await until('the reattached output to keep coming', async () => lastTick(await terminalText(page), state.tickerMark) > after, 10000);
      t.log(`terminal back (one tab: "${tabs[0]}"), tick ${tickBefore} before kill → ${after} after restart, still counting`);
      await shots.take(page, 'reattached-after-restart', 'survives-server-restart.png');
      await openNotificationCenter(page);
      const text = await until('a notification about short-b and its exit code',
        async () => { const s = await notificationsText(page); return /short-b/.test(s) && /\b3\b/.test(s) ? s : ''; }, 20000);
      t.log(`notification: ${text.split('\n').find((l) => /short-b/.test(l))}`);
      await shots.take(page, 'finished-while-away', 'finished-while-away.png');
      await page.keyboard.press('Escape');
    },
  },
  {
    id: 'c',
    title: 'Reconnect: close the browser, open it again: the same job terminal is back, no duplicates; a terminal closed before leaving stays closed, its job running (control)',
    async run(t) {
      const { shots, state } = t;
      if (!state.tickerPid) throw new Error('needs the job from scenario a');
      // CONTROL: a second job whose terminal the user closed (detached) before leaving must not
      // come back, and closing it must not have killed the job.
      {
        const page = t.page;
        const mark = `${t.marker}-C`;
        await runDetached(page, `sleep 600; echo ${mark}`, 'closed-c');
        const row = jobRow(page, 'closed-c');
        await row.waitFor({ timeout: 20000 });
        const proc = await until('closed-c in the process table', () => processesMatching(`echo ${mark}`)[0]);
        state.closedPid = proc.pid;
        await inlineAction(page, row, 'Attach');
        await until('a terminal tab for closed-c', async () => (await jobTabs(page, 'closed-c')).length === 1);
        await selectTab(page, 'closed-c');
        await palette(page, 'Terminal: Kill the Active Terminal Instance');
        await until('the closed-c terminal to close', async () => (await jobTabs(page, 'closed-c')).length === 0, 10000);
        await sleep(1500);
        if (!alive(proc.pid)) throw new Error('closing the attached terminal killed the job');
        t.log(`closed the terminal of closed-c; its job (pid ${proc.pid}) still runs`);
      }
      const ctx = await t.reopenBrowser();
      t.page = await openWorkbench(ctx, t.server.url);
      const page = t.page;
      // Give the new window's extension host time to activate and reattach on its own.
      await showLingerView(page);
      await jobRow(page, state.tickerName).waitFor({ timeout: 30000 });
      await revealTerminal(page);
      await until('the job terminal in the new window', async () => (await jobTabs(page, state.tickerName)).length >= 1, 30000);
      await sleep(2000);
      const tabs = await jobTabs(page, state.tickerName);
      if (tabs.length !== 1) throw new Error(`expected exactly one terminal for the job, got ${tabs.length}: ${JSON.stringify(tabs)}`);
      if (state.tickerId) {
        // Not asserted: the closed window's terminal process stays in ptyHost until VS Code's
        // reconnection grace time ends (code-server: 3 h), so a second attach client is normal here.
        t.log(`attach client processes for the job: ${attachClients(state.tickerId).length}`);
      }
      await selectTab(page, state.tickerName);
      await revealTerminal(page);
      const n0 = await until('job output', async () => lastTick(await terminalText(page), state.tickerMark), 20000);
      await until('live output', async () => lastTick(await terminalText(page), state.tickerMark) > n0, 10000);
      const closed = await jobTabs(page, 'closed-c');
      if (closed.length) throw new Error(`the terminal closed before leaving came back: ${JSON.stringify(closed)}`);
      if (!alive(state.closedPid)) throw new Error('closed-c died');
      t.log(`new window: one terminal "${tabs[0]}", live; closed-c not reopened, still running`);
      await shots.take(page, 'reconnected');
    },
  },
  {
    id: 'e',
    title: 'Kill from the Remote Sessions view: the whole process group is gone; another job is untouched (control)',
    async run(t) {
      const { page, shots, state } = t;
      if (!state.tickerPgid) throw new Error('needs the job from scenario a');
      if (!processesInGroup(state.tickerPgid).length) throw new Error('the job\'s process group is already gone before Kill');
      const members = processesInGroup(state.tickerPgid).map((p) => `${p.pid}:${p.argv[0]}`);
      // CONTROL: another job must be untouched by this Kill.
      let bystander = state.closedPid;
      if (!bystander || !alive(bystander)) {
        const mark = `${t.marker}-E`;
        await runDetached(page, `sleep 600; echo ${mark}`, 'bystander-e');
        bystander = (await until('bystander-e in the process table', () => processesMatching(`echo ${mark}`)[0])).pid;
      }
      await showLingerView(page);
      const row = jobRow(page, state.tickerName);
      await inlineAction(page, row, 'Kill');
      await until('the job row to say killed', async () => /killed/.test(await row.innerText()), 20000);
      await until('the process group to be empty', () => processesInGroup(state.tickerPgid).length === 0, 15000);
      await sleep(1000);
      if (!alive(bystander)) throw new Error('Kill of one job also killed another job');
      t.log(`process group ${state.tickerPgid} (${members.join(', ')}) is gone; the other job (pid ${bystander}) still runs`);
      await shots.take(page, 'killed-from-view', 'kill-from-view.png');
    },
  },
  {
    id: 'f',
    title: 'A "type": "linger" task from .vscode/tasks.json runs as a detached job',
    async run(t) {
      const { page, shots } = t;
      await palette(page, 'Tasks: Run Task');
      const widget = page.locator('.quick-input-widget');
      const task = widget.locator('.monaco-list-row', { hasText: 'short train (detached, 30 steps)' }).first();
      await task.waitFor({ timeout: 20000 });
      await task.click();
      await showLingerView(page);
      const row = jobRow(page, 'train-short');
      await row.waitFor({ timeout: 20000 });
      // A running job that prints `step N/30` shows its progress ("40%") in place of the word running.
      await until('train-short to say running (or show its progress)', async () => /running|\d+%/.test(await row.innerText()));
      const proc = await until('train.sh in the process table', () => processesMatching('train.sh 30').find((p) => p.argv.includes('./train.sh')));
      await revealTerminal(page);
      await until('the task terminal to stream the job\'s output', async () => /step +\d+\/30/.test(await terminalText(page)), 20000);
      t.log(`task started job train-short (pid ${proc.pid}); its output streams into the task terminal`);
      await shots.take(page, 'linger-task', 'linger-task.png');
    },
  },
  {
    id: 'd',
    title: 'sshd_config: Problems lists the mistakes and nothing on the good lines (control), hover explains keepalive, a quick fix applies and its problem goes',
    async run(t) {
      const { page, shots } = t;
      await palette(page, 'Notifications: Clear All Notifications');
      await dismissQuickInput(page);
      // Quick Open, as a user would.
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill('sshd_config');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'sshd_config' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'sshd_config' }).waitFor({ timeout: 15000 });
      await page.locator('.monaco-editor .view-line', { hasText: 'PermitRootLogn' }).waitFor();
      // Highlighting (the TextMate grammar): keyword, value and comment are painted differently.
      const colours = await until('the sshd_config grammar to colour the text', async () => {
        const cls = (text) => page.locator('.monaco-editor .view-line', { hasText: text }).first().locator('span > span')
          .evaluateAll((els) => els.filter((e) => e.textContent.trim()).map((e) => e.className));
        const [kv, comment] = [await cls('X11Forwarding yes'), await cls('# Keepalive:')];
        return new Set(kv).size >= 2 && comment.length && !kv.includes(comment[0]) ? { kv, comment } : null;
      }, 15000);
      t.log(`highlighting: "X11Forwarding yes" → ${colours.kv.join(' ')}; comment → ${colours.comment[0]}`);
      await palette(page, 'View: Focus Problems');
      const problems = page.locator('.markers-panel');
      await problems.waitFor({ timeout: 10000 });
      // One of each typical mistake in demo/sshd_config, by the diagnostic codes of core/sshconfig.
      const expected = [
        ['unknown-keyword', /PermitRootLogn.*PermitRootLogin/], ['not-in-match', /UsePAM/],
        ['keepalive-off', /ClientAliveInterval/], ['duplicate-ignored', /ClientAliveInterval/],
      ];
      const rows = await until('the expected diagnostics in Problems', async () => {
        const r = (await problems.locator('.monaco-list-row').allInnerTexts()).map((x) => x.replace(/\s+/g, ' '));
        return expected.every(([code, re]) => r.some((row) => row.includes(code) && re.test(row))) ? r : null;
      }, 30000);
      // CONTROL: the lines OpenSSH accepts get nothing (a checker that flags everything fails here).
      const fine = ['X11Forwarding', 'PasswordAuthentication', 'Subsystem', 'AcceptEnv', 'PrintMotd', 'ForceCommand'];
      const noisy = rows.filter((r) => fine.some((k) => r.includes(k)));
      if (noisy.length) throw new Error(`diagnostics on lines OpenSSH accepts: ${noisy.join(' | ')}`);
      const text = rows.join('\n');
      t.log(`Problems: ${text.split('\n').filter((l) => l.trim()).slice(0, 8).join(' | ')}`);
      await shots.take(page, 'problems', 'sshd-config-problems.png');

      // Hover the keyword on "ClientAliveInterval 0".
      const kw = page.locator('.monaco-editor .view-line', { hasText: 'ClientAliveInterval 0' }).locator('span span').first();
      await kw.hover();
      const hover = page.locator('.monaco-hover:visible, .monaco-resizable-hover:visible').first();
      const htext = await until('the keepalive explanation in the hover', async () => {
        const s = await hover.innerText().catch(() => '');
        // The man-page text alone is not enough: Linger's own explanation of what 0 means.
        return /keepalive/i.test(s) && /(never|noticed|dropped|dead|vanish)/i.test(s) ? s : '';
      }, 15000);
      t.log(`hover: ${htext.replace(/\s+/g, ' ').slice(0, 160)}`);
      await shots.take(page, 'keepalive-hover', 'keepalive-hover.png');
      await page.mouse.move(5, 400);
      await page.keyboard.press('Escape');

      // Quick fix on the misspelt keyword: put the cursor there, Ctrl+. , pick the fix.
      await page.locator('.monaco-editor .view-line', { hasText: 'PermitRootLogn' }).click();
      await page.keyboard.press('Home');
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
      await menu.waitFor({ timeout: 15000 });
      const fix = menu.locator('.monaco-list-row', { hasText: 'PermitRootLogin' }).first();
      await fix.waitFor({ timeout: 5000 });
      await shots.take(page, 'quick-fix-menu', 'quick-fix.png');
      await fix.click();
      await page.locator('.monaco-editor .view-line', { hasText: 'PermitRootLogin no' }).waitFor({ timeout: 10000 });
      await palette(page, 'View: Focus Problems');
      await until('the unknown-keyword problem to go away', async () => {
        const r = await problems.locator('.monaco-list-row').allInnerTexts();
        return r.length > 0 && !r.some((x) => x.includes('unknown-keyword')) && r.some((x) => x.includes('not-in-match'));
      }, 15000);
      t.log('quick fix applied: PermitRootLogn → PermitRootLogin; its problem is gone, the others stay');
      await shots.take(page, 'quick-fix-applied');
    },
  },
  {
    id: 'g',
    title: 'Many hosts: the window lists two other hosts\' jobs; attached to a job on h2, h2 is cut off the network and comes back: the terminal is back by itself, exactly once; h1 is unaffected (control)',
    // The fleet's lease may wait for another test's rig; the reconnect waits on ssh keepalives.
    timeoutMs: 420_000,
    async skip() {
      const { fleetSkipReason } = await fleetRig();
      return fleetSkipReason();
    },
    async run(t) {
      const { page, shots, marker } = t;
      const { fleetUp } = await fleetRig();
      const fleet = await fleetUp(2);
      t.cleanups.push(() => fleet.down());
      t.log(`fleet up: ${fleet.hosts.map((h) => `${h.name} (${h.user})`).join(', ')}; ${fleet.sshConfig}`);
      await showLingerView(page);
      // What a user does in Settings: name the ssh config to read (as remote.SSH.configFile).
      setMachineSettings(t.server.root, { 'linger.sshConfigFile': fleet.sshConfig });
      await showLingerView(page);
      await hostRow(page, 'h1');
      await hostRow(page, 'h2');
      const mark1 = `${marker}-G1`;
      const mark2 = `${marker}-G2`;
      await runDetached(page, `sleep 900; echo ${marker}-GL`, 'local-build', 'this host');
      await runDetached(page, `i=0; while true; do i=$((i+1)); echo "${mark1} tick $i"; sleep 1; done`, 'ticker-h1', 'h1');
      await runDetached(page, `i=0; while true; do i=$((i+1)); echo "${mark2} tick $i"; sleep 1; done`, 'ticker-h2', 'h2');
      await hostRow(page, 'h1');
      await hostRow(page, 'h2');
      const row1 = jobRow(page, 'ticker-h1');
      const row2 = jobRow(page, 'ticker-h2');
      await until('both jobs to say running', async () => /running/.test(await row1.innerText()) && /running/.test(await row2.innerText()), 60000);
      // Each job runs on its own host: the process is in that host's network namespace (user lfI).
      const p2 = await until('the h2 job in the process table', () => processesMatching(`${mark2} tick`).find((p) => /sh$/.test(p.argv[0] ?? '')));
      const p1 = await until('the h1 job in the process table', () => processesMatching(`${mark1} tick`).find((p) => /sh$/.test(p.argv[0] ?? '')));
      await inlineAction(page, row2, 'Attach');
      await until('a terminal tab for the h2 job', async () => (await jobTabs(page, 'ticker-h2')).length === 1, 30000);
      await revealTerminal(page);
      await selectTab(page, 'ticker-h2');
      const before = await until('h2 output in the terminal', async () => lastTick(await terminalText(page), mark2), 30000);
      t.log(`attached over ssh to the h2 job (pid ${p2.pid}); tick ${before}`);

      fleet.cut('h2');
      t.log('h2 cut off (iptables DROP in its namespace)');
      const h2 = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^h2$/ }) }).first();
      const h1 = page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /^h1$/ }) }).first();
      await until('h2 to show unreachable', async () => /unreachable/.test(await h2.innerText()), 60000);
      // CONTROL: the other host is unaffected, and the job on h2 keeps running there.
      if (!/connected/.test(await h1.innerText())) throw new Error(`h1 should still be connected: ${await h1.innerText()}`);
      if (!alive(p2.pid) || !alive(p1.pid)) throw new Error('a job died with the cut');
      await until('the h2 terminal to end with its connection', async () => (await jobTabs(page, 'ticker-h2')).length === 0, 60000);
      await shots.take(page, 'h2-unreachable');
      t.log(`h2 unreachable: "${(await h2.innerText()).replace(/\s+/g, ' ')}"; h1 connected; both jobs alive`);

      fleet.heal('h2');
      t.log('h2 healed');
      // Back by itself: no click, no command.
      await until('h2 to be connected again', async () => /connected/.test(await h2.innerText()), 120000);
      await until('the h2 terminal to come back', async () => (await jobTabs(page, 'ticker-h2')).length >= 1, 60000);
      await sleep(3000); // a duplicate would show up within this time
      const tabs = await jobTabs(page, 'ticker-h2');
      if (tabs.length !== 1) throw new Error(`expected exactly one terminal for the h2 job, got ${tabs.length}: ${JSON.stringify(tabs)}`);
      // The old terminal's "exit code 255" toast would cover the tab list.
      await palette(page, 'Notifications: Clear All Notifications');
      await dismissQuickInput(page);
      await selectTab(page, 'ticker-h2');
      await revealTerminal(page);
      const after = await until('live h2 output after the heal', async () => {
        const n = lastTick(await terminalText(page), mark2);
        return n > before ? n : 0;
      }, 30000);
      t.log(`terminal back (one tab: "${tabs[0]}"), tick ${before} before the cut → ${after} after`);
      if (!/local-build/.test(await page.locator('.sidebar').innerText())) throw new Error('the job on this host is not listed');
      await palette(page, 'Notifications: Clear All Notifications');
      await dismissQuickInput(page);
      await page.mouse.move(700, 300);
      await shots.take(page, 'many-hosts', 'many-hosts.png');
    },
  },
];
