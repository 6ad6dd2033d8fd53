// Generated differential test: random configs (valid and broken lines, Match/Host blocks,
// duplicates, `=` forms, odd spacing and quotes) checked by our analysis AND by the installed
// OpenSSH 9.2p1: `sshd -t -f FILE` + `sshd -T -C user=root,host=localhost,addr=127.0.0.1`
// (server) and `ssh -G -F FILE example.com` (client). Goal: 100% agreement on
//   refused ⇔ we report an error, the first refused line, and the effective keepalive values.
// Seed: LINGER_ORACLE_SEED (default fixed, so CI is reproducible); LINGER_ORACLE_RUNS per dialect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyze, type Analysis, type Dialect } from '../../core/sshconfig/index';
import { keywordsFor } from '../../core/sshconfig/keywords/index';
import { firstComplaint, pool } from './oracle-helpers';
import { REFUSAL_ROWS } from './refusal-cases';

const SSHD = '/usr/sbin/sshd';
const SSH = '/usr/bin/ssh';
const SEED = Number(process.env.LINGER_ORACLE_SEED ?? 20261125);
const RUNS = Number(process.env.LINGER_ORACLE_RUNS ?? 150);
const CONCURRENCY = 3;

// ---------------------------------------------------------------------------------------------
// Generators

const spacing = fc.constantFrom(' ', '  ', '\t', ' = ', '=', ' =', '= ', ' \t ');
const lead = fc.constantFrom('', '', '', '  ', '\t');
const trail = fc.constantFrom('', '', '', ' ', '\t', '  # note', ' #x', '\r');
const kwCase = (k: string) => fc.constantFrom(k, k.toLowerCase(), k.toUpperCase());

function directive(kw: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(lead, kw, spacing, value, trail).map(([l, k, s, v, t]) => `${l}${k}${s}${v}${t}`);
}

const timeVal = fc.oneof(
  fc.integer({ min: 0, max: 400 }).map(String),
  fc.constantFrom('1m', '1m30s', '2h', '90s', '0', '"15"', "'20'", 'abc', '-5', '1x', '', '10 20', '5 # c', '"7'),
);
const countVal = fc.oneof(fc.integer({ min: 0, max: 9 }).map(String), fc.constantFrom('abc', '-1', '3 4', '"2"', '2147483648'));
const yesNo = fc.constantFrom('yes', 'no', 'YES', 'No', 'maybe', '"yes"', 'yes no');

const sshdLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: directive(kwCase('ClientAliveInterval'), timeVal) },
  { weight: 3, arbitrary: directive(kwCase('ClientAliveCountMax'), countVal) },
  { weight: 3, arbitrary: directive(kwCase('TCPKeepAlive'), yesNo) },
  { weight: 2, arbitrary: directive(kwCase('PermitRootLogin'), fc.constantFrom('no', 'yes', 'prohibit-password', 'without-password', 'forced-commands-only', 'maybe')) },
  { weight: 2, arbitrary: directive(kwCase('X11Forwarding'), yesNo) },
  { weight: 2, arbitrary: directive(kwCase('MaxAuthTries'), fc.constantFrom('3', '6', 'x', '-1')) },
  { weight: 1, arbitrary: directive(kwCase('Banner'), fc.constantFrom('"/etc/issue.net"', '/etc/issue', 'none', '"/etc/issue.net', "'/etc/x y'")) },
  { weight: 1, arbitrary: directive(kwCase('LogLevel'), fc.constantFrom('VERBOSE', 'INFO', 'debug3', 'LOUD')) },
  { weight: 1, arbitrary: directive(kwCase('Port'), fc.constantFrom('2224', '22', 'http', 'abc', '70000')) },
  { weight: 1, arbitrary: directive(kwCase('ChannelTimeout'), fc.constantFrom('session=5m', 'none', 'global=1h', 'bogus')) },
  { weight: 1, arbitrary: directive(kwCase('UnusedConnectionTimeout'), fc.constantFrom('none', '10m', 'x')) },
  { weight: 1, arbitrary: directive(fc.constantFrom('FooBar', 'ClientAliveIntervall', 'PermitRootLogn', 'UsePrivilegeSeparation', 'Protocol', 'RSAAuthentication'), fc.constantFrom('yes', '2', 'no')) },
  { weight: 1, arbitrary: fc.constantFrom('CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com', 'CASignatureAlgorithms ssh-ed25519', 'HostKeyAlgorithms ssh-ed25519', 'PubkeyAcceptedAlgorithms -ssh-rsa', 'MaxStartups 5', 'MaxStartups 3:50:9', 'IPQoS af21', 'FingerprintHash md5') },
  { weight: 1, arbitrary: fc.constantFrom('AuthenticationMethods hostbased', 'AuthenticationMethods publickey,password', 'AuthenticationMethods password publickey', 'AuthenticationMethods gssapi-with-mic', 'HostbasedAuthentication yes', 'PasswordAuthentication no', 'PubkeyAuthentication no', 'KbdInteractiveAuthentication no', 'AuthorizedKeysCommand /bin/true', 'AuthorizedKeysCommandUser nobody') },
  { weight: 1, arbitrary: fc.constantFrom('ClientAliveInterval', 'TCPKeepAlive   ', '# comment', '', '   ', '\t# indented comment', '"Port" 2225', 'Banner "a" "b', 'AllowUsers a b c', 'AllowUsers "x y"') },
  { weight: 2, arbitrary: fc.tuple(lead, kwCase('Match'), fc.constantFrom(' User root', ' User other', ' Address 127.0.0.1', ' all', ' Host localhost', ' User root,other Address 127.0.0.0/8', ' Bogus x', ' User', ' User=root', ' Group root', ' LocalPort 22', ' LocalPort 2222', ' LocalAddress 127.0.0.1', ' User "root"'), trail).map(([l, k, c, t]) => `${l}${k}${c}${t}`) },
);

const sshLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: directive(kwCase('ServerAliveInterval'), timeVal) },
  { weight: 3, arbitrary: directive(kwCase('ServerAliveCountMax'), countVal) },
  { weight: 3, arbitrary: directive(kwCase('TCPKeepAlive'), yesNo) },
  { weight: 2, arbitrary: directive(kwCase('Compression'), yesNo) },
  { weight: 2, arbitrary: directive(kwCase('ForwardAgent'), fc.constantFrom('yes', 'no', 'maybe', '/tmp/sock')) },
  { weight: 1, arbitrary: directive(kwCase('User'), fc.constantFrom('alice', 'root', '"bob"')) },
  { weight: 1, arbitrary: directive(kwCase('Port'), fc.constantFrom('22', '2222', 'abc', '0')) },
  { weight: 1, arbitrary: directive(kwCase('IdentityFile'), fc.constantFrom('~/.ssh/id_x', '"/tmp/a b"')) },
  { weight: 1, arbitrary: directive(kwCase('IgnoreUnknown'), fc.constantFrom('FooBar', 'Use*', '*')) },
  { weight: 1, arbitrary: directive(fc.constantFrom('FooBar', 'UseKeychain', 'ServerAliveIntervall', 'RhostsRSAAuthentication', 'PermitRootLogin'), fc.constantFrom('yes', '2', 'no')) },
  { weight: 1, arbitrary: fc.constantFrom('HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com,ssh-ed25519', 'HostKeyAlgorithms !ssh-rsa', 'CASignatureAlgorithms ssh-ed25519', 'StreamLocalBindMask 0177', 'StreamLocalBindMask 0111', 'ConnectionAttempts 0', 'ForkAfterAuthentication yes', 'SessionType none') },
  { weight: 1, arbitrary: fc.constantFrom('ServerAliveInterval', '# comment', '', '  ', 'HostName "example.org', 'LocalForward 8080 localhost:80', 'SendEnv LANG LC_*') },
  { weight: 2, arbitrary: fc.tuple(lead, kwCase('Host'), fc.constantFrom(' example.com', ' *', ' other', ' *.com', ' !example.com *', ' example.com other', ' ""'), trail).map(([l, k, c, t]) => `${l}${k}${c}${t}`) },
  { weight: 1, arbitrary: fc.tuple(lead, kwCase('Match'), fc.constantFrom(' host example.com', ' all', ' host other', ' !host example.com', ' user nobody', ` localuser ${userInfo().username}`, ' final', ' Bogus x', ' host', ' all host x'), trail).map(([l, k, c, t]) => `${l}${k}${c}${t}`) },
);

// Any keyword of the table with a value from a generic pool: exercises the validators and the
// keyword table, plus tokenizer corner cases (quotes inside tokens, escapes, '#', '==', form feed).
const genericVal = fc.constantFrom('yes', 'no', '0', '1', '-1', '3', 'abc', 'none', 'any', '*', '"a b"', 'a,b', '22', '1h', '/tmp/x',
  '127.0.0.1', 'localhost:80', 'a b', '""', 'ALL', 'VERBOSE', 'ssh-ed25519', 'aes128-ctr', '+aes128-cbc', 'x=1', '10:30:60', 'af21', 'session=1m');
function wild(d: Dialect): fc.Arbitrary<string> {
  const names = keywordsFor(d).filter((k) => !['match', 'include', 'host', 'hostkey', 'pidfile', 'usepam', 'listenaddress', 'port', 'proxycommand', 'localcommand', 'remotecommand', 'knownhostscommand', 'proxyjump', 'controlpath', 'identityagent', 'hostname', 'permitlisten', 'permitopen'].includes(k.name.toLowerCase())).map((k) => k.name);
  return directive(fc.constantFrom(...names).chain((n) => kwCase(n)), genericVal);
}
const weirdSshd = [
  'Po"rt" 2226', '=MaxAuthTries 4', 'MaxAuthTries==4', 'MaxAuthTries = = 4', 'MaxAuthTries 4#x', 'MaxAuthTries #4', 'MaxAuthTries "4" # c',
  'Banner /etc/is\\ sue', 'Banner "/etc/a\\"b"', "Banner '/etc/a\\'b'", 'Banner a\\ b', 'MaxAuthTries\f4', 'MaxAuthTries 4\f', 'X11Forwarding yes\f\f',
  'MaxAuthTries "4', 'MaxAuthTries\t\t5', '"MaxAuthTries" 5', '"MaxAuthTries 5', 'MaxAuthTries\r5', '#MaxAuthTries 5', ' # MaxAuthTries x', 'MaxAuthTries "" ', 'MaxAuthTries 5 ""',
];
function weird(d: Dialect): fc.Arbitrary<string> {
  if (d === 'sshd') return fc.constantFrom(...weirdSshd);
  return fc.constantFrom(...weirdSshd.map((l) => l.replace(/MaxAuthTries/g, 'ConnectionAttempts').replace(/Banner/g, 'User').replace(/X11Forwarding/g, 'ForwardX11')));
}

/** Every short config of the refusal table (refused and accepted variants), dropped among other lines. */
function refusalRows(d: Dialect): fc.Arbitrary<string> {
  const bodies = REFUSAL_ROWS.filter((r) => r.dialect === d).flatMap((r) => [r.body, ...(r.accepted ?? [])]).filter((b): b is string => b !== undefined && b.length < 400);
  return fc.constantFrom(...bodies);
}
const withWild = (line: fc.Arbitrary<string>, d: Dialect) => fc.oneof({ weight: 6, arbitrary: line }, { weight: 2, arbitrary: wild(d) }, { weight: 1, arbitrary: weird(d) }, { weight: 1, arbitrary: refusalRows(d) });
/** Mostly-valid files (so the effective keepalive values get compared often) and messy ones. */
function keepaliveLine(d: Dialect): fc.Arbitrary<string> {
  const p = d === 'sshd' ? 'Client' : 'Server';
  return fc.oneof(
    directive(kwCase(`${p}AliveInterval`), fc.oneof(fc.integer({ min: 0, max: 400 }).map(String), fc.constantFrom('1m', '1m30s', '2h', '"15"'))),
    directive(kwCase(`${p}AliveCountMax`), fc.integer({ min: 0, max: 9 }).map(String)),
    directive(kwCase('TCPKeepAlive'), fc.constantFrom('yes', 'no', 'NO')),
    fc.constantFrom('# comment', ''),
    d === 'sshd'
      ? fc.constantFrom('Match User root', 'Match User other', 'Match Address 127.0.0.0/8', 'Match all', 'Match Host localhost', 'Match LocalPort 2222', 'Match User root Address 10.0.0.0/8', 'Match Group root', 'Match User *,!root', 'Match User !root,*', 'Match Address !10.0.0.0/8,127.0.0.1', 'Match Address 127.0.0.1/32', 'Match Host *.example.com,local*', 'Match User root LocalAddress 127.0.0.1 LocalPort 2222', 'Match Address 127.0.0.*', 'Match Group wheel,root', 'Match User ROOT')
      : fc.constantFrom('Host example.com', 'Host *', 'Host other', 'Host !example.com *', 'Match host example.com', 'Match all', 'Match !host example.com', 'Match final', 'Match user nobody', 'User nobody', 'HostName other.org', 'HostName %h.lan', 'Match host other.org', 'Match host example.com.lan', 'Match originalhost example.com'),
  );
}
const configBody = (line: fc.Arbitrary<string>, d: Dialect) => fc.oneof(
  fc.array(keepaliveLine(d), { minLength: 1, maxLength: 12 }),
  fc.array(line, { minLength: 1, maxLength: 14 }),
).map((ls) => ls.join('\n') + '\n');

// ---------------------------------------------------------------------------------------------
// Running OpenSSH

interface Run { rc: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env, timeout: 10_000 });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ rc: code ?? -1, stdout, stderr }));
    c.on('error', () => resolve({ rc: -1, stdout, stderr }));
  });
}

function dumpValue(stdout: string, key: string): string | undefined {
  for (const l of stdout.split('\n')) {
    const sp = l.indexOf(' ');
    if (sp > 0 && l.slice(0, sp) === key) return l.slice(sp + 1);
  }
  return undefined;
}

interface Verdict { problems: string[]; refused: boolean }

function ourVerdict(a: Analysis, file: string): { refused: boolean; firstLine: number | null; errors: string } {
  const all = a.diagnostics.filter((d) => d.severity === 'error');
  const errs = all.filter((d) => d.file === file);
  const first = errs.length ? Math.min(...errs.map((d) => d.line)) + 1 : null;
  return { refused: all.length > 0, firstLine: first, errors: all.map((d) => `${d.file === file ? '' : d.file + ':'}${d.line + 1}:${d.code}`).join(',') };
}

interface Case { body: string; includes: string[] }

/** `@INC` in a body becomes an Include of this case's own inc*.conf files. */
function materialize(dir: string, prefix: string, i: number, c: Case): string {
  const incDir = join(dir, `${prefix}${i}.d`);
  mkdirSync(incDir, { mode: 0o700 });
  c.includes.forEach((b, j) => writeFileSync(join(incDir, `inc${j}.conf`), b.replace(/@INC/g, ''), { mode: 0o600 }));
  return c.body.replace(/@INC/g, `Include ${incDir}/inc*.conf`);
}

const caseOf = (line: fc.Arbitrary<string>, d: Dialect): fc.Arbitrary<Case> => fc.record({
  body: fc.tuple(configBody(line, d), fc.nat({ max: 20 }), fc.boolean()).map(([b, at, inc]) => {
    if (!inc) return b;
    const ls = b.split('\n');
    ls.splice(at % ls.length, 0, '@INC');
    return ls.join('\n');
  }),
  includes: fc.array(configBody(line, d), { minLength: 0, maxLength: 2 }),
});

/** "FILE line N: Deprecated option X" / "Unsupported option" warnings ⇔ our deprecated/unsupported diagnostics. */
function warningsAgree(stderr: string, a: Analysis, dialect: Dialect): string[] {
  const theirs = new Set<string>();
  for (const l of stderr.split(/\r?\n/)) {
    const m = /^(.*?):? line (\d+): (Deprecated|Unsupported) option/.exec(l);
    if (m) theirs.add(`${m[1]}:${m[2]}:${m[3]!.toLowerCase()}`);
  }
  const ours = new Set(a.diagnostics
    .filter((d) => d.code === 'unsupported' || (d.code === 'deprecated' && dialect === 'sshd'))
    .map((d) => `${d.file}:${d.line + 1}:${d.code}`));
  const missing = [...theirs].filter((x) => !ours.has(x));
  const extra = [...ours].filter((x) => !theirs.has(x));
  return missing.length || extra.length ? [`warnings differ: OpenSSH-only [${missing.join(', ')}], ours-only [${extra.join(', ')}]`] : [];
}

function agree(refused: boolean, stderr: string, file: string, a: Analysis, ours: ReturnType<typeof ourVerdict>, tool: string): string[] {
  const problems: string[] = [];
  if (refused !== ours.refused) problems.push(`${tool} refused=${refused} (${stderr.trim().split('\n')[0] ?? ''}) vs our errors [${ours.errors}]`);
  else if (refused) {
    const c = firstComplaint(stderr);
    if (c) {
      const hit = a.diagnostics.some((d) => d.severity === 'error' && d.file === c.file && d.line + 1 === c.line);
      const earlier = c.file === file && ours.firstLine !== null && ours.firstLine < c.line;
      if (!hit || earlier) problems.push(`first complaint ${c.file}:${c.line} (${stderr.trim().split('\n')[0]}), ours [${a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line + 1}:${d.code}`).join(', ')}]`);
    }
  }
  return problems;
}

const KEEPALIVE_KEYS = new Set(['clientaliveinterval', 'clientalivecountmax', 'serveraliveinterval', 'serveralivecountmax', 'tcpkeepalive']);

/**
 * A "duplicate-ignored" claim on a keepalive line is checked by changing that line's value:
 * OpenSSH's effective values must not move. Returns the rewritten text, or null when no claim.
 */
function mutateIgnored(text: string, a: Analysis, file: string): string | null {
  const lines = text.split('\n');
  let changed = false;
  for (const d of a.diagnostics) {
    if (d.code !== 'duplicate-ignored' || d.file !== file) continue;
    const n = a.lines[d.line];
    const name = n?.spec?.name.toLowerCase();
    if (!n?.keyword || !name || !KEEPALIVE_KEYS.has(name)) continue;
    const v = name === 'tcpkeepalive' ? ((n.args[0]?.text ?? '').toLowerCase() === 'yes' ? 'no' : 'yes') : name.endsWith('countmax') ? '7' : '777';
    lines[d.line] = `${n.keyword.text} ${v}`;
    changed = true;
  }
  return changed ? lines.join('\n') : null;
}

async function checkSshd(dir: string, key: string, c: Case, i: number): Promise<Verdict> {
  const file = join(dir, `g${i}.conf`);
  const text = `HostKey ${key}\nPidFile none\nUsePAM no\nListenAddress 127.0.0.1\n${materialize(dir, 'g', i, c)}`;
  writeFileSync(file, text, { mode: 0o600 });
  const a = analyze(text, { dialect: 'sshd', file, matchContext: { user: 'root', host: 'localhost', addr: '127.0.0.1', laddr: '127.0.0.1', lport: 2222 } });
  const ours = ourVerdict(a, file);
  const t = await run(SSHD, ['-t', '-f', file]);
  const refused = t.rc !== 0;
  const problems = agree(refused, t.stderr, file, a, ours, `sshd -t rc ${t.rc}`);
  if (!refused) {
    problems.push(...warningsAgree(t.stderr, a, 'sshd'));
    const T = await run(SSHD, ['-T', '-f', file, '-C', 'user=root,host=localhost,addr=127.0.0.1,laddr=127.0.0.1,lport=2222']);
    if (T.rc === 0) {
      const got = `${a.keepalive.interval}/${a.keepalive.countMax}/${a.keepalive.tcpKeepAlive ? 'yes' : 'no'}`;
      const want = `${dumpValue(T.stdout, 'clientaliveinterval')}/${dumpValue(T.stdout, 'clientalivecountmax')}/${dumpValue(T.stdout, 'tcpkeepalive')}`;
      if (got !== want) problems.push(`keepalive ours ${got}, sshd -T ${want}`);
      const mutated = mutateIgnored(text, a, file);
      if (mutated !== null) {
        const mf = join(dir, `g${i}-mut.conf`);
        writeFileSync(mf, mutated, { mode: 0o600 });
        const M = await run(SSHD, ['-T', '-f', mf, '-C', 'user=root,host=localhost,addr=127.0.0.1,laddr=127.0.0.1,lport=2222']);
        const after = `${dumpValue(M.stdout, 'clientaliveinterval')}/${dumpValue(M.stdout, 'clientalivecountmax')}/${dumpValue(M.stdout, 'tcpkeepalive')}`;
        if (after !== want) problems.push(`a line we call ignored is not: changing it moves sshd -T from ${want} to ${after}`);
        dupChecks++;
      }
    } else problems.push(`sshd -T rc ${T.rc} though -t passed: ${T.stderr.trim()}`);
  }
  if (problems.length) problems.push(`--- config:\n${text}${c.includes.map((b, j) => `--- inc${j}.conf:\n${b}`).join('')}`);
  return { problems, refused };
}

async function checkSsh(dir: string, home: string, c: Case, i: number): Promise<Verdict> {
  const file = join(dir, `c${i}.conf`);
  const text = materialize(dir, 'c', i, c);
  writeFileSync(file, text, { mode: 0o600 });
  const a = analyze(text, { dialect: 'ssh', file, includeBase: join(home, '.ssh'), matchContext: { user: userInfo().username, host: 'example.com' } });
  const ours = ourVerdict(a, file);
  const g = await run(SSH, ['-G', '-F', file, 'example.com'], { ...process.env, HOME: home });
  const refused = g.rc !== 0;
  const problems = agree(refused, g.stderr, file, a, ours, `ssh -G rc ${g.rc}`);
  if (!refused) {
    problems.push(...warningsAgree(g.stderr, a, 'ssh'));
    const got = `${a.keepalive.interval}/${a.keepalive.countMax}/${a.keepalive.tcpKeepAlive ? 'yes' : 'no'}`;
    const want = `${dumpValue(g.stdout, 'serveraliveinterval')}/${dumpValue(g.stdout, 'serveralivecountmax')}/${dumpValue(g.stdout, 'tcpkeepalive')}`;
    if (got !== want) problems.push(`keepalive ours ${got}, ssh -G ${want}`);
    const mutated = mutateIgnored(text, a, file);
    if (mutated !== null) {
      const mf = join(dir, `c${i}-mut.conf`);
      writeFileSync(mf, mutated, { mode: 0o600 });
      const M = await run(SSH, ['-G', '-F', mf, 'example.com'], { ...process.env, HOME: home });
      const after = `${dumpValue(M.stdout, 'serveraliveinterval')}/${dumpValue(M.stdout, 'serveralivecountmax')}/${dumpValue(M.stdout, 'tcpkeepalive')}`;
      if (after !== want) problems.push(`a line we call ignored is not: changing it moves ssh -G from ${want} to ${after}`);
      dupChecks++;
    }
  }
  if (problems.length) problems.push(`--- config:\n${text}${c.includes.map((b, j) => `--- inc${j}.conf:\n${b}`).join('')}`);
  return { problems, refused };
}

let dupChecks = 0;

function report(name: string, verdicts: Verdict[]): number {
  const bad = verdicts.filter((v) => v.problems.length);
  const rate = (verdicts.length - bad.length) / verdicts.length;
  const refused = verdicts.filter((v) => v.refused).length;
  console.log(`${name}: ${verdicts.length - bad.length}/${verdicts.length} agree (${(rate * 100).toFixed(1)}%; OpenSSH refused ${refused}; duplicate claims re-checked ${dupChecks}), seed ${SEED}`);
  dupChecks = 0;
  for (const b of bad.slice(0, 10)) console.log(`  DISAGREE ${b.problems.join('\n  ')}`);
  return rate;
}

const haveRoot = process.getuid?.() === 0;

test('generated sshd_config files: analysis ⇔ sshd -t / sshd -T', { timeout: 120_000 }, async (t) => {
  if (!existsSync(SSHD) || !haveRoot) { t.skip('needs /usr/sbin/sshd and root'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'linger-gen-'));
  chmodSync(dir, 0o700);
  try {
    const key = join(dir, 'hostkey');
    const kg = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key], { stdio: 'ignore' });
    assert.equal(kg.status, 0, 'ssh-keygen failed');
    chmodSync(key, 0o600);
    const bodies = fc.sample(caseOf(withWild(sshdLine, 'sshd'), 'sshd'), { numRuns: RUNS, seed: SEED });
    const verdicts = await pool(bodies, CONCURRENCY, (b, i) => checkSshd(dir, key, b, i));
    const rate = report('sshd', verdicts);
    assert.equal(rate, 1, 'every generated sshd_config must agree with sshd');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generated ssh_config files: analysis ⇔ ssh -G', { timeout: 120_000 }, async (t) => {
  if (!existsSync(SSH)) { t.skip('needs /usr/bin/ssh'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'linger-genc-'));
  chmodSync(dir, 0o700);
  const home = join(dir, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  try {
    const bodies = fc.sample(caseOf(withWild(sshLine, 'ssh'), 'ssh'), { numRuns: RUNS, seed: SEED + 1 });
    const verdicts = await pool(bodies, CONCURRENCY, (b, i) => checkSsh(dir, home, b, i));
    const rate = report('ssh', verdicts);
    assert.equal(rate, 1, 'every generated ssh_config must agree with ssh -G');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
