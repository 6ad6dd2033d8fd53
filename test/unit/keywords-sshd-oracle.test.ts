// The sshd keyword table and validators against the real oracle: OpenSSH 9.2p1 `sshd -t` / `-T`.
// Each config is the base of sshd-rig.md 2c in the team notes (../shared/notes) (Port / ListenAddress / HostKey
// 0600 / PidFile none / UsePAM no) plus the lines under test; the first added line is line 6.
// Skipped where /usr/sbin/sshd is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keywordsFor, lookupKeyword } from '../../core/sshconfig/keywords/index';
import { assembleProblem, validateArgs, type ValueProblem } from '../../core/sshconfig/values';
import { checkLine, splitTestLine } from '../support/validate-line';

const SSHD = '/usr/sbin/sshd';
const have = existsSync(SSHD) && existsSync('/usr/bin/ssh-keygen');
const skip = have ? false : 'sshd not installed';

const split = splitTestLine;
const check = (line: string): ValueProblem | null => checkLine('sshd', line);

let dir = '';
let n = 0;
function setup(): void {
  if (dir) return;
  dir = mkdtempSync(join(tmpdir(), 'linger-kw-sshd-'));
  const r = spawnSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'hk')]);
  assert.equal(r.status, 0, String(r.stderr));
  // sshd -t insists on the privilege-separation directory.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
}
function sshd(lines: string[], extra: string[] = ['-t']): { rc: number; err: string; out: string } {
  setup();
  const f = join(dir, `c${n++}.conf`);
  const base = ['Port 2222', 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'hk')}`, 'PidFile none', 'UsePAM no'];
  writeFileSync(f, [...base, ...lines].join('\n') + '\n', { mode: 0o600 });
  const r = spawnSync(SSHD, [...extra, '-f', f], { encoding: 'utf8', timeout: 10_000 });
  return { rc: r.status ?? -1, err: r.stderr, out: r.stdout };
}
process.on('exit', () => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** A valid value for every active sshd keyword (Port, ListenAddress, HostKey, PidFile, UsePAM are in the base). */
const SAMPLES: Record<string, string> = {
  AcceptEnv: 'LANG LC_*', AddressFamily: 'any', AllowAgentForwarding: 'yes', AllowGroups: 'root',
  AllowStreamLocalForwarding: 'local', AllowTcpForwarding: 'remote', AllowUsers: 'root@127.0.0.0/8 admin',
  AuthenticationMethods: 'publickey', AuthorizedKeysCommand: '/usr/bin/true %u',
  AuthorizedKeysCommandUser: 'nobody', AuthorizedKeysFile: '.ssh/authorized_keys .ssh/authorized_keys2',
  AuthorizedPrincipalsCommand: 'none', AuthorizedPrincipalsCommandUser: 'nobody', AuthorizedPrincipalsFile: 'none',
  Banner: 'none', CASignatureAlgorithms: 'ssh-ed25519,rsa-sha2-512', ChannelTimeout: 'session=5m agent-connection=1h',
  ChrootDirectory: 'none', Ciphers: '+aes128-cbc', ClientAliveCountMax: '5', ClientAliveInterval: '1m30s',
  Compression: 'delayed', DebianBanner: 'no', DenyGroups: 'nogroup', DenyUsers: 'baduser', DisableForwarding: 'no',
  DSAAuthentication: 'yes', ExposeAuthInfo: 'yes', FingerprintHash: 'md5', ForceCommand: '/bin/echo hi there',
  GatewayPorts: 'clientspecified', GSSAPIAuthentication: 'no', GSSAPICleanupCredentials: 'yes',
  GSSAPIKeyExchange: 'no', GSSAPIKexAlgorithms: 'gss-curve25519-sha256-,gss-group14-sha256-',
  GSSAPIStoreCredentialsOnRekey: 'no', GSSAPIStrictAcceptorCheck: 'yes', HostbasedAcceptedAlgorithms: '-ssh-rsa*',
  HostbasedAuthentication: 'no', HostbasedUsesNameFromPacketOnly: 'no', HostCertificate: '/nonexistent/cert.pub',
  HostKeyAgent: 'none', HostKeyAlgorithms: '^ssh-ed25519', IgnoreRhosts: 'shosts-only', IgnoreUserKnownHosts: 'yes',
  Include: '/nonexistent/dir/*.conf', IPQoS: 'af21 cs1', KbdInteractiveAuthentication: 'no',
  KerberosAuthentication: 'no', KerberosOrLocalPasswd: 'yes', KerberosTicketCleanup: 'yes',
  KexAlgorithms: '-diffie-hellman-group14-sha256', LoginGraceTime: '2m', LogLevel: 'verbose',
  LogVerbose: 'kex.c:*:1000', MACs: 'hmac-sha2-256,hmac-sha2-512', MaxAuthTries: '3', MaxSessions: '4',
  MaxStartups: '10:30:60', ModuliFile: '/etc/ssh/moduli', PasswordAuthentication: 'no', PermitEmptyPasswords: 'no',
  PermitListen: '127.0.0.1:8080 9090', PermitOpen: 'localhost:80 [::1]:443', PermitRootLogin: 'prohibit-password',
  PermitTTY: 'yes', PermitTunnel: 'point-to-point', PermitUserEnvironment: 'LANG,LC_*', PermitUserRC: 'yes',
  PerSourceMaxStartups: 'none', PerSourceNetBlockSize: '24:56', PrintLastLog: 'no', PrintMotd: 'no',
  PubkeyAcceptedAlgorithms: '+ssh-rsa', PubkeyAuthentication: 'yes', PubkeyAuthOptions: 'touch-required verify-required',
  RekeyLimit: '1G 1h', RequiredRSASize: '2048', RevokedKeys: 'none', SecurityKeyProvider: 'internal',
  SetEnv: 'FOO=bar BAZ=1', StreamLocalBindMask: '0177', StreamLocalBindUnlink: 'yes', StrictModes: 'yes',
  Subsystem: 'sftp internal-sftp -l INFO', SyslogFacility: 'LOCAL3', TCPKeepAlive: 'no', TrustedUserCAKeys: 'none',
  UnusedConnectionTimeout: 'none', UseDNS: 'no', VersionAddendum: 'none', X11DisplayOffset: '10',
  X11Forwarding: 'yes', X11UseLocalhost: 'yes', XAuthLocation: '/usr/bin/xauth',
};
const IN_BASE = new Set(['Port', 'ListenAddress', 'HostKey', 'PidFile', 'UsePAM']);
/** Keywords whose every use sshd rejects on this build, or that are not value lines. */
const NOT_BATCHED = new Set(['RDomain', 'Match']);

/** Lines sshd accepts that a careless validator might reject (false-positive guards). */
const TRICKY_OK = [
  'ClientAliveInterval 0', 'LoginGraceTime 1h30m', 'ListenAddress [::1]:2223', 'ListenAddress ::1',
  'ListenAddress 127.0.0.2:ssh', 'Port ssh', 'MaxStartups 10abc', 'MaxStartups 5', 'StreamLocalBindMask 0177junk',
  'RekeyLimit default none', 'RekeyLimit 1.5G 30m', 'RekeyLimit 0', 'Ciphers aes128-ctr,,bogus', 'IPQoS 0x10 8',
  'PermitOpen any', 'PermitListen *:8080', 'PermitOpen *:22', 'MaxAuthTries +3', 'PerSourceNetBlockSize 32',
  'HostKeyAlgorithms ssh-ed25519*', 'PubkeyAcceptedAlgorithms rsa-sha2-256,webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'AuthenticationMethods any', 'AuthenticationMethods gssapi-keyex none',
  'LogVerbose none', 'ChannelTimeout none', 'ChannelTimeout session=5 none', 'UnusedConnectionTimeout 10m', 'FingerprintHash SHA512',
  'PermitRootLogin WITHOUT-PASSWORD', 'X11Forwarding YES', 'SyslogFacility authpriv', 'LogLevel debug3',
  'AllowUsers *@foo* a@!10.0.0.0/8', 'PermitUserEnvironment no', 'VersionAddendum hello world',
  'Protocol 2,1', 'UsePrivilegeSeparation sandbox', 'KeyRegenerationInterval bogus', 'KerberosGetAFSToken yes',
  'GSSUseSessionCCache yes', 'PermitBlacklistedKeys yes',
];

/** [line, OpenSSH's message]: sshd -t must fail with exactly this, and validateArgs must agree. */
const BAD: Array<[string, string]> = [
  ['ClientAliveInterval abc', 'invalid time value.'],
  ['ClientAliveInterval 5 6', 'keyword ClientAliveInterval extra arguments at end of line'],
  ['clientaliveinterval 5 6', 'keyword clientaliveinterval extra arguments at end of line'],
  ['ClientAliveInterval -5', 'invalid time value.'],
  ['LoginGraceTime 5x', 'invalid time value.'],
  ['PermitRootLogin maybe', 'unsupported option "maybe".'],
  ['Compression maybe', 'unsupported option "maybe".'],
  ['X11Forwarding true', 'unsupported option "true".'],
  ['X11Forwarding yes no', 'keyword X11Forwarding extra arguments at end of line'],
  ['Port 0', 'Badly formatted port number.'],
  ['Port 65536', 'Badly formatted port number.'],
  ['Port nosuchservice', 'Badly formatted port number.'],
  ['ListenAddress 127.0.0.1:99999', 'bad port number'],
  ['ListenAddress [::1', 'bad address:port usage'],
  ['ListenAddress 10.0.0.0/24', 'bad address:port usage'],
  ['ListenAddress 127.0.0.1 foo', 'bad ListenAddress syntax'],
  ['ListenAddress 127.0.0.1 rdomain vrf0', 'bad routing domain'],
  ['Ciphers aes128-ctr,bogus', "Bad SSH2 cipher spec 'aes128-ctr,bogus'."],
  ['Ciphers aes128-CTR', "Bad SSH2 cipher spec 'aes128-CTR'."],
  ['Ciphers none', "Bad SSH2 cipher spec 'none'."],
  ['MACs hmac-sha3', "Bad SSH2 mac spec 'hmac-sha3'."],
  ['KexAlgorithms +bogus', "Bad SSH2 KexAlgorithms '+bogus'."],
  ['KexAlgorithms ext-info-c', "Bad SSH2 KexAlgorithms 'ext-info-c'."],
  ['HostKeyAlgorithms bogus*', "Bad key types 'bogus*'."],
  ['CASignatureAlgorithms ssh-rsa,foo', "Bad key types 'ssh-rsa,foo'."],
  ['GSSAPIKexAlgorithms foo', "Bad GSSAPI KexAlgorithms 'foo'."],
  ['ClientAliveCountMax -1', 'ClientAliveCountMax integer value too small.'],
  ['MaxAuthTries 3x', 'MaxAuthTries integer value invalid.'],
  ['MaxSessions 99999999999', 'MaxSessions integer value too large.'],
  ['MaxStartups 10:30', 'Invalid MaxStartups spec.'],
  ['MaxStartups 10:0:60', 'Invalid MaxStartups spec.'],
  ['MaxStartups 70:30:60', 'Invalid MaxStartups spec.'],
  ['MaxStartups abc', 'Invalid MaxStartups spec.'],
  ['PerSourceNetBlockSize 33', 'Invalid PerSourceNetBlockSize spec.'],
  ['PerSourceNetBlockSize 24:129', 'Invalid PerSourceNetBlockSize spec.'],
  ['PerSourceMaxStartups x', 'PerSourceMaxStartups integer value invalid.'],
  ['RekeyLimit 10', 'RekeyLimit too small'],
  ['RekeyLimit 1X', "Bad RekeyLimit number '1X': Invalid argument"],
  ['RekeyLimit 1G soon', 'invalid time value.'],
  ['RekeyLimit 1G 1h x', 'keyword RekeyLimit extra arguments at end of line'],
  ['LogLevel LOUD', "unsupported log level 'LOUD'"],
  ['SyslogFacility LOCAL9', "unsupported log facility 'LOCAL9'"],
  ['LogVerbose a none', 'keyword LogVerbose "none" argument must appear alone.'],
  ['AllowUsers a@10.0.0.1/8', 'invalid AllowUsers pattern: "a@10.0.0.1/8"'],
  ['DenyUsers ok a@10.0.0.0/8,,', 'invalid DenyUsers pattern: "a@10.0.0.0/8,,"'],
  ['AcceptEnv FOO=1', 'Invalid environment name.'],
  ['SetEnv FOO', 'Invalid environment.'],
  ['PermitTunnel Yes', 'bad PermitTunnel argument Yes'],
  ['PermitOpen host', 'PermitOpen bad port number'],
  ['PermitOpen host/22', 'PermitOpen missing host'],
  ['PermitOpen host:22 any', 'PermitOpen bad port number'],
  ['PermitListen 0', 'PermitListen bad port number'],
  ['PermitOpen any none', 'keyword PermitOpen extra arguments at end of line'],
  ['AuthorizedKeysCommand usr/bin/x', 'AuthorizedKeysCommand must be an absolute path'],
  ['AuthorizedKeysCommand "/usr/bin/x"', 'AuthorizedKeysCommand must be an absolute path'],
  ['AuthenticationMethods publickey any', '"any" must appear alone in AuthenticationMethods'],
  ['AuthenticationMethods publickey,bogus', 'invalid AuthenticationMethods method list.'],
  ['AuthenticationMethods publickey,,password', 'invalid AuthenticationMethods method list.'],
  ['StreamLocalBindMask 999', 'Invalid StreamLocalBindMask.'],
  ['StreamLocalBindMask 01777', 'Invalid StreamLocalBindMask.'],
  ['FingerprintHash sha3', 'Invalid FingerprintHash algorithm "sha3".'],
  ['IPQoS af99', 'Bad IPQoS value: af99'],
  ['IPQoS af11 256', 'Bad IPQoS value: 256'],
  ['ChannelTimeout session', 'invalid channel timeout session'],
  ['ChannelTimeout "=5"', 'invalid channel timeout =5'],
  ['ChannelTimeout none session=5', 'keyword ChannelTimeout "none" argument must appear alone.'],
  ['UnusedConnectionTimeout soon', 'invalid time value.'],
  ['PubkeyAuthOptions bogus', 'unsupported PubkeyAuthOptions option bogus'],
  ['Subsystem sftp', 'Missing subsystem command.'],
  ['RDomain none', 'setting RDomain not supported on this platform.'],
  ['Banner', 'no argument after keyword "Banner"'],
  ['Protocol', 'no argument after keyword "Protocol"'],
  ['Banner ""', 'missing file name.'],
  ['Banner a b', 'keyword Banner extra arguments at end of line'],
  ['ChrootDirectory ""', 'ChrootDirectory missing argument.'],
  ['Match User', 'Missing Match criteria for User'],
  ['Match Bogus x', 'Unsupported Match attribute Bogus'],
  ['Match All User x', "'all' cannot be combined with other Match attributes"],
  ['Match User x All', "'all' cannot be combined with other Match attributes"],
  ['Match Address 10.0.0.1/8', "Invalid Match address argument '10.0.0.1/8'"],
  ['Match LocalAddress 10.0.0.0/8,', "Invalid Match localaddress argument '10.0.0.0/8,'"],
  ['Match LocalPort abc', "Invalid LocalPort 'abc' on Match line"],
];

test('every active sshd keyword has a sample, sshd -t accepts all samples, validateArgs too', { skip }, () => {
  const lines: string[] = [];
  for (const spec of keywordsFor('sshd')) {
    if (IN_BASE.has(spec.name) || NOT_BATCHED.has(spec.name)) continue;
    if (spec.status !== 'active') continue;
    const v = SAMPLES[spec.name];
    assert.ok(v !== undefined, `no sample for ${spec.name}`);
    lines.push(`${spec.name} ${v}`);
  }
  const r = sshd(lines);
  assert.equal(r.rc, 0, r.err);
  for (const l of lines) assert.equal(check(l), null, `validateArgs rejects "${l}"`);
});

test('keywords allowed in Match are accepted inside Match; the others are refused there', { skip }, () => {
  const inMatch: string[] = [];
  for (const spec of keywordsFor('sshd')) {
    if (spec.name === 'Match' || spec.name === 'RDomain') continue;
    const value = SAMPLES[spec.name] ?? 'yes';
    if (spec.match) inMatch.push(`${spec.name} ${value}`);
    else {
      const r = sshd(['Match User nobody', `  ${spec.name} ${value}`]);
      assert.match(r.err, new RegExp(`line 7: Directive '${spec.name}' is not allowed within a Match block`), spec.name);
    }
  }
  const r = sshd(['Match User nobody', ...inMatch]);
  assert.equal(r.rc, 0, r.err);
});

test('aliases and odd spellings are accepted by sshd as the table says', { skip }, () => {
  const lines: string[] = [];
  for (const spec of keywordsFor('sshd')) {
    for (const a of spec.aliases ?? []) {
      if (IN_BASE.has(spec.name)) continue;
      lines.push(`${a.toUpperCase()} ${SAMPLES[spec.name] ?? 'yes'}`);
    }
  }
  const r = sshd(lines);
  assert.equal(r.rc, 0, r.err);
  assert.doesNotMatch(r.err, /Bad configuration option/);
});

test('deprecated / unsupported / ignored keywords warn exactly as the status says (rc 0)', { skip }, () => {
  for (const spec of keywordsFor('sshd')) {
    if (spec.status === 'active') continue;
    const r = sshd([`${spec.name} whatever`]);
    assert.equal(r.rc, 0, `${spec.name}: ${r.err}`);
    if (spec.status === 'deprecated') assert.match(r.err, new RegExp(`line 6: Deprecated option ${spec.name}`));
    if (spec.status === 'unsupported') assert.match(r.err, new RegExp(`line 6: Unsupported option ${spec.name}`));
    if (spec.status === 'ignored') assert.equal(r.err.trim(), '', spec.name);
  }
});

test('tricky valid values: sshd -t accepts them and so does validateArgs', { skip }, () => {
  for (const l of TRICKY_OK) {
    const r = sshd([l]);
    assert.equal(r.rc, 0, `sshd rejects "${l}": ${r.err}`);
    assert.equal(check(l), null, `validateArgs rejects "${l}"`);
  }
  for (const l of ['Match Address foo*', 'Match Address 10.0.0.0/x', 'Match all', 'Match User a,b Host *.example.com LocalPort ssh']) {
    const r = sshd([l]);
    assert.equal(r.rc, 0, `sshd rejects "${l}": ${r.err}`);
    assert.equal(check(l), null, `validateMatch rejects "${l}"`);
  }
});

test('invalid values: sshd -t and validateArgs reject them with the same message', { skip }, () => {
  for (const [line, msg] of BAD) {
    const r = sshd([line]);
    assert.notEqual(r.rc, 0, `sshd accepts "${line}"`);
    assert.ok(r.err.includes(msg), `sshd says ${JSON.stringify(r.err)} for "${line}", expected ${msg}`);
    const p = check(line);
    assert.ok(p, `validateArgs accepts "${line}"`);
    assert.equal(p.message, msg, line);
  }
});

test('every keyword sshd -T prints is in the table, spelled the same', { skip }, () => {
  const r = sshd([], ['-T', '-C', 'user=root,host=localhost,addr=127.0.0.1']);
  assert.equal(r.rc, 0, r.err);
  const printed = new Set(r.out.split('\n').filter(Boolean).map((l) => l.split(' ')[0]!));
  assert.ok(printed.size > 80);
  for (const k of printed) {
    const spec = lookupKeyword('sshd', k);
    assert.ok(spec, `sshd -T prints ${k}, missing from the table`);
    assert.equal(spec.name.toLowerCase(), k, `canonical spelling of ${k}`);
  }
});

test('defaults in the table are what sshd -T prints', { skip }, () => {
  setup();
  const f = join(dir, 'min.conf');
  writeFileSync(f, `HostKey ${join(dir, 'hk')}\n`, { mode: 0o600 });
  const r = spawnSync(SSHD, ['-T', '-f', f], { encoding: 'utf8' });
  const printed = new Map<string, string>();
  for (const l of r.stdout.split('\n').filter(Boolean)) {
    const [k, ...v] = l.split(' ');
    printed.set(k!, printed.has(k!) ? `${printed.get(k!)} ${v.join(' ')}` : v.join(' '));
  }
  for (const spec of keywordsFor('sshd')) {
    if (spec.default === undefined || !printed.has(spec.name.toLowerCase())) continue;
    if (spec.name === 'ListenAddress') continue; // printed per address, order differs
    assert.equal(spec.default, printed.get(spec.name.toLowerCase()), spec.name);
  }
});

test('algorithm lists refused when assembled: sshd -t and assembleProblem agree', { skip }, () => {
  const cases = [
    'HostKeyAlgorithms !ssh-rsa', 'HostKeyAlgorithms ssh-ed25519,!ssh-rsa', 'PubkeyAcceptedAlgorithms +!ssh-rsa',
    'KexAlgorithms gss-gex-sha1-x', 'KexAlgorithms gss-gex-sha1-x,curve25519-sha256', 'CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com',
    'CASignatureAlgorithms ssh-ed25519*', 'HostbasedAcceptedAlgorithms ssh-rsa-cert*', 'Ciphers -*', 'KexAlgorithms -*',
    'HostKeyAlgorithms +ssh-dss', 'PubkeyAcceptedAlgorithms ^rsa-sha2-512', 'MACs hmac-sha1', 'CASignatureAlgorithms ecdsa*,*-cert-v01@openssh.com',
  ];
  for (const line of cases) {
    const r = sshd([line]);
    const { keyword, args } = split(line);
    const spec = lookupKeyword('sshd', keyword)!;
    assert.equal(validateArgs('sshd', spec, args, keyword), null, line);
    const p = assembleProblem('sshd', spec, args);
    if (r.rc === 0) assert.equal(p, null, `${line}: sshd accepts, we say ${p?.message}`);
    else {
      assert.ok(p, `${line}: sshd refuses (${r.err.trim()}), we accept`);
      assert.ok(r.err.includes(p.message), `${line}: ${r.err} vs ${p.message}`);
    }
  }
});

test('which line wins: sshd -T shows the first value, or the last one where the table says lastWins', { skip }, () => {
  const pairs: Record<string, [string, string]> = {
    MaxStartups: ['10:30:60', '5:30:50'], PerSourceMaxStartups: ['5', '7'], PerSourceNetBlockSize: ['24', '16'],
    IPQoS: ['af11', 'af21'], StreamLocalBindMask: ['0111', '0222'], FingerprintHash: ['md5', 'sha256'],
    ClientAliveInterval: ['7', '9'], LogLevel: ['VERBOSE', 'ERROR'], Ciphers: ['aes128-ctr', 'aes256-ctr'],
    SyslogFacility: ['LOCAL1', 'LOCAL2'], MaxAuthTries: ['3', '4'], Banner: ['/etc/a', '/etc/b'],
  };
  const lines = Object.entries(pairs).flatMap(([k, [a, b]]) => [`${k} ${a}`, `${k} ${b}`]);
  const r = sshd(lines, ['-T', '-C', 'user=root,host=localhost,addr=127.0.0.1']);
  assert.equal(r.rc, 0, r.err);
  const shown = new Map(r.out.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!, l.slice(l.indexOf(' ') + 1)]));
  for (const [k, [a, b]] of Object.entries(pairs)) {
    const spec = lookupKeyword('sshd', k)!;
    const want = spec.lastWins ? b : a;
    const got = shown.get(k.toLowerCase())!;
    assert.ok(got.toLowerCase().startsWith(want.toLowerCase()), `${k}: sshd -T shows "${got}", table expects ${want}`);
  }
});

test('which line wins, for every yes/no, number and time keyword sshd -T prints', { skip }, () => {
  const pairFor = (kind: string): [string, string] | null =>
    kind === 'yesno' ? ['yes', 'no'] : kind === 'int' ? ['3', '4'] : kind === 'time' ? ['7', '9'] : null;
  const lines: string[] = [];
  const expect: Array<[string, string]> = [];
  for (const spec of keywordsFor('sshd')) {
    const pair = pairFor(spec.value.kind);
    if (!pair || spec.status !== 'active' || IN_BASE.has(spec.name) || spec.aliasOf) continue;
    lines.push(`${spec.name} ${pair[0]}`, `${spec.name} ${pair[1]}`);
    expect.push([spec.name.toLowerCase(), spec.lastWins ? pair[1] : pair[0]]);
  }
  const r = sshd(lines, ['-T', '-C', 'user=root,host=localhost,addr=127.0.0.1']);
  assert.equal(r.rc, 0, r.err);
  const shown = new Map(r.out.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!, l.slice(l.indexOf(' ') + 1)]));
  let checked = 0;
  for (const [k, want] of expect) {
    if (!shown.has(k)) continue;
    checked++;
    assert.equal(shown.get(k), want, k);
  }
  assert.ok(checked >= 30, `only ${checked} checked`);
});
