// `linger lint` as a function: output format, JSON shape, exit codes, flags, dialect guessing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guessDialect, lint } from '../../cli/commands/lint';

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  let out = '';
  let err = '';
  process.stdout.write = ((s: string | Uint8Array) => { out += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { err += String(s); return true; }) as typeof process.stderr.write;
  try {
    const code = await lint(args);
    return { code, out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'linger-lint-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('text output: FILE:LINE:COL: severity code: message, exit 1 on error', async () => {
  const f = join(dir, 'a.conf');
  writeFileSync(f, 'Port 22\nFooBar yes\n', { mode: 0o600 });
  const r = await capture([f]);
  assert.equal(r.code, 1);
  assert.equal(r.out, `${f}:2:1: error unknown-keyword: Bad configuration option: FooBar\n`);
});

test('warnings only → exit 0; clean file prints nothing', async () => {
  const w = join(dir, 'w.conf');
  writeFileSync(w, 'UsePrivilegeSeparation yes\n');
  const r = await capture([w]);
  assert.equal(r.code, 0);
  assert.match(r.out, /:1:1: warning deprecated: /);
  const c = join(dir, 'c.conf');
  writeFileSync(c, 'Port 22\nClientAliveInterval 60\n');
  assert.deepEqual(await capture([c]), { code: 0, out: '', err: '' });
});

test('--json: 1-based array with the documented fields', async () => {
  const f = join(dir, 'j.conf');
  writeFileSync(f, 'ClientAliveInterval abc\n');
  const r = await capture(['--json', f]);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out) as Array<Record<string, unknown>>;
  assert.deepEqual(Object.keys(j[0]!).sort(), ['code', 'col', 'endCol', 'endLine', 'file', 'line', 'message', 'severity']);
  assert.deepEqual([j[0]!.line, j[0]!.col, j[0]!.endCol, j[0]!.severity, j[0]!.code], [1, 21, 24, 'error', 'bad-value']);
  const clean = join(dir, 'clean.conf');
  writeFileSync(clean, 'Port 22\n');
  assert.equal((await capture(['--json', clean])).out, '[]\n');
});

test('user errors: bad flag, no file, unreadable file → one line on stderr, exit 1', async () => {
  let r = await capture(['--bogus', 'x']);
  assert.equal(r.code, 1);
  assert.equal(r.err.split('\n').filter(Boolean).length, 1);
  assert.match(r.err, /unknown option '--bogus'/);
  r = await capture([]);
  assert.equal(r.code, 1);
  assert.match(r.err, /no file given/);
  r = await capture([join(dir, 'missing.conf')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /cannot read .*missing\.conf: no such file/);
  r = await capture(['--client', '--server', 'x']);
  assert.equal(r.code, 1);
  assert.equal((await capture(['--help'])).code, 0);
});

test('dialect: --client, or guessed from the file name', async () => {
  assert.equal(guessDialect('/etc/ssh/sshd_config'), 'sshd');
  assert.equal(guessDialect('/etc/ssh/ssh_config'), 'ssh');
  assert.equal(guessDialect('/etc/ssh/ssh_config.d/10-x.conf'), 'ssh');
  assert.equal(guessDialect('/home/u/.ssh/config'), 'ssh');
  assert.equal(guessDialect('/etc/ssh/sshd_config.d/10-x.conf'), 'sshd');
  const f = join(dir, 'client.conf');
  writeFileSync(f, 'Host x\n  ServerAliveInterval 30\n');
  assert.equal((await capture([f])).code, 1, 'read as sshd_config, Host is unknown');
  assert.equal((await capture(['--client', f])).code, 0);
  mkdirSync(join(dir, '.ssh'));
  const g = join(dir, '.ssh', 'config');
  writeFileSync(g, 'Host x\n  ServerAliveInterval 30\n');
  assert.equal((await capture([g])).code, 0);
});
