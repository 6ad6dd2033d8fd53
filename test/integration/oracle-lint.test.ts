// Acceptance (issue 4): `node dist/linger.js lint --json` on a file with an unknown keyword, a
// duplicate, a Match-illegal keyword and `ClientAliveInterval 0` gives exactly those four
// diagnostics with the right lines and codes — and the real `sshd -t` refuses that file on the
// same first line (the two errors), while accepting it once the errors are fixed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, firstComplaint } from './oracle-helpers';

const CLI = join(REPO, 'dist', 'linger.js');
const FIXTURE = join(REPO, 'test', 'fixtures', 'sshconfig', 'acceptance.conf');
const SSHD = '/usr/sbin/sshd';

function lintCli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'lint', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('linger lint --json: the four acceptance diagnostics', (t) => {
  if (!existsSync(CLI)) { t.skip('dist/linger.js not built'); return; }
  const r = lintCli(['--json', FIXTURE]);
  assert.doesNotMatch(r.err, /not available in this build/, 'cli/main.ts could not load cli/commands/lint.ts');
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out) as Array<{ file: string; line: number; col: number; severity: string; code: string; message: string }>;
  assert.deepEqual(j.map((d) => [d.line, d.severity, d.code]), [
    [4, 'warning', 'keepalive-off'],
    [6, 'error', 'unknown-keyword'],
    [7, 'warning', 'duplicate-ignored'],
    [11, 'error', 'not-in-match'],
  ]);
  assert.ok(j.every((d) => d.file === FIXTURE));
  assert.equal(j[1]!.message, 'Bad configuration option: FooBar');
  assert.equal(j[3]!.message, "Directive 'TCPKeepAlive' is not allowed within a Match block");
  assert.equal(j[3]!.col, 5);
});

test('linger lint text output and exit codes through the built CLI', (t) => {
  if (!existsSync(CLI)) { t.skip('dist/linger.js not built'); return; }
  const r = lintCli([FIXTURE]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, new RegExp(`^${FIXTURE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6:1: error unknown-keyword: Bad configuration option: FooBar$`, 'm'));
  const bad = lintCli(['--nope', FIXTURE]);
  assert.equal(bad.code, 1);
  assert.equal(bad.err.trim().split('\n').length, 1);
  const missing = lintCli(['/nonexistent/sshd_config']);
  assert.equal(missing.code, 1);
  assert.equal(missing.err.trim().split('\n').length, 1);
});

test('sshd -t agrees: refuses the acceptance file at its first error, accepts it once fixed', (t) => {
  if (!existsSync(SSHD) || process.getuid?.() !== 0) { t.skip('needs /usr/sbin/sshd and root'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'linger-acc-'));
  chmodSync(dir, 0o700);
  try {
    const key = join(dir, 'hostkey');
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key], { stdio: 'ignore' }).status, 0);
    // Base lines go first, replacing the fixture's two leading comment lines so line numbers stay.
    const body = readFileSync(FIXTURE, 'utf8').split('\n').slice(2).join('\n');
    const f = join(dir, 'acc.conf');
    writeFileSync(f, `HostKey ${key}\nPidFile none\n${body}`.replace('Port 2222', 'UsePAM no'), { mode: 0o600 });
    const r = spawnSync(SSHD, ['-t', '-f', f], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 255, r.stderr);
    assert.deepEqual(firstComplaint(r.stderr), { file: f, line: 6 }, r.stderr);
    const fixed = readFileSync(f, 'utf8').replace('FooBar yes\n', '\n').replace('    TCPKeepAlive no\n', '');
    writeFileSync(f, fixed);
    const ok = spawnSync(SSHD, ['-t', '-f', f], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(ok.status, 0, ok.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
