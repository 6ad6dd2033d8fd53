// Generated values checked against OpenSSH itself. `ssh -G` reports every bad line of a file
// (readconf.c counts them instead of stopping), so hundreds of generated lines are judged in
// one run; sshd stops at its first fatal error, so its own parsers get one run per value.
// The shared parsers (convtime, atoi_err, a2port, parse_ipqos, scan_scaled, algorithm lists,
// forwarding specs …) are the same code in both programs. Deterministic seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { keywordsFor, lookupKeyword } from '../../core/sshconfig/keywords/index';
import { validateArgs } from '../../core/sshconfig/values';
import type { Dialect, Token } from '../../core/sshconfig/types';

const haveSsh = existsSync('/usr/bin/ssh');
const haveSshd = existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/ssh-keygen');

let dir = '';
function tmp(): string {
  if (!dir) dir = mkdtempSync(join(tmpdir(), 'linger-kw-fuzz-'));
  return dir;
}
process.on('exit', () => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function toks(args: string[]): Token[] {
  let col = 0;
  return args.map((text) => { const t = { text, start: col, end: col + text.length, quoted: false }; col += text.length + 1; return t; });
}
function ours(dialect: Dialect, keyword: string, args: string[]): string | null {
  const spec = lookupKeyword(dialect, keyword)!;
  return validateArgs(dialect, spec, toks(args), keyword)?.message ?? null;
}

/** Runs ssh -G on one line per value; returns, per value, OpenSSH's message or null. */
function sshVerdicts(keyword: string, values: string[][]): Array<string | null> {
  const f = join(tmp(), `fz-${keyword}.conf`);
  writeFileSync(f, values.map((v) => `${keyword} ${v.join(' ')}`).join('\n') + '\n', { mode: 0o600 });
  const r = spawnSync('/usr/bin/ssh', ['-G', '-F', f, 'example.com'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  const out: Array<string | null> = values.map(() => null);
  for (const m of r.stderr.matchAll(/ line (\d+): (.*?)\r?$/gm)) {
    const i = Number(m[1]) - 1;
    if (out[i] === null) out[i] = m[2]!;
  }
  return out;
}

const word = (chars: string, max = 8) => fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: 1, maxLength: max });

const SSH_CASES: Array<{ keyword: string; gen: fc.Arbitrary<string[]> }> = [
  { keyword: 'ServerAliveInterval', gen: fc.tuple(word('0123456789smhdwSMHDWx+-', 7)).map((a) => a) },
  { keyword: 'ConnectionAttempts', gen: fc.tuple(fc.oneof(word('0123456789+-x ', 6).filter((s) => !s.includes(' ')), fc.constantFrom('2147483647', '2147483648', '-0', '+1'))) },
  { keyword: 'Port', gen: fc.tuple(fc.oneof(word('0123456789', 6), fc.constantFrom('ssh', 'http', 'nosuch', '-1', '+22', '0x16', 'telnet'))) },
  { keyword: 'IPQoS', gen: fc.array(fc.oneof(fc.constantFrom('af11', 'AF42', 'cs7', 'ef', 'le', 'lowdelay', 'none', 'x', '0x20', '0377', '256', '-1', '08'), word('0123456789abcfx', 4)), { minLength: 1, maxLength: 3 }) },
  { keyword: 'RekeyLimit', gen: fc.tuple(fc.oneof(word('0123456789.KMGkmgBbx+-', 6), fc.constantFrom('default', '15', '16', '0')), fc.option(fc.oneof(word('0123456789smh', 4), fc.constantFrom('none', 'x')), { nil: undefined })).map(([a, b]) => (b === undefined ? [a] : [a, b])) },
  { keyword: 'Ciphers', gen: fc.tuple(fc.tuple(fc.constantFrom('', '+', '-', '^'), fc.array(fc.constantFrom('aes128-ctr', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'AES128-CTR', 'aes*', 'none', 'bogus', '', '3des-cbc'), { minLength: 1, maxLength: 3 })).map(([p, l]) => p + l.join(','))).filter(([s]) => s !== '') },
  { keyword: 'HostKeyAlgorithms', gen: fc.tuple(fc.tuple(fc.constantFrom('', '+', '-', '^'), fc.array(fc.constantFrom('ssh-ed25519', 'rsa-sha2-256', 'ssh-ed25519*', '*-cert-v01@openssh.com', 'ecdsa-sha2-nistp?56', 'bogus', 'bogus*', 'SSH-RSA', ''), { minLength: 1, maxLength: 3 })).map(([p, l]) => p + l.join(','))).filter(([s]) => s !== '') },
  { keyword: 'LocalForward', gen: fc.tuple(fc.oneof(word('0123456789:', 6), fc.constantFrom('8080', '127.0.0.1:8080', '[::1]:8080', '/tmp/s', 'localhost:0', '*:22', 'a:b:c')), fc.oneof(fc.constantFrom('host:80', '[::1]:22', '/tmp/sock', 'h:0', 'h', 'h:70000', 'a:b:c:d', 'host:ssh'), word('hostab0123456789:/', 8))) },
  { keyword: 'RemoteForward', gen: fc.oneof(
    fc.tuple(fc.oneof(word('0123456789:', 6), fc.constantFrom('0', '8080', 'h:8080', '/tmp/s'))),
    fc.tuple(fc.oneof(word('0123456789:', 6), fc.constantFrom('0', '8080', 'h:8080')), fc.constantFrom('host:80', 'h:0', '/tmp/x', 'h'))) },
  { keyword: 'DynamicForward', gen: fc.tuple(fc.oneof(word('0123456789:', 6), fc.constantFrom('1080', 'localhost:1080', '[::1]:1080', '/tmp/s', '0', 'h:0', 'a:b:c'))) },
  { keyword: 'EscapeChar', gen: fc.tuple(fc.oneof(fc.constantFrom('~', 'none', '^A', '^a', '^~', '^@', '^?', 'ab', '^', '^AB', 'é'), word('~^aA@', 3))) },
  { keyword: 'TunnelDevice', gen: fc.tuple(fc.oneof(fc.constantFrom('any', 'ANY', 'any:any', '0:1', '1:x', 'x:1', '2147483645', '2147483646', '-1', ':', '0:'), word('0123456789:any', 6))) },
  { keyword: 'CanonicalDomains', gen: fc.array(fc.oneof(fc.constantFrom('example.com', 'a..b', '-x', '_x', 'x_y.z', 'x.', 'A.B', 'none', 'x!y'), word('ab.-_9', 6)), { minLength: 1, maxLength: 3 }) },
  { keyword: 'StreamLocalBindMask', gen: fc.tuple(fc.oneof(fc.constantFrom('0177', '0777', '1000', '9', '-1', '+7', '0x1', '07z'), word('0123456789x+-', 5))) },
  { keyword: 'ControlPersist', gen: fc.tuple(fc.oneof(fc.constantFrom('yes', 'no', 'YES', 'true', 'false', 'x', '0', '10m'), word('0123456789smhx', 4))) },
  { keyword: 'AddKeysToAgent', gen: fc.oneof(fc.tuple(fc.constantFrom('yes', 'confirm', 'ask', 'no', 'x', '1h', '5')), fc.tuple(fc.constantFrom('yes', 'confirm', 'x', '1h'), fc.constantFrom('5m', 'x', '10'))) },
  { keyword: 'PermitRemoteOpen', gen: fc.array(fc.constantFrom('host:22', '*:22', 'host:*', '[::1]:80', 'h:ssh', 'any'), { minLength: 1, maxLength: 3 }) },
  { keyword: 'CanonicalizePermittedCNAMEs', gen: fc.array(fc.constantFrom('*', 'none', 'a:b', '*.a:*.b', 'a:', ':b', 'ab'), { minLength: 1, maxLength: 3 }) },
  { keyword: 'SendEnv', gen: fc.array(fc.constantFrom('LANG', 'LC_*', '-FOO', 'A=B', 'X=', 'X'), { minLength: 1, maxLength: 3 }) },
  { keyword: 'ProxyJump', gen: fc.tuple(fc.array(fc.oneof(fc.constantFrom('host', 'u@host', 'u@h:22', 'h:0', 'h:x', '@h', 'h:', '[::1]:22', 'ssh://h', 'ssh://u@h:22', 'ssh://h/p', 'ssh://h/', 'ssh://u;x=1@h', 'ssh://[::1]', 'ssh://-h', 'ssh://u%zz@h', 'ssh://u%41@h', 'a@b@c', 'h/22', 'ssh://h:0'), word('hu@:/[]1', 6)), { minLength: 1, maxLength: 3 }).map((l) => l.join(','))) },
  { keyword: 'UserKnownHostsFile', gen: fc.array(fc.constantFrom('~/.ssh/kh', 'none', 'NONE', '/x'), { minLength: 1, maxLength: 3 }) },
];

test('ssh -G and validateArgs agree on generated values (shared misc.c parsers and readconf.c)', { skip: haveSsh ? false : 'ssh not installed' }, () => {
  const disagreements: string[] = [];
  for (const { keyword, gen } of SSH_CASES) {
    const values = fc.sample(gen, { numRuns: 150, seed: 4242 });
    const theirs = sshVerdicts(keyword, values);
    values.forEach((v, i) => {
      const mine = ours('ssh', keyword, v);
      const t = theirs[i] ?? null;
      if ((mine === null) !== (t === null) || (t !== null && mine !== null && !t.includes(mine))) {
        disagreements.push(`${keyword} ${v.join(' ')}: ssh=${JSON.stringify(t)} ours=${JSON.stringify(mine)}`);
      }
    });
  }
  assert.deepEqual(disagreements, []);
});

// sshd-only parsers: one sshd -t run per value (sshd stops at the first fatal error).
const SSHD_CASES: Array<{ keyword: string; values: string[][] }> = [
  { keyword: 'MaxStartups', values: fc.sample(fc.oneof(word('0123456789:', 9), fc.constantFrom('10:30:100', '10:30:60x', '0', '10:101:100', '10:0:100', '100:30:10', '-1', ':', '5:', '10abc')), { numRuns: 40, seed: 7 }).map((s) => [s]) },
  { keyword: 'PerSourceNetBlockSize', values: fc.sample(fc.oneof(word('0123456789:', 6), fc.constantFrom('32:128', '33', '24:129', '-1', '0:0', '8x')), { numRuns: 30, seed: 7 }).map((s) => [s]) },
  { keyword: 'ListenAddress', values: fc.sample(fc.oneof(fc.constantFrom('127.0.0.1', '127.0.0.1:2223', '[::1]:2223', '::1', '[::1]', '[::1', 'h:', 'h:0', 'h:x', '1.2.3.4/8', 'h:ssh', '[::1]x'), word('h0123:[]/', 8)), { numRuns: 40, seed: 7 }).map((s) => [s]) },
  { keyword: 'PermitOpen', values: fc.sample(fc.array(fc.constantFrom('h:22', 'h', '*:22', 'h:*', '[::1]:22', 'h/22', 'any', 'none', 'h:0', ':22'), { minLength: 1, maxLength: 2 }), { numRuns: 30, seed: 7 }) },
  { keyword: 'PermitListen', values: fc.sample(fc.array(fc.constantFrom('22', '0', '*:22', 'h:22', 'x', 'h:*', 'any', '70000'), { minLength: 1, maxLength: 2 }), { numRuns: 30, seed: 7 }) },
  { keyword: 'AuthenticationMethods', values: fc.sample(fc.array(fc.constantFrom('publickey', 'any', 'password', 'publickey,password', 'keyboard-interactive:bsdauth', 'gssapi-with-mic', 'bogus', 'publickey,', 'hostbased'), { minLength: 1, maxLength: 2 }), { numRuns: 30, seed: 7 }) },
];

test('sshd -t and validateArgs agree on generated values for sshd-only parsers', { skip: haveSshd ? false : 'sshd not installed' }, () => {
  const d = tmp();
  spawnSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(d, 'hk')]);
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
  // Methods must be enabled or sshd refuses AuthenticationMethods for another reason.
  const base = ['Port 2222', 'ListenAddress 127.0.0.1', `HostKey ${join(d, 'hk')}`, 'PidFile none', 'UsePAM no', 'HostbasedAuthentication yes', 'GSSAPIAuthentication yes'];
  const disagreements: string[] = [];
  let k = 0;
  for (const { keyword, values } of SSHD_CASES) {
    for (const v of values) {
      const f = join(d, `s${k++}.conf`);
      writeFileSync(f, [...base, `${keyword} ${v.join(' ')}`].join('\n') + '\n', { mode: 0o600 });
      const r = spawnSync('/usr/sbin/sshd', ['-t', '-f', f], { encoding: 'utf8', timeout: 10_000 });
      const m = / line 8: (.*?)\r?$/m.exec(r.stderr);
      // Name resolution ("bad addr or host: … Name or service not known") is the machine's
      // business, not syntax: validateArgs never judges it.
      if (/bad addr or host/.test(r.stderr)) continue;
      const t = r.status === 0 ? null : m?.[1] ?? `(rc ${r.status}) ${r.stderr.trim()}`;
      const mine = ours('sshd', keyword, v);
      if ((mine === null) !== (t === null) || (t !== null && mine !== null && !t.includes(mine))) {
        disagreements.push(`${keyword} ${v.join(' ')}: sshd=${JSON.stringify(t)} ours=${JSON.stringify(mine)}`);
      }
    }
  }
  assert.deepEqual(disagreements, []);
});

/** Tokens that exercise most validators: flags, numbers, times, ports, lists, paths, `none`. */
const POOL = ['yes', 'no', 'true', 'NO', 'none', 'any', 'all', '0', '1', '22', '-1', '65536', 'x', '5m', '1h30m', 'a:b',
  'host:22', '[::1]:22', '*:22', '/tmp/p', 'ask', 'auto', 'force', 'LANG', 'A=B', 'af11', 'cs1', '1G', '10', 'ssh-ed25519',
  '+ssh-rsa', 'aes128-ctr', '-aes*', 'hmac-sha1', 'curve25519-sha256', '*', 'local', 'remote', 'inet', 'publickey',
  'INFO', 'AUTH', 'md5', '0177', '10:30:60', 'point-to-point', 'ethernet', 'default', 'delayed', 'confirm', 'accept-new',
  'example.com', '%h', 'internal', 'session=5m', 'kex.c:*:1', '24:56', 'prohibit-password', 'clientspecified'];
const tokensArb = fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 });

test('every ssh keyword: ssh -G and validateArgs agree on random argument lists', { skip: haveSsh ? false : 'ssh not installed' }, () => {
  // PermitRemoteOpen errors are fatal() in readconf.c: they would end the run early.
  const skipNames = new Set(['Host', 'Match', 'Include', 'PermitRemoteOpen']);
  const lines: Array<{ keyword: string; args: string[] }> = [];
  let seed = 1;
  for (const spec of keywordsFor('ssh')) {
    if (skipNames.has(spec.name) || spec.status !== 'active') continue;
    for (const args of fc.sample(tokensArb, { numRuns: 12, seed: seed++ })) lines.push({ keyword: spec.name, args });
  }
  const f = join(tmp(), 'all-ssh.conf');
  writeFileSync(f, lines.map((l) => `${l.keyword} ${l.args.join(' ')}`).join('\n') + '\n', { mode: 0o600 });
  const r = spawnSync('/usr/bin/ssh', ['-G', '-F', f, 'example.com'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  const theirs = new Map<number, string>();
  for (const m of r.stderr.matchAll(/ line (\d+): (.*?)\r?$/gm)) if (!theirs.has(Number(m[1]) - 1)) theirs.set(Number(m[1]) - 1, m[2]!);
  // Guard against a vacuous pass: ssh must have read the whole file and complained a lot.
  assert.match(r.stderr, /terminating, \d+ bad configuration options/);
  assert.ok(theirs.size > lines.length / 4, `only ${theirs.size} complaints for ${lines.length} lines`);
  assert.ok(theirs.has(lines.length - 1) || [...theirs.keys()].some((k) => k > lines.length * 0.9));
  const disagreements: string[] = [];
  lines.forEach((l, i) => {
    const t = theirs.get(i) ?? null;
    const mine = ours('ssh', l.keyword, l.args);
    if ((mine === null) !== (t === null) || (t !== null && mine !== null && !t.includes(mine))) {
      disagreements.push(`${l.keyword} ${l.args.join(' ')}: ssh=${JSON.stringify(t)} ours=${JSON.stringify(mine)}`);
    }
  });
  assert.deepEqual(disagreements, []);
});

test('every sshd keyword: sshd -t and validateArgs agree on random argument lists', { skip: haveSshd ? false : 'sshd not installed' }, () => {
  const d = tmp();
  if (!existsSync(join(d, 'hk'))) spawnSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(d, 'hk')]);
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
  const base = ['Port 2222', 'ListenAddress 127.0.0.1', `HostKey ${join(d, 'hk')}`, 'PidFile none', 'UsePAM no'];
  // Not judged here: the base keywords (a 2nd Port/HostKey changes the environment checks),
  // Include/Match (structure) and keywords whose values only name files or users.
  const skipNames = new Set(['Port', 'ListenAddress', 'HostKey', 'HostCertificate', 'PidFile', 'Include', 'Match', 'AuthenticationMethods', 'Subsystem']);
  const disagreements: string[] = [];
  let seed = 100;
  let k = 0;
  for (const spec of keywordsFor('sshd')) {
    if (skipNames.has(spec.name) || spec.status !== 'active') continue;
    for (const args of fc.sample(tokensArb, { numRuns: 2, seed: seed++ })) {
      const f = join(d, `r${k++}.conf`);
      writeFileSync(f, [...base, `${spec.name} ${args.join(' ')}`].join('\n') + '\n', { mode: 0o600 });
      const r = spawnSync('/usr/sbin/sshd', ['-t', '-f', f], { encoding: 'utf8', timeout: 10_000 });
      if (/bad addr or host|Unable to load host key|Could not load host certificate|No such file/.test(r.stderr) && r.status !== 0 && !/ line 6: /.test(r.stderr)) continue;
      const m = / line 6: (.*?)\r?$/m.exec(r.stderr);
      const t = r.status === 0 ? null : m?.[1] ?? `(rc ${r.status}) ${r.stderr.trim()}`;
      const mine = ours('sshd', spec.name, args);
      if ((mine === null) !== (t === null) || (t !== null && mine !== null && !t.includes(mine))) {
        disagreements.push(`${spec.name} ${args.join(' ')}: sshd=${JSON.stringify(t)} ours=${JSON.stringify(mine)}`);
      }
    }
  }
  assert.deepEqual(disagreements, []);
});
