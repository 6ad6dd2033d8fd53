// Shape of the keyword tables and the lookup index (no OpenSSH binary needed, except the
// algorithm snapshot check which compares with `ssh -Q` when ssh is installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { isAliasSpelling, keywordsFor, lookupKeyword, suggestKeyword } from '../../core/sshconfig/keywords/index';
import { SSHD_MATCH_CRITERIA } from '../../core/sshconfig/keywords/sshd';
import { SSH_MATCH_CRITERIA } from '../../core/sshconfig/keywords/ssh';
import { CIPHER_NAMES, KEX_NAMES, KEY_TYPE_NAMES, MAC_NAMES, hasValidator } from '../../core/sshconfig/values';
import type { Dialect } from '../../core/sshconfig/types';

const dialects: Dialect[] = ['sshd', 'ssh'];

test('every spelling is unique per dialect and every custom validator exists', () => {
  for (const d of dialects) {
    const seen = new Set<string>();
    for (const spec of keywordsFor(d)) {
      for (const s of [spec.name, ...(spec.aliases ?? [])]) {
        assert.ok(!seen.has(s.toLowerCase()), `${d}: ${s} twice`);
        seen.add(s.toLowerCase());
      }
      if (spec.value.kind === 'custom' && spec.name !== 'Match') {
        assert.ok(hasValidator(d, spec.value.validator), `${d} ${spec.name}: no validator ${spec.value.validator}`);
      }
      assert.ok(spec.doc.length > 20, `${d} ${spec.name}: doc`);
      assert.ok(!/\n/.test(spec.doc), `${d} ${spec.name}: doc is one paragraph`);
      if (spec.status !== 'active') assert.ok(spec.statusNote, `${d} ${spec.name}: statusNote`);
      if (d === 'ssh') assert.equal(spec.match, true);
    }
  }
  assert.equal(keywordsFor('sshd').length, 121);
  assert.equal(keywordsFor('ssh').length, 120);
});

test('lookup is case-insensitive and resolves aliases', () => {
  assert.equal(lookupKeyword('sshd', 'clientaliveinterval')?.name, 'ClientAliveInterval');
  assert.equal(lookupKeyword('sshd', 'CHALLENGERESPONSEAUTHENTICATION')?.name, 'KbdInteractiveAuthentication');
  assert.equal(lookupKeyword('sshd', 'HostDSAKey')?.name, 'HostKey');
  assert.equal(lookupKeyword('sshd', 'KeepAlive')?.name, 'TCPKeepAlive');
  assert.equal(lookupKeyword('sshd', 'DSAAuthentication')?.aliasOf, 'PubkeyAuthentication');
  assert.equal(lookupKeyword('sshd', 'DSAAuthentication')?.match, false);
  assert.equal(lookupKeyword('sshd', 'FooBar'), undefined);
  assert.equal(lookupKeyword('ssh', 'identityfile2')?.name, 'IdentityFile');
  assert.equal(lookupKeyword('ssh', 'SetupTimeout')?.name, 'ServerAliveInterval');
  assert.equal(lookupKeyword('ssh', 'ProtocolKeepAlives')?.name, 'ServerAliveInterval');
  assert.equal(lookupKeyword('ssh', 'ClientAliveInterval'), undefined);
  assert.ok(isAliasSpelling('ssh', 'smartcarddevice'));
  assert.ok(!isAliasSpelling('ssh', 'PKCS11Provider'));
});

test('scope and multi flags follow servconf.c / readconf.c', () => {
  const s = (n: string) => lookupKeyword('sshd', n)!;
  assert.equal(s('Port').match, false);
  assert.equal(s('TCPKeepAlive').match, false);
  assert.equal(s('ClientAliveInterval').match, true);
  for (const n of ['AcceptEnv', 'AllowUsers', 'DenyUsers', 'AllowGroups', 'DenyGroups', 'HostKey', 'ListenAddress', 'Port', 'Subsystem', 'HostCertificate', 'Include']) {
    assert.equal(s(n).multi, 'accumulate', n);
  }
  for (const n of ['ClientAliveInterval', 'SetEnv', 'AuthorizedKeysFile', 'PermitOpen', 'LogVerbose', 'ChannelTimeout']) {
    assert.equal(s(n).multi, 'first', n);
  }
  const c = (n: string) => lookupKeyword('ssh', n)!;
  for (const n of ['IdentityFile', 'CertificateFile', 'LocalForward', 'RemoteForward', 'DynamicForward', 'SendEnv', 'Include']) {
    assert.equal(c(n).multi, 'accumulate', n);
  }
  for (const n of ['SetEnv', 'UserKnownHostsFile', 'ServerAliveInterval', 'User']) assert.equal(c(n).multi, 'first', n);
  assert.equal(s('Protocol').status, 'ignored');
  assert.equal(s('UsePrivilegeSeparation').status, 'deprecated');
  assert.equal(s('KerberosGetAFSToken').status, 'unsupported');
  assert.equal(c('CompressionLevel').status, 'unsupported');
});

test('did-you-mean', () => {
  assert.equal(suggestKeyword('sshd', 'ClientAliveIntervall'), 'ClientAliveInterval');
  assert.equal(suggestKeyword('sshd', 'PermitRootLgin'), 'PermitRootLogin');
  assert.equal(suggestKeyword('sshd', 'passwordauth'), undefined);
  assert.equal(suggestKeyword('ssh', 'ServerAlivInterval'), 'ServerAliveInterval');
  assert.equal(suggestKeyword('ssh', 'Hostnme'), 'Hostname');
  assert.equal(suggestKeyword('ssh', 'zzzzzzzz'), undefined);
  assert.equal(suggestKeyword('sshd', 'Prot'), 'Port');
  assert.equal(suggestKeyword('sshd', 'PermitRootLogni'), 'PermitRootLogin');
  assert.equal(suggestKeyword('ssh', 'IdentiyFile'), 'IdentityFile');
});

test('match criteria tables', () => {
  assert.deepEqual(SSHD_MATCH_CRITERIA.map((c) => c.name).sort(),
    ['Address', 'All', 'Group', 'Host', 'LocalAddress', 'LocalPort', 'RDomain', 'User']);
  assert.deepEqual(SSH_MATCH_CRITERIA.map((c) => c.name).sort(),
    ['all', 'canonical', 'exec', 'final', 'host', 'localuser', 'originalhost', 'user']);
  assert.equal(SSH_MATCH_CRITERIA.find((c) => c.name === 'final')?.arg, 'none');
});

test('algorithm snapshots equal `ssh -Q` of this OpenSSH', { skip: existsSync('/usr/bin/ssh') ? false : 'ssh not installed' }, () => {
  const q = (what: string) => spawnSync('/usr/bin/ssh', ['-Q', what], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  assert.deepEqual([...CIPHER_NAMES].sort(), q('cipher').sort());
  assert.deepEqual([...MAC_NAMES].sort(), q('mac').sort());
  assert.deepEqual([...KEX_NAMES].sort(), q('kex').sort());
  assert.deepEqual([...KEY_TYPE_NAMES].sort(), q('key-sig').sort());
});
