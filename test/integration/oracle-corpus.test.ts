// Differential test against OpenSSH's own verdicts on real-world configs (../shared/corpus beside the clone,
// produced by `sshd -t` / `sshd -T` / `ssh -G` 9.2p1): an error from us ⇔ a syntax refusal
// there, on the same first line, and the same effective keepalive values.
// A few files are also re-checked live with the installed sshd / ssh, to confirm the manifest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSandboxed, corpusAvailable, CORPUS, firstErrorLine, firstOwnError, readManifest, stderrOf, type ManifestRow } from './oracle-helpers';

interface Outcome { row: ManifestRow; problems: string[]; lineCompared: boolean }

function check(row: ManifestRow): Outcome {
  const text = readFileSync(join(CORPUS, row.file), 'latin1');
  const a = analyzeSandboxed(text, row.file, row.kind);
  const problems: string[] = [];
  let lineCompared = false;
  const ours = firstOwnError(a, row.file);
  const errs = a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line + 1}:${d.code}`);
  if (row.oracleKind === 'syntax') {
    const want = firstErrorLine(stderrOf(row), row.file);
    if (ours === null) problems.push(`OpenSSH refuses (${row.firstError.trim()}) but we report no error`);
    else if (want !== null && (lineCompared = true) && want !== ours) problems.push(`first error on line ${ours} (${errs.join(',')}), OpenSSH on line ${want}`);
  } else if (ours !== null) {
    // 'ok' and 'env' (machine-specific refusals such as a missing host key) are not syntax errors.
    problems.push(`we report errors (${errs.join(', ')}) but OpenSSH's verdict is ${row.oracleKind}`);
  }
  if (row.tRc === 0 && row.interval !== '') {
    const k = a.keepalive;
    const got = `${k.interval}/${k.countMax}/${k.tcpKeepAlive ? 'yes' : 'no'}`;
    const want = `${row.interval}/${row.countMax}/${row.tcpKeepAlive}`;
    if (got !== want) problems.push(`keepalive ${got}, OpenSSH ${want}`);
  }
  return { row, problems, lineCompared };
}

test('corpus: lint agrees with sshd -t / ssh -G verdicts and effective keepalive values', (t) => {
  if (!corpusAvailable()) {
    t.skip(`corpus not found at ${CORPUS} (set LINGER_CORPUS)`);
    return;
  }
  const rows = readManifest();
  const outcomes = rows.map(check);
  const bad = outcomes.filter((o) => o.problems.length);
  const rate = (outcomes.length - bad.length) / outcomes.length;
  const syntax = rows.filter((r) => r.oracleKind === 'syntax').length;
  console.log(`corpus agreement: ${outcomes.length - bad.length}/${outcomes.length} = ${(rate * 100).toFixed(1)}% (${syntax} syntax refusals, first line compared on ${outcomes.filter((o) => o.lineCompared).length}; ${rows.filter((r) => r.oracleKind === 'env').length} env refusals; keepalive compared on ${rows.filter((r) => r.tRc === 0 && r.interval !== '').length})`);
  for (const o of bad) console.log(`  DISAGREE ${o.row.file}: ${o.problems.join('; ')}`);
  assert.ok(rate >= 0.99, `agreement ${(rate * 100).toFixed(1)}% < 99%`);
});

const SSHD = '/usr/sbin/sshd';
const SSH = '/usr/bin/ssh';

test('corpus: the manifest matches the installed OpenSSH on a sample (live re-check)', (t) => {
  if (!corpusAvailable()) { t.skip('corpus not found'); return; }
  if (!existsSync(SSHD) || !existsSync(SSH)) { t.skip('OpenSSH not installed'); return; }
  if (process.getuid?.() !== 0) { t.skip('sshd -t needs root here'); return; }
  const rows = readManifest();
  const sample = [
    ...rows.filter((r) => r.oracleKind === 'syntax').slice(0, 4),
    ...rows.filter((r) => r.oracleKind === 'ok' && r.kind === 'sshd').slice(0, 3),
    ...rows.filter((r) => r.oracleKind === 'ok' && r.kind === 'ssh').slice(0, 3),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'linger-oracle-'));
  chmodSync(dir, 0o700);
  try {
    for (const r of sample) {
      const src = join(CORPUS, r.file);
      const f = join(dir, r.file.replace('/', '-'));
      writeFileSync(f, readFileSync(src), { mode: 0o600 });
      let rc: number;
      if (r.kind === 'sshd') {
        rc = spawnSync(SSHD, ['-t', '-f', f], { timeout: 5000, stdio: ['ignore', 'ignore', 'pipe'] }).status ?? -1;
      } else {
        rc = spawnSync(SSH, ['-G', '-F', f, 'example.com'], { timeout: 5000, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: '/nonexistent' } }).status ?? -1;
      }
      const live = rc === 0 ? 'ok' : rc === 255 ? 'syntax' : 'env';
      if (r.oracleKind !== 'env') assert.equal(live, r.oracleKind, `${r.file}: live rc ${rc}, manifest ${r.oracleKind}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  void execFileSync;
});
