// `linger attach` in a real pty (node-pty), screen read back with a headless xterm: the user sees
// the job's terminal, can type into it, detaches, and the job keeps running.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as pty from '@lydell/node-pty';
import { Terminal } from '@xterm/headless';
import { CLI, cleanupHome, cliSync, makeHome, sleep } from './engine-helpers';
import type { JobRecord } from '../../core/jobs/types';

const homes: string[] = [];
after(() => { for (const h of homes) cleanupHome(h); });

function screenText(t: Terminal): string {
  const buf = t.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
  return lines.join('\n');
}

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) { if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`); await sleep(50); }
}

// The job echoes each line it reads, so typing through the attached terminal is visible.
const LOOP = 'echo ready-to-read; while read -r l; do echo "got:$l"; done';

for (const backend of ['tmux', 'screen', 'setsid'] as const) {
  test(`attach to a ${backend} job through a pty, type, detach; the job survives`, async () => {
    const h = makeHome(); homes.push(h);
    const id = cliSync(h, ['run', '--backend', backend, '--', 'sh', '-c', LOOP]).stdout.trim();
    const term = new Terminal({ cols: 100, rows: 30, allowProposedApi: true });
    const p = pty.spawn(process.execPath, [CLI, 'attach', id], { cols: 100, rows: 30, env: { ...process.env, LINGER_HOME: h, TERM: 'xterm-256color' } as Record<string, string> });
    let exited = false;
    p.onData((d) => term.write(d));
    p.onExit(() => { exited = true; });
    try {
      await until(() => screenText(term).includes('ready-to-read'), 'the job output on the attached screen');
      p.write('hello linger\r');
      await until(() => screenText(term).includes('got:hello linger'), 'the typed line echoed by the job');
      // Detach with the backend's own keys.
      if (backend === 'tmux') p.write('\x02d');
      else if (backend === 'screen') p.write('\x01d');
      else p.write('\x1d');
      await until(() => exited, 'the attach client to exit after detaching');
      const r = JSON.parse(cliSync(h, ['show', id, '--json']).stdout) as JobRecord;
      assert.equal(r.state, 'running', 'detaching leaves the job running');
      const log = cliSync(h, ['logs', id]).stdout;
      assert.match(log, /got:hello linger/);
    } finally {
      if (!exited) p.kill();
      cliSync(h, ['kill', id, '--grace', '0']);
    }
  });
}
