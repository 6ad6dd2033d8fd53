// The ssh_config keyword table and validators against the real oracle: OpenSSH 9.2p1
// `ssh -G -F FILE example.com` (prints the resolved config and exits; never connects).
// No `Match exec` here: -G would run the command. Skipped where /usr/bin/ssh is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keywordsFor, lookupKeyword } from '../../core/sshconfig/keywords/index';
import { assembleProblem, validateArgs, type ValueProblem } from '../../core/sshconfig/values';
import { checkLine, splitTestLine } from '../support/validate-line';

const SSH = '/usr/bin/ssh';
const skip = existsSync(SSH) ? false : 'ssh not installed';

const split = splitTestLine;
const check = (line: string): ValueProblem | null => checkLine('ssh', line);

let dir = '';
let n = 0;
function ssh(lines: string[]): { rc: number; err: string; out: string } {
  if (!dir) dir = mkdtempSync(join(tmpdir(), 'linger-kw-ssh-'));
  const f = join(dir, `c${n++}.conf`);
  writeFileSync(f, lines.join('\n') + '\n', { mode: 0o600 });
  const r = spawnSync(SSH, ['-G', '-F', f, 'example.com'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const err = r.stderr.split('\n').filter((l) => !l.startsWith('Pseudo-terminal will not be allocated')).join('\n');
  return { rc: r.status ?? -1, err, out: r.stdout };
}
process.on('exit', () => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const SAMPLES: Record<string, string> = {
  AddKeysToAgent: 'confirm 5m', AddressFamily: 'inet', BatchMode: 'yes', BindAddress: '127.0.0.1', BindInterface: 'lo',
  CanonicalDomains: 'example.com example.org', CanonicalizeFallbackLocal: 'no', CanonicalizeHostname: 'no',
  CanonicalizeMaxDots: '2', CanonicalizePermittedCNAMEs: '*.a.example.com:*.b.example.com',
  CASignatureAlgorithms: 'ssh-ed25519', CertificateFile: '~/.ssh/id_ed25519-cert.pub', CheckHostIP: 'no',
  Ciphers: '^aes256-gcm@openssh.com', ClearAllForwardings: 'yes', Compression: 'yes', ConnectionAttempts: '2',
  ConnectTimeout: '10', ControlMaster: 'auto', ControlPath: '~/.ssh/cm-%C', ControlPersist: '10m',
  DynamicForward: '127.0.0.1:1080', EnableEscapeCommandline: 'yes', EnableSSHKeysign: 'no', EscapeChar: '^A',
  ExitOnForwardFailure: 'yes', FingerprintHash: 'sha256', ForkAfterAuthentication: 'no', ForwardAgent: 'yes',
  ForwardX11: 'no', ForwardX11Timeout: '20m', ForwardX11Trusted: 'no', GatewayPorts: 'no',
  GlobalKnownHostsFile: '/etc/ssh/ssh_known_hosts /etc/ssh/extra', GSSAPIAuthentication: 'no',
  GSSAPIClientIdentity: 'user@REALM', GSSAPIDelegateCredentials: 'no', GSSAPIKeyExchange: 'no',
  GSSAPIKexAlgorithms: 'gss-curve25519-sha256-', GSSAPIRenewalForcesRekey: 'no', GSSAPIServerIdentity: 'host@REALM',
  GSSAPITrustDns: 'no', HashKnownHosts: 'yes', HostbasedAcceptedAlgorithms: '+ssh-rsa', HostbasedAuthentication: 'no',
  HostKeyAlgorithms: 'ssh-ed25519,rsa-sha2-512', HostKeyAlias: 'myalias', Hostname: '127.0.0.1', IdentitiesOnly: 'yes',
  IdentityAgent: 'none', IdentityFile: '~/.ssh/id_ed25519', IgnoreUnknown: 'Foo*', Include: '/nonexistent/*.conf',
  IPQoS: 'lowdelay throughput', KbdInteractiveAuthentication: 'no', KbdInteractiveDevices: 'pam',
  KexAlgorithms: '-diffie-hellman-group14-sha256', KnownHostsCommand: '/bin/true %H', LocalCommand: 'echo hi',
  LocalForward: '8080 127.0.0.1:80', LogLevel: 'ERROR', LogVerbose: 'kex.c:*:1000', MACs: 'hmac-sha2-256',
  NoHostAuthenticationForLocalhost: 'yes', NumberOfPasswordPrompts: '2', PasswordAuthentication: 'no',
  PermitLocalCommand: 'no', PermitRemoteOpen: '127.0.0.1:8080 *:22', PKCS11Provider: 'none', Port: '2222',
  PreferredAuthentications: 'publickey,password', ProxyCommand: 'none', ProxyJump: 'none', ProxyUseFdpass: 'no',
  PubkeyAcceptedAlgorithms: '-ssh-rsa', PubkeyAuthentication: 'host-bound', RekeyLimit: '1G 1h',
  RemoteCommand: 'none', RemoteForward: '9000 localhost:22', RequestTTY: 'force', RequiredRSASize: '2048',
  RevokedHostKeys: '/nonexistent/revoked', SecurityKeyProvider: 'internal', SendEnv: 'LANG LC_* -FOO',
  ServerAliveCountMax: '3', ServerAliveInterval: '30', SessionType: 'default', SetEnv: 'FOO=bar', StdinNull: 'no',
  StreamLocalBindMask: '0177', StreamLocalBindUnlink: 'no', StrictHostKeyChecking: 'accept-new',
  SyslogFacility: 'USER', TCPKeepAlive: 'yes', Tunnel: 'no', TunnelDevice: 'any:any', UpdateHostKeys: 'ask',
  User: 'someone', UserKnownHostsFile: 'none', VerifyHostKeyDNS: 'ask', VisualHostKey: 'no',
  XAuthLocation: '/usr/bin/xauth',
};

const TRICKY_OK = [
  'ConnectTimeout none', 'ServerAliveInterval none', 'ServerAliveInterval 0', 'ForwardX11 true', 'EscapeChar none',
  'EscapeChar ~', 'AddKeysToAgent 1h', 'AddKeysToAgent confirm', 'RemoteForward 8080', 'RemoteForward [::1]:8080 /tmp/sock',
  'LocalForward /tmp/a.sock /tmp/b.sock', 'DynamicForward 1080', 'LocalForward 8080 [::1]:80', 'LocalForward 127.0.0.1:8080 host:80',
  'TunnelDevice 0:1', 'TunnelDevice any', 'ControlPersist 600', 'ControlPersist yes', 'PubkeyAuthentication unbound',
  'ProtocolKeepAlives 5', 'SetupTimeout 5', 'CanonicalDomains none', 'CanonicalizePermittedCNAMEs none', 'IPQoS 0x20',
  'ForwardAgent ~/.ssh/agent.sock', 'StreamLocalBindMask 0', 'Tunnel ethernet', 'Port ssh', 'Ciphers aes128-ctr,,bogus',
  'UserKnownHostsFile none', 'PermitRemoteOpen any', 'LogLevel debug3', 'IdentityAgent SSH_AUTH_SOCK', 'StrictHostKeyChecking off',
  'Host a !b *.c', 'Match canonical all', 'Match !host foo user bar', 'Match originalhost x localuser y', 'Match final',
  'Match all', 'Match host x !all', 'CompressionLevel 9', 'Cipher blowfish', 'UseRoaming no', 'Protocol 1', 'RSAAuthentication yes',
];

const BAD: Array<[string, string]> = [
  ['ServerAliveInterval 5 6', 'keyword serveraliveinterval extra arguments at end of line'],
  ['ServerAliveInterval abc', 'invalid time value.'],
  ['ServerAliveCountMax x', 'integer value invalid.'],
  ['ConnectionAttempts -1', 'integer value too small.'],
  ['ForwardX11 maybe', 'unsupported option "maybe".'],
  ['Compression delayed', 'unsupported option "delayed".'],
  ['StrictHostKeyChecking sometimes', 'unsupported option "sometimes".'],
  ['Port 0', "Bad port '0'."],
  ['Ciphers foo', "Bad SSH2 cipher spec 'foo'."],
  ['MACs foo', "Bad SSH2 MAC spec 'foo'."],
  ['KexAlgorithms foo', "Bad SSH2 KexAlgorithms 'foo'."],
  ['HostKeyAlgorithms foo', "Bad key types 'foo'."],
  ['GSSAPIKexAlgorithms foo', "Bad GSSAPI KexAlgorithms 'foo'."],
  ['LogLevel LOUD', "unsupported log level 'LOUD'"],
  ['SyslogFacility FOO', "unsupported log facility 'FOO'"],
  ['LocalForward 8080', 'Missing target argument.'],
  ['LocalForward 8080 host', 'Bad forwarding specification.'],
  ['LocalForward 0 host:80', 'Bad forwarding specification.'],
  ['DynamicForward host:1080:x', 'Bad forwarding specification.'],
  ['RemoteForward 8080 host:0', 'Bad forwarding specification.'],
  ['EscapeChar ab', 'Bad escape character.'],
  ['SendEnv A=B', 'Invalid environment name.'],
  ['SetEnv FOO', 'Invalid SetEnv.'],
  ['ControlPersist maybe', 'Bad ControlPersist argument.'],
  ['TunnelDevice x', 'Bad tun device.'],
  ['IPQoS foo', 'Bad IPQoS value: foo'],
  ['CanonicalDomains -bad', 'domain name "-bad" starts with invalid character'],
  ['CanonicalDomains a..b', 'domain name "a..b" contains consecutive separators'],
  ['CanonicalizePermittedCNAMEs foo', 'Invalid permitted CNAME "foo"'],
  ['StreamLocalBindMask 9', 'Bad mask.'],
  ['FingerprintHash sha3', 'Invalid hash algorithm "sha3".'],
  ['RekeyLimit 10', 'RekeyLimit too small'],
  ['RekeyLimit 1X', "Bad number '1X': Invalid argument"],
  ['AddKeysToAgent maybe', 'unsupported option'],
  ['AddKeysToAgent confirm soon', 'invalid time value.'],
  ['AddKeysToAgent yes 5m', 'unsupported option'],
  ['IdentityAgent $1bad-', 'Invalid environment name $1bad-.'],
  ['UserKnownHostsFile a none', 'keyword userknownhostsfile "none" argument must appear alone.'],
  ['LogVerbose none x', 'keyword logverbose "none" argument must appear alone.'],
  ['PermitRemoteOpen any none', 'keyword permitremoteopen "any" argument must appear alone.'],
  ['PermitRemoteOpen foo', 'bad port number in permitremoteopen'],
  ['PermitRemoteOpen host/22', 'missing host in permitremoteopen'],
  ['Host a ""', 'keyword host empty argument'],
  ['IdentityFile ""', 'Missing argument.'],
  ['User', 'no argument after keyword "user"'],
  ['Match', 'no argument after keyword "match"'],
  ['Match host', 'Missing Match criteria for host'],
  ['Match bogus x', 'Unsupported Match attribute bogus'],
  ['Match all host x', "'all' cannot be combined with other Match attributes"],
  ['Match canonical final all', "'all' cannot be combined with other Match attributes"],
  ['Match host x user y !all', "'!all' cannot be combined with other Match attributes"],
];

test('every active ssh keyword has a sample; ssh -G accepts them all, validateArgs too', { skip }, () => {
  const lines: string[] = [];
  for (const spec of keywordsFor('ssh')) {
    if (spec.status !== 'active' || spec.name === 'Host' || spec.name === 'Match') continue;
    const v = SAMPLES[spec.name];
    assert.ok(v !== undefined, `no sample for ${spec.name}`);
    lines.push(`${spec.name} ${v}`);
  }
  const r = ssh(lines);
  assert.equal(r.rc, 0, r.err);
  for (const l of lines) assert.equal(check(l), null, `validateArgs rejects "${l}"`);
});

test('every spelling in the table is known to ssh (upper-case too)', { skip }, () => {
  const lines: string[] = [];
  for (const spec of keywordsFor('ssh')) {
    if (spec.name === 'Host' || spec.name === 'Match') continue;
    for (const s of [spec.name, ...(spec.aliases ?? [])]) lines.push(`${s.toUpperCase()} ${SAMPLES[spec.name] ?? 'yes'}`);
  }
  const r = ssh(lines);
  assert.doesNotMatch(r.err, /Bad configuration option/);
  assert.equal(r.rc, 0, r.err);
});

test('unsupported keywords print "Unsupported option", deprecated/ignored ones are silent', { skip }, () => {
  for (const spec of keywordsFor('ssh')) {
    if (spec.status === 'active') continue;
    const r = ssh([`${spec.name} whatever`]);
    assert.equal(r.rc, 0, `${spec.name}: ${r.err}`);
    if (spec.status === 'unsupported') assert.match(r.err, new RegExp(`line 1: Unsupported option "${spec.name.toLowerCase()}"`));
    else assert.equal(r.err.trim(), '', spec.name);
  }
});

test('tricky valid values: ssh -G accepts them and so does the validator', { skip }, () => {
  for (const l of TRICKY_OK) {
    const r = ssh([l]);
    assert.equal(r.rc, 0, `ssh rejects "${l}": ${r.err}`);
    assert.equal(check(l), null, `validator rejects "${l}"`);
  }
});

test('invalid values: ssh -G and the validator reject them with the same message', { skip }, () => {
  for (const [line, msg] of BAD) {
    const r = ssh([line]);
    assert.notEqual(r.rc, 0, `ssh accepts "${line}"`);
    assert.ok(r.err.includes(msg), `ssh says ${JSON.stringify(r.err)} for "${line}", expected ${msg}`);
    const p = check(line);
    assert.ok(p, `validator accepts "${line}"`);
    assert.equal(p.message, msg, line);
  }
});

test('every keyword ssh -G prints is in the table; defaults match', { skip }, () => {
  const r = ssh(['# empty']);
  assert.equal(r.rc, 0, r.err);
  const printed = new Map<string, string>();
  for (const l of r.out.split('\n').filter(Boolean)) {
    const [k, ...v] = l.split(' ');
    const key = k!.toLowerCase();
    printed.set(key, printed.has(key) ? `${printed.get(key)} ${v.join(' ')}` : v.join(' '));
  }
  assert.ok(printed.size > 70);
  const userDependent = new Set(['host', 'hostname', 'user', 'userknownhostsfile', 'identityfile']);
  for (const [k, v] of printed) {
    const spec = lookupKeyword('ssh', k);
    assert.ok(spec, `ssh -G prints ${k}, missing from the table`);
    assert.equal(spec.name.toLowerCase(), k, `canonical spelling of ${k}`);
    if (spec.default !== undefined && !userDependent.has(k)) assert.equal(spec.default, v, k);
  }
});

test('algorithm lists refused when assembled: ssh and assembleProblem agree', { skip }, () => {
  const cases = [
    'KexAlgorithms gss-gex-sha1-x', 'KexAlgorithms gss-gex-sha1-x,curve25519-sha256', 'CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com',
    'PubkeyAcceptedAlgorithms ssh-rsa,!ssh-dss', 'HostbasedAcceptedAlgorithms +!ssh-rsa', 'Ciphers -*', 'MACs ^hmac-sha1',
    'PubkeyAcceptedAlgorithms ssh-rsa-cert*',
  ];
  for (const line of cases) {
    const r = ssh([line]);
    const { keyword, args } = split(line);
    const spec = lookupKeyword('ssh', keyword)!;
    assert.equal(validateArgs('ssh', spec, args, keyword), null, line);
    const p = assembleProblem('ssh', spec, args);
    // ssh -G reports these through fill_default_options without failing (rc 0).
    if (!/invalid argument/.test(r.err)) assert.equal(p, null, `${line}: ssh accepts, we say ${p?.message}`);
    else {
      assert.ok(p, `${line}: ssh refuses (${r.err.trim()}), we accept`);
      assert.ok(r.err.includes(p.message), `${line}: ${r.err} vs ${p.message}`);
    }
  }
});

test('which line wins: ssh -G shows the first value, or the last one where the table says lastWins', { skip }, () => {
  const pairs: Record<string, [string, string]> = {
    StreamLocalBindMask: ['0111', '0222'], ServerAliveInterval: ['7', '9'], IPQoS: ['af11', 'af21'],
    SyslogFacility: ['LOCAL1', 'LOCAL2'], FingerprintHash: ['md5', 'sha256'], User: ['a', 'b'],
  };
  const r = ssh(Object.entries(pairs).flatMap(([k, [a, b]]) => [`${k} ${a}`, `${k} ${b}`]));
  assert.equal(r.rc, 0, r.err);
  const shown = new Map(r.out.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!.toLowerCase(), l.slice(l.indexOf(' ') + 1)]));
  for (const [k, [a, b]] of Object.entries(pairs)) {
    const want = lookupKeyword('ssh', k)!.lastWins ? b : a;
    const got = shown.get(k.toLowerCase())!;
    assert.ok(got.toLowerCase().startsWith(want.toLowerCase()), `${k}: ssh -G shows "${got}", table expects ${want}`);
  }
});

test('which line wins, for every yes/no, number and time keyword ssh -G prints', { skip }, () => {
  const pairFor = (kind: string): [string, string] | null =>
    kind === 'yesno' ? ['no', 'yes'] /* ForkAfterAuthentication yes would need a command */ : kind === 'int' ? ['3', '4'] : kind === 'time' ? ['7', '9'] : null;
  const lines: string[] = [];
  const expect: Array<[string, string]> = [];
  for (const spec of keywordsFor('ssh')) {
    const pair = pairFor(spec.value.kind);
    if (!pair || spec.status !== 'active') continue;
    lines.push(`${spec.name} ${pair[0]}`, `${spec.name} ${pair[1]}`);
    expect.push([spec.name.toLowerCase(), spec.lastWins ? pair[1] : pair[0]]);
  }
  const r = ssh(lines);
  assert.equal(r.rc, 0, r.err);
  const shown = new Map(r.out.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!.toLowerCase(), l.slice(l.indexOf(' ') + 1)]));
  let checked = 0;
  for (const [k, want] of expect) {
    if (!shown.has(k)) continue;
    checked++;
    // ssh -G prints some flags as true/false.
    const got = shown.get(k)!.replace(/^true$/, 'yes').replace(/^false$/, 'no');
    if (k === 'forwardx11timeout' || k === 'connecttimeout') { assert.ok(got === want || got === String(Number(want)), k); continue; }
    assert.equal(got, want, k);
  }
  assert.ok(checked > 30, `only ${checked} checked`);
});
