// Every row of the refusal table (refusal-cases.ts) against the installed OpenSSH 9.2p1: the
// row's config must make `sshd -t` / `ssh -G` refuse it and analyze() report an error on the line
// OpenSSH names; each accepted variant must pass both. A row whose config OpenSSH accepts is a
// bad row (the table claims a path the binary does not take) and fails too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { analyze, type Dialect } from '../../core/sshconfig/index';
import { firstComplaint, pool } from './oracle-helpers';
import { REFUSAL_ROWS, refusalTableMarkdown } from './refusal-cases';

const SSHD = '/usr/sbin/sshd';
const SSH = '/usr/bin/ssh';
const CONCURRENCY = 3;

interface Probe { id: string; dialect: Dialect; body: string; refuses: boolean }

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ rc: number; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env, timeout: 10_000 });
    let stderr = '';
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ rc: code ?? -1, stderr }));
    c.on('error', () => resolve({ rc: -1, stderr }));
  });
}

const probes: Probe[] = REFUSAL_ROWS.flatMap((r) => [
  ...(r.body === undefined ? [] : [{ id: r.id, dialect: r.dialect, body: r.body, refuses: true }]),
  ...(r.accepted ?? []).map((body, j) => ({ id: `${r.id}/ok${j}`, dialect: r.dialect, body, refuses: false })),
]);

test('refusal table: rows are well formed', () => {
  const ids = new Set<string>();
  for (const r of REFUSAL_ROWS) {
    assert.ok(!ids.has(r.id), `duplicate id ${r.id}`);
    ids.add(r.id);
    assert.ok(r.body !== undefined || r.reason, `${r.id}: a row needs a config or the reason it cannot have one`);
    assert.ok(r.body === undefined || r.module, `${r.id}: a row with a config names the module that ports it`);
  }
});

test('refusal table: core/sshconfig/README.md prints it as it is (node --import tsx scripts/refusal-table.ts)', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'core', 'sshconfig', 'README.md'), 'utf8');
  assert.ok(readme.includes(`<!-- refusal-table:begin -->\n${refusalTableMarkdown()}\n<!-- refusal-table:end -->`), 'README refusal table is stale');
});

test('refusal table: every row ⇔ sshd -t / ssh -G', { timeout: 120_000 }, async (t) => {
  if (!existsSync(SSHD) || !existsSync(SSH) || process.getuid?.() !== 0) { t.skip('needs sshd, ssh and root'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'linger-refusals-'));
  chmodSync(dir, 0o700);
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  try {
    const key = join(dir, 'hostkey');
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key], { stdio: 'ignore' }).status, 0, 'ssh-keygen failed');
    const env = { ...process.env, HOME: home };
    const problems = await pool(probes, CONCURRENCY, async (p, i) => {
      const file = join(dir, `r${i}.conf`);
      const text = p.dialect === 'sshd' ? `HostKey ${key}\nPidFile none\nUsePAM no\nListenAddress 127.0.0.1\n${p.body}\n` : `${p.body}\n`;
      writeFileSync(file, text, { mode: 0o600 });
      const r = p.dialect === 'sshd' ? await run(SSHD, ['-t', '-f', file], env) : await run(SSH, ['-G', '-F', file, 'example.com'], env);
      const refused = r.rc !== 0;
      const a = analyze(text, {
        dialect: p.dialect, file,
        includeBase: p.dialect === 'sshd' ? undefined : join(home, '.ssh'),
        matchContext: p.dialect === 'sshd' ? { user: 'root', host: 'localhost', addr: '127.0.0.1' } : { user: userInfo().username, host: 'example.com' },
      });
      const errors = a.diagnostics.filter((d) => d.severity === 'error');
      const said = `${p.id}: OpenSSH ${refused ? 'refuses' : 'accepts'} (${r.stderr.trim().split('\n')[0] ?? ''}), Linger errors [${errors.map((d) => `${d.line + 1}:${d.code}`).join(', ')}]`;
      if (refused !== p.refuses) return `${said} — the table says OpenSSH ${p.refuses ? 'refuses' : 'accepts'}`;
      if (refused !== (errors.length > 0)) return said;
      const c = refused ? firstComplaint(r.stderr) : null;
      if (c && !errors.some((d) => d.file === c.file && d.line + 1 === c.line)) return `${said} — OpenSSH names line ${c.line}`;
      return null;
    });
    const bad = problems.filter((x): x is string => x !== null);
    console.log(`refusal table: ${probes.length - bad.length}/${probes.length} probes agree (${REFUSAL_ROWS.length} rows, ${REFUSAL_ROWS.filter((r) => r.body !== undefined).length} with a config)`);
    for (const b of bad) console.log(`  DISAGREE ${b}`);
    assert.equal(bad.length, 0, 'every row of the refusal table must agree with OpenSSH');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
