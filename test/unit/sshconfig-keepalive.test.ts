// Keepalive analysis: effective values (Includes, Match/Host blocks, a given connection), the
// plain-words explanation and the trap warnings. The drop time follows the measurement in
// sshd-rig.md 2b: ClientAliveInterval 1 / ClientAliveCountMax 2 dropped the session after 4.2 s,
// i.e. Interval × (CountMax + 1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, deadPeerSeconds, explainKeepalive, type Analysis, type AnalyzeOptions } from '../../core/sshconfig/index';

const sshd = (text: string, extra: Partial<AnalyzeOptions> = {}): Analysis =>
  analyze(text, { dialect: 'sshd', file: '/etc/ssh/sshd_config', listDir: () => undefined, ...extra });
const ssh = (text: string, extra: Partial<AnalyzeOptions> = {}): Analysis =>
  analyze(text, { dialect: 'ssh', file: '/home/u/.ssh/config', listDir: () => undefined, matchContext: { user: 'u', host: 'example.com' }, ...extra });
const kcodes = (a: Analysis) => a.diagnostics.map((d) => `${d.line + 1}:${d.code}`);

test('deadPeerSeconds: Interval × (CountMax + 1); sshd CountMax 0 never drops; ssh CountMax 0 drops at the first check', () => {
  assert.equal(deadPeerSeconds({ dialect: 'sshd', interval: 1, countMax: 2, tcpKeepAlive: true }), 3);
  assert.equal(deadPeerSeconds({ dialect: 'sshd', interval: 60, countMax: 3, tcpKeepAlive: true }), 240);
  assert.equal(deadPeerSeconds({ dialect: 'sshd', interval: 60, countMax: 0, tcpKeepAlive: true }), null);
  assert.equal(deadPeerSeconds({ dialect: 'sshd', interval: 0, countMax: 3, tcpKeepAlive: true }), null);
  assert.equal(deadPeerSeconds({ dialect: 'ssh', interval: 30, countMax: 0, tcpKeepAlive: true }), 30);
  assert.equal(deadPeerSeconds({ dialect: 'ssh', interval: 30, countMax: 3, tcpKeepAlive: true }), 120);
});

test('explanations in plain words', () => {
  assert.match(explainKeepalive({ dialect: 'sshd', interval: 60, countMax: 3, tcpKeepAlive: true }), /^Idle sessions are dropped after ~240 s without an answer/);
  assert.match(explainKeepalive({ dialect: 'sshd', interval: 0, countMax: 3, tcpKeepAlive: true }), /TCP keepalive, typically after about 2 hours/);
  assert.match(explainKeepalive({ dialect: 'sshd', interval: 0, countMax: 3, tcpKeepAlive: false }), /never noticed/);
});

test('defaults as sshd -T prints them (0 / 3 / yes)', () => {
  const k = sshd('Port 22\n').keepalive;
  assert.deepEqual([k.interval, k.countMax, k.tcpKeepAlive, k.deadPeerSeconds], [0, 3, true, null]);
  assert.deepEqual(k.lines, {});
});

test('first value wins; 1m30s is 90; lines point at the effective setting', () => {
  const k = sshd('ClientAliveInterval 1m30s\nClientAliveInterval 9\nClientAliveCountMax = 4\nTCPKeepAlive no\n').keepalive;
  assert.deepEqual([k.interval, k.countMax, k.tcpKeepAlive, k.deadPeerSeconds], [90, 4, false, 450]);
  assert.deepEqual(k.lines, { interval: 0, countMax: 2, tcpKeepAlive: 3 });
});

test('Match blocks apply to the given connection only (sshd -T -C semantics)', () => {
  const text = 'ClientAliveInterval 30\nMatch User deploy\n  ClientAliveInterval 5\n';
  assert.equal(sshd(text).keepalive.interval, 30); // default context user=root
  assert.equal(sshd(text, { matchContext: { user: 'deploy', host: 'h', addr: '10.0.0.1' } }).keepalive.interval, 5);
  assert.equal(sshd(text, { matchContext: { user: 'deploy' } }).keepalive.lines.interval, 2);
  const addr = 'Match Address 10.0.0.0/8\n  ClientAliveCountMax 7\n';
  assert.equal(sshd(addr, { matchContext: { user: 'x', addr: '10.1.2.3' } }).keepalive.countMax, 7);
  assert.equal(sshd(addr, { matchContext: { user: 'x', addr: '192.168.1.1' } }).keepalive.countMax, 3);
});

test('ssh: Host blocks for the destination, first obtained value wins', () => {
  const text = 'Host other\n  ServerAliveInterval 5\nHost example.com\n  ServerAliveInterval 15\nHost *\n  ServerAliveInterval 60\n  ServerAliveCountMax 2\n';
  const k = ssh(text).keepalive;
  assert.deepEqual([k.interval, k.countMax, k.deadPeerSeconds], [15, 2, 45]);
  assert.equal(ssh(text, { matchContext: { host: 'other', user: 'u' } }).keepalive.interval, 5);
  assert.equal(ssh(text, { matchContext: { host: 'nope', user: 'u' } }).keepalive.interval, 60);
  assert.equal(ssh('Host !example.com *\n  ServerAliveInterval 5\n').keepalive.interval, 0);
});

test('effective values through Includes carry their source', () => {
  const files: Record<string, string> = { '/etc/ssh/sshd_config.d/keep.conf': 'ClientAliveInterval 120\n' };
  const a = sshd('Include /etc/ssh/sshd_config.d/*.conf\nClientAliveInterval 10\n', {
    readFile: (p) => files[p], listDir: (d) => (d === '/etc/ssh/sshd_config.d' ? ['keep.conf'] : undefined),
  });
  assert.equal(a.keepalive.interval, 120);
  assert.deepEqual(a.keepalive.sources.interval, { file: '/etc/ssh/sshd_config.d/keep.conf', line: 0 });
  assert.equal(a.keepalive.lines.interval, undefined);
});

test('traps: keepalive off, CountMax 0 (both meanings), aggressive interval, ChannelTimeout', () => {
  const off = sshd('ClientAliveInterval 0\n');
  assert.deepEqual(kcodes(off), ['1:keepalive-off']);
  const d = off.diagnostics[0]!;
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /linger run/);
  assert.match(sshd('ClientAliveInterval 0\nTCPKeepAlive no\n').diagnostics[0]!.message, /never noticed/);

  const cm0 = sshd('ClientAliveInterval 60\nClientAliveCountMax 0\n');
  assert.deepEqual(kcodes(cm0), ['2:countmax-zero']);
  assert.match(cm0.diagnostics[0]!.message, /never dropped/);
  assert.equal(cm0.keepalive.deadPeerSeconds, null);
  const sm0 = ssh('ServerAliveInterval 20\nServerAliveCountMax 0\n');
  assert.deepEqual(kcodes(sm0), ['1:keepalive-aggressive', '2:countmax-zero']);
  assert.match(sm0.diagnostics[1]!.message, /any 20 s without traffic from the server ends the session/);

  const fast = sshd('ClientAliveInterval 2\nClientAliveCountMax 1\n');
  assert.deepEqual(kcodes(fast), ['1:keepalive-aggressive']);
  assert.match(fast.diagnostics[0]!.message, /~4 s/);
  assert.deepEqual(kcodes(sshd('ClientAliveInterval 60\n')), []);

  assert.deepEqual(kcodes(sshd('ChannelTimeout session=5m\n')), ['1:channel-timeout']);
  assert.deepEqual(kcodes(sshd('ChannelTimeout none\n')), []);
  assert.equal(sshd('UnusedConnectionTimeout 10m\n').diagnostics[0]?.severity, 'info');
});

test('no keepalive trap warning on a duplicate OpenSSH ignores', () => {
  assert.deepEqual(kcodes(sshd('ClientAliveInterval 60\nClientAliveInterval 0\n')), ['2:duplicate-ignored']);
});

test('TCPKeepAlive inside Match is refused by sshd (not-in-match error)', () => {
  const a = sshd('Match User u\n  TCPKeepAlive no\n');
  assert.deepEqual(a.diagnostics.map((d) => [d.code, d.severity]), [['not-in-match', 'error']]);
});

test('keepalive off entirely: TCPKeepAlive no with the default interval warns on the TCPKeepAlive line', () => {
  const a = sshd('TCPKeepAlive no\n');
  assert.deepEqual(kcodes(a), ['1:keepalive-off']);
  assert.match(a.diagnostics[0]!.message, /nothing ever notices/);
  assert.deepEqual(kcodes(sshd('TCPKeepAlive no\nClientAliveInterval 60\n')), []);
  assert.deepEqual(kcodes(ssh('TCPKeepAlive no\n')), ['1:keepalive-off']);
});
