// The analysis: nodes, blocks, Includes and diagnostics (codes, severities, exact ranges, fixes).
// Expected verdicts were checked against sshd -t / ssh -G 9.2p1 (see sshd-rig.md 2c and the
// oracle-* integration tests, which compare with the real binaries).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type Analysis, type AnalyzeOptions, type ConfigDiagnostic, type TextEditSpec } from '../../core/sshconfig/index';

const FIX = join(__dirname, '..', 'fixtures', 'sshconfig');

/** An in-memory file system for Includes. */
function vfs(files: Record<string, string>): Pick<AnalyzeOptions, 'readFile' | 'listDir'> {
  return {
    readFile: (p) => files[p],
    listDir: (d) => {
      const pre = d.endsWith('/') ? d : `${d}/`;
      const names = new Set<string>();
      for (const f of Object.keys(files)) if (f.startsWith(pre)) names.add(f.slice(pre.length).split('/')[0]!);
      return names.size ? [...names] : undefined;
    },
  };
}

function sshd(text: string, extra: Partial<AnalyzeOptions> = {}): Analysis {
  return analyze(text, { dialect: 'sshd', file: '/etc/ssh/sshd_config', listDir: () => undefined, ...extra });
}
function ssh(text: string, extra: Partial<AnalyzeOptions> = {}): Analysis {
  return analyze(text, { dialect: 'ssh', file: '/home/u/.ssh/config', listDir: () => undefined, includeBase: '/home/u/.ssh', matchContext: { user: 'u', host: 'example.com' }, ...extra });
}
const codes = (a: Analysis, file?: string) => a.diagnostics.filter((d) => !file || d.file === file).map((d) => `${d.line + 1}:${d.severity}:${d.code}`);
const find = (a: Analysis, code: string): ConfigDiagnostic => {
  const d = a.diagnostics.find((x) => x.code === code);
  assert.ok(d, `no ${code} in ${JSON.stringify(codes(a))}`);
  return d;
};

function applyEdits(text: string, edits: TextEditSpec[]): string {
  const lines = text.split('\n');
  const offset = (l: number, c: number) => lines.slice(0, l).reduce((n, s) => n + s.length + 1, 0) + c;
  const sorted = [...edits].sort((a, b) => offset(b.line, b.col) - offset(a.line, a.col));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.line, e.col)) + e.newText + out.slice(offset(e.endLine, e.endCol));
  return out;
}

test('acceptance fixture: unknown keyword, duplicate, Match-illegal keyword, keepalive off', () => {
  const text = readFileSync(join(FIX, 'acceptance.conf'), 'utf8');
  const a = sshd(text);
  assert.deepEqual(codes(a), ['4:warning:keepalive-off', '6:error:unknown-keyword', '7:warning:duplicate-ignored', '11:error:not-in-match']);
});

test('every line gets a node; blocks end only at the next Match or EOF', () => {
  const text = 'Port 22\n# c\n\nMatch User a\n  X11Forwarding no\nPermitTTY no\nMatch all\nX11Forwarding yes';
  const a = sshd(text);
  assert.equal(a.lines.length, 8);
  assert.deepEqual(a.lines.map((n) => n.kind), ['directive', 'comment', 'blank', 'match', 'directive', 'directive', 'match', 'directive']);
  assert.deepEqual(a.blocks.map((b) => [b.kind, b.line, b.endLine, b.criteria]), [['global', 0, 2, ''], ['match', 3, 5, 'User a'], ['match', 6, 7, 'all']]);
  assert.deepEqual(a.lines.map((n) => n.block), [0, 0, 0, 1, 1, 1, 2, 2]);
  assert.equal(a.lines[0]!.spec?.name, 'Port');
  assert.deepEqual(codes(a), []);
});

test('unknown keyword: exact range, OpenSSH wording, did-you-mean fix', () => {
  const a = sshd('  ClientAliveIntervall 30\n');
  const d = find(a, 'unknown-keyword');
  assert.equal(d.severity, 'error');
  assert.deepEqual([d.line, d.col, d.endLine, d.endCol], [0, 2, 0, 22]);
  assert.match(d.message, /^Bad configuration option: ClientAliveIntervall/);
  assert.equal(d.fixes?.[0]?.edits[0]?.newText, 'ClientAliveInterval');
  assert.deepEqual(codes(sshd(applyEdits('  ClientAliveIntervall 30\n', d.fixes![0]!.edits))), []);
});

test('bad values and extra arguments are errors on the offending token', () => {
  let d = find(sshd('ClientAliveInterval abc\n'), 'bad-value');
  assert.deepEqual([d.col, d.endCol], [20, 23]);
  d = find(sshd('PermitRootLogin maybe\n'), 'bad-value');
  assert.equal(d.severity, 'error');
  d = find(sshd('ClientAliveInterval 5 6\n'), 'extra-args');
  assert.deepEqual([d.col, d.endCol], [22, 23]);
  assert.match(d.message, /extra arguments at end of line/);
  assert.equal(find(sshd('ClientAliveInterval\n'), 'missing-value').severity, 'error');
  assert.equal(find(sshd('Banner "/etc/issue.net\n'), 'invalid-quotes').message, 'invalid quotes');
});

test('not allowed in Match: error with a fix that moves the line above the first Match', () => {
  const text = 'Port 22\nMatch User u\n  Port 2224\n  X11Forwarding no\n';
  const a = sshd(text);
  const d = find(a, 'not-in-match');
  assert.equal(d.message, "Directive 'Port' is not allowed within a Match block");
  assert.deepEqual([d.line, d.col, d.endCol], [2, 2, 6]);
  const fixed = applyEdits(text, d.fixes![0]!.edits);
  assert.equal(fixed, 'Port 22\nPort 2224\nMatch User u\n  X11Forwarding no\n');
  assert.deepEqual(codes(sshd(fixed)), []);
  // Match all is active while sshd checks the syntax: Port is accepted there (sshd -t rc 0).
  assert.deepEqual(codes(sshd('Match all\nPort 2224\n')), []);
});

test('duplicates: warning on the ignored line pointing at the winner; not for accumulating keywords', () => {
  const a = sshd('PermitRootLogin no\nAllowUsers a\nAllowUsers b\nPort 22\nPort 2222\npermitrootlogin yes\n');
  assert.deepEqual(codes(a), ['6:warning:duplicate-ignored']);
  const d = find(a, 'duplicate-ignored');
  assert.deepEqual(d.related, [{ file: '/etc/ssh/sshd_config', line: 0, message: 'this value wins' }]);
  assert.match(d.message, /already set on line 1/);
  const small = 'PermitRootLogin no\npermitrootlogin yes\n';
  const fix = find(sshd(small), 'duplicate-ignored').fixes![0]!;
  assert.equal(applyEdits(small, fix.edits), 'PermitRootLogin no\n');
});

test('duplicates respect Match scoping (sshd) and Host scoping (ssh)', () => {
  // A Match block overrides the global value: not a duplicate. Twice in one block is.
  assert.deepEqual(codes(sshd('X11Forwarding no\nMatch User a\n X11Forwarding yes\n X11Forwarding no\nMatch User b\n X11Forwarding yes\n')), ['4:warning:duplicate-ignored']);
  // ssh: first obtained value wins; a global value shadows every later Host block.
  assert.deepEqual(codes(ssh('User a\nHost x\n  User b\nHost y\n  Port 22\n')), ['3:warning:duplicate-ignored']);
  assert.deepEqual(codes(ssh('Host x\n  User b\nHost y\n  User c\n')), []);
});

test('duplicates across Include files point at the other file', () => {
  const files = { '/etc/ssh/sshd_config.d/10-a.conf': 'PermitRootLogin no\n', '/etc/ssh/sshd_config': '' };
  const a = sshd('Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n', vfs(files));
  const d = find(a, 'duplicate-ignored');
  assert.equal(d.line, 1);
  assert.deepEqual(d.related?.[0], { file: '/etc/ssh/sshd_config.d/10-a.conf', line: 0, message: 'this value wins' });
});

test('Include: relative to /etc/ssh, lexical order, missing is info, cycles are errors, Match scope', () => {
  const files = {
    '/etc/ssh/conf.d/b.conf': 'X11Forwarding yes\n',
    '/etc/ssh/conf.d/a.conf': 'X11Forwarding no\n',
    '/etc/ssh/conf.d/.hidden.conf': 'FooBar 1\n',
    '/etc/ssh/loop.conf': 'Include /etc/ssh/loop.conf\n',
    '/etc/ssh/inmatch.conf': 'Port 22\n',
    '/etc/ssh/ownmatch.conf': 'Match User x\nX11Forwarding no\n',
  };
  const a = sshd('Include conf.d/*.conf\nInclude /nonexistent/*.conf\n', vfs(files));
  assert.deepEqual(a.includes[0]!.files, ['/etc/ssh/conf.d/a.conf', '/etc/ssh/conf.d/b.conf']);
  assert.equal(a.includes[0]!.resolved, '/etc/ssh/conf.d/*.conf');
  // b.conf's value is ignored: a.conf was read first.
  assert.ok(codes(a).includes('2:info:include-missing'));
  assert.ok(a.diagnostics.some((d) => d.file === '/etc/ssh/conf.d/b.conf' && d.code === 'duplicate-ignored'));
  assert.ok(!a.diagnostics.some((d) => d.code === 'unknown-keyword'), 'hidden files are not globbed');
  const loop = sshd('Include /etc/ssh/loop.conf\n', vfs(files));
  assert.ok(loop.diagnostics.some((d) => d.code === 'include-cycle' && d.severity === 'error'));
  // Include inside Match: the included lines are in that Match block.
  const m = sshd('Match User u\nInclude /etc/ssh/inmatch.conf\n', vfs(files));
  assert.deepEqual(m.diagnostics.map((d) => [d.file, d.code]), [['/etc/ssh/inmatch.conf', 'not-in-match']]);
  // A Match inside an included file ends with that file.
  assert.deepEqual(codes(sshd('Include /etc/ssh/ownmatch.conf\nPort 2225\n', vfs(files))), []);
});

test('deprecated / unsupported are warnings, Protocol is silently ignored (hint)', () => {
  const a = sshd('UsePrivilegeSeparation yes\nProtocol 2\n');
  assert.deepEqual(codes(a), ['1:warning:deprecated', '2:hint:ignored-keyword']);
  assert.match(find(a, 'deprecated').message, /^Deprecated option UsePrivilegeSeparation/);
});

test('bad Match criteria are errors', () => {
  assert.equal(find(sshd('Match Bogus x\n'), 'bad-match').severity, 'error');
  assert.match(find(sshd('Match User\n'), 'bad-match').message, /Missing Match criteria for User/);
  assert.equal(find(ssh('Match foo bar\n'), 'bad-match').severity, 'error');
});

test('ssh: IgnoreUnknown is honoured only for later lines', () => {
  assert.deepEqual(codes(ssh('IgnoreUnknown UseKeychain,AddKeysToAgent2\nHost *\n  UseKeychain yes\n')), ['3:hint:ignored-unknown']);
  assert.deepEqual(codes(ssh('UseKeychain yes\nIgnoreUnknown UseKeychain\n')), ['1:error:unknown-keyword']);
});

test('ssh: Host blocks, empty Host argument, Include relative to ~/.ssh', () => {
  const a = ssh('Host example.com\n  ServerAliveInterval 10\nHost *\n  ServerAliveInterval 60\nInclude conf.d/*\n', vfs({ '/home/u/.ssh/conf.d/x': 'ServerAliveCountMax 5\n' }));
  assert.deepEqual(a.blocks.map((b) => [b.kind, b.criteria, b.active]), [['global', '', true], ['host', 'example.com', true], ['host', '*', true]]);
  assert.deepEqual(a.includes[0]!.files, ['/home/u/.ssh/conf.d/x']);
  assert.equal(a.keepalive.interval, 10);
  assert.equal(a.keepalive.countMax, 5);
  assert.equal(find(ssh('Host ""\n'), 'bad-value').severity, 'error');
});

test('sshd post-parse check: AuthorizedKeysCommand without AuthorizedKeysCommandUser', () => {
  assert.equal(find(sshd('AuthorizedKeysCommand /usr/bin/keys %u\n'), 'missing-command-user').severity, 'error');
  assert.deepEqual(codes(sshd('AuthorizedKeysCommand /usr/bin/keys %u\nAuthorizedKeysCommandUser nobody\n')), []);
  assert.deepEqual(codes(sshd('AuthorizedKeysCommand none\n')), []);
});

test('CRLF files and a trailing newline-free last line', () => {
  const a = sshd('Port 22\r\nPermitRootLogin no\r\nMaxAuthTries 3');
  assert.deepEqual(codes(a), []);
  assert.equal(a.lines.length, 3);
});

test('lint severity "error" appears only where OpenSSH refuses (warnings never block)', () => {
  const a = sshd('ClientAliveInterval 0\nClientAliveCountMax 0\nUsePrivilegeSeparation sandbox\nInclude /nope/*.conf\nChannelTimeout session=5m\n');
  assert.ok(a.diagnostics.length >= 4);
  assert.ok(a.diagnostics.every((d) => d.severity !== 'error'), JSON.stringify(codes(a)));
});

test('Include depth limit: a chain deeper than 16 files is refused like OpenSSH', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`/c/${i}.conf`] = `Include /c/${i + 1}.conf\n`;
  files['/c/20.conf'] = 'X11Forwarding no\n';
  const a = analyze('Include /c/0.conf\n', { dialect: 'sshd', file: '/etc/ssh/sshd_config', readFile: (p) => files[p], listDir: () => undefined });
  const d = a.diagnostics.filter((x) => x.code === 'include-depth');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.severity, 'error');
  assert.equal(d[0]!.file, '/c/15.conf');
  const ok = analyze('Include /c/5.conf\n', { dialect: 'sshd', file: '/etc/ssh/sshd_config', readFile: (p) => files[p], listDir: () => undefined });
  assert.deepEqual(ok.diagnostics.map((x) => x.code), []);
});

test('ssh: /etc/ssh/ssh_config is a system file (relative Includes in /etc/ssh, "~" refused)', () => {
  const files = { '/etc/ssh/ssh_config.d/a.conf': 'ServerAliveInterval 15\n' };
  const a = analyze('Include ssh_config.d/*.conf\n', { dialect: 'ssh', file: '/etc/ssh/ssh_config', ...vfs(files) });
  assert.deepEqual(a.includes[0]!.files, ['/etc/ssh/ssh_config.d/a.conf']);
  assert.equal(a.keepalive.interval, 15);
  const t = analyze('Include ~/.ssh/extra\n', { dialect: 'ssh', file: '/etc/ssh/ssh_config', listDir: () => undefined });
  assert.deepEqual(t.diagnostics.map((d) => [d.code, d.severity]), [['bad-value', 'error']]);
  assert.deepEqual(ssh('Include ~/.ssh/extra\n').diagnostics.map((d) => d.code), ['include-missing']);
});

test('Include globs are bounded: a pattern matching too much is cut short with an info', { timeout: 20_000 }, () => {
  const names = Array.from({ length: 30 }, (_, i) => `d${i}`);
  const a = analyze('Include /*/*/*/*/*.conf\n', { dialect: 'sshd', file: '/etc/ssh/sshd_config', readFile: () => undefined, listDir: () => names });
  assert.ok(a.diagnostics.some((d) => d.code === 'include-truncated' && d.severity === 'info'), JSON.stringify(a.diagnostics.map((d) => d.code)));
  assert.ok(a.diagnostics.every((d) => d.severity !== 'error'));
});

test('ssh: an Include target others can write is refused ("Bad owner or permissions")', () => {
  const files = { '/home/u/.ssh/inc.conf': 'ServerAliveInterval 5\n' };
  const run = (mode: number, uid = 0) => ssh('Include inc.conf\nConnectTimeout 5\n', { ...vfs(files), statFile: () => ({ uid, gid: 4242, mode: 0o100000 | mode }) });
  assert.deepEqual(run(0o600).diagnostics.map((d) => d.code), []);
  const bad = run(0o666);
  assert.deepEqual(bad.diagnostics.map((d) => [d.code, d.severity, d.message]), [['include-permissions', 'error', 'Bad owner or permissions on /home/u/.ssh/inc.conf']]);
  assert.equal(run(0o600, 4242).diagnostics[0]?.code, 'include-permissions');
  // sshd does not check (servconf.c reads includes as root-owned system files).
  assert.deepEqual(sshd('Include /x/inc.conf\n', { readFile: () => 'X11Forwarding no\n', listDir: () => undefined, statFile: () => ({ uid: 1, gid: 1, mode: 0o100666 }) }).diagnostics.map((d) => d.code), []);
});

test('sshd post-parse check: AuthenticationMethods that only name disabled methods (checked with sshd -t)', () => {
  const err = (t: string) => sshd(t).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  assert.deepEqual(err('AuthenticationMethods hostbased\n'), ['auth-methods-disabled']);
  assert.deepEqual(err('AuthenticationMethods hostbased publickey\n'), []);
  assert.deepEqual(err('PasswordAuthentication no\nAuthenticationMethods password\n'), ['auth-methods-disabled']);
  assert.deepEqual(err('ChallengeResponseAuthentication no\nAuthenticationMethods keyboard-interactive:pam\n'), ['auth-methods-disabled']);
  assert.deepEqual(err('AuthenticationMethods any\n'), []);
});

test('lastWins keywords (sshd MaxStartups …): the EARLIER line is the ignored one (checked with sshd -T)', () => {
  const a = sshd('MaxStartups 5\nMaxStartups 7\n');
  assert.deepEqual(codes(a), ['1:warning:duplicate-ignored']);
  assert.deepEqual(find(a, 'duplicate-ignored').related?.[0]?.line, 1);
  assert.match(find(a, 'duplicate-ignored').message, /uses the last value/);
});

test('effective algorithm lists naming nothing usable are refused after parsing (sshd), warned for ssh', () => {
  assert.deepEqual(codes(sshd('CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com\n')), ['1:error:bad-value']);
  assert.deepEqual(codes(sshd('Ciphers +aes128-cbc\n')), []);
  assert.deepEqual(codes(ssh('CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com\n')), ['1:warning:bad-value']);
});
