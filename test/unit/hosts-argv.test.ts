// The ssh command lines and remote scripts of core/hosts, per platform (Windows' ssh.exe has no
// ControlMaster: only these tests can show its argv here), the host list of an ssh_config, and
// the quoting of an attach command for the remote shell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshAttachArgv, sshBaseArgs, sshCommandArgv, sshExitMasterArgv, validHostName } from '../../core/hosts/sshArgv';
import { installScript, newerAgent, parseProbe, probeScript, runScript } from '../../core/hosts/bootstrap';
import { isSingleHost, listHosts, sshConfigHosts } from '../../core/hosts/hostList';
import { controlDirFits } from '../../core/hosts/controlDir';
import { compareVersions, LINGER_VERSION } from '../../core/hosts/version';
import { withHost } from '../../core/hosts/pool';
import { installCli, launcher } from '../../core/hosts/installCli';
import { BUNDLE_FILES, loadBundle } from '../../core/hosts/bundle';

const linux = { platform: 'linux' as const, configFile: '/c/ssh_config', controlDir: '/s/ssh' };
const win = { platform: 'win32' as const, configFile: 'C:\\Users\\u\\.ssh\\cfg', controlDir: '/s/ssh' };

test('Linux/macOS: our own ControlMaster in the private dir, BatchMode for background calls, -F when a file is named', () => {
  assert.deepEqual(sshBaseArgs(linux, { batch: true }), ['-F', '/c/ssh_config', '-o', 'BatchMode=yes',
    '-o', 'RemoteCommand=none', '-o', 'ClearAllForwardings=yes', '-o', 'ControlMaster=auto', '-o', 'ControlPersist=600', '-o', 'ControlPath=/s/ssh/%C']);
  assert.deepEqual(sshBaseArgs({ ...linux, platform: 'darwin', configFile: null }, { batch: false }).slice(4, 6), ['-o', 'ControlMaster=auto']);
  assert.ok(!sshBaseArgs({ ...linux, interactive: true }, { batch: true }).includes('BatchMode=yes'), 'a person at a terminal may be asked');
  // Control: nothing that weakens host key checking, ever.
  for (const a of [sshBaseArgs(linux, { batch: true }), sshBaseArgs(win, { batch: true })]) {
    assert.ok(!a.join(' ').match(/StrictHostKeyChecking|UserKnownHostsFile|CheckHostIP/i));
  }
});

test('Windows: ControlMaster=no and ControlPath=none on every ssh (a user\'s ControlMaster auto makes ssh.exe fail); no -O exit', () => {
  const a = sshBaseArgs(win, { batch: true });
  assert.deepEqual(a, ['-F', win.configFile, '-o', 'BatchMode=yes', '-o', 'RemoteCommand=none', '-o', 'ClearAllForwardings=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none']);
  const att = sshAttachArgv(win, 'h1', { argv: ['tmux', 'attach'], detachHint: '' });
  assert.ok(att.includes('ControlMaster=no') && att.includes('ControlPath=none') && !att.some((w) => w.startsWith('ControlPersist')));
  assert.equal(sshExitMasterArgv(win, 'h1'), null);
  assert.deepEqual(sshExitMasterArgv(linux, 'h1')?.slice(-4), ['-O', 'exit', '--', 'h1']);
});

test('a command is `sh -c \'<constant>\'` after `--` and the host; the host cannot be an option', () => {
  const a = sshCommandArgv(linux, 'h1', 'echo hi');
  assert.deepEqual(a.slice(-4), ['-T', '--', 'h1', "sh -c 'echo hi'"]);
  assert.throws(() => sshCommandArgv(linux, '-oProxyCommand=evil', 'true'));
  assert.throws(() => sshCommandArgv(linux, 'h1', "echo 'x'"), /must not contain/);
  for (const bad of ['', '-x', 'a b', 'a\nb', "a'b"]) assert.equal(validHostName(bad), false, bad);
  for (const ok of ['h1', 'user@box.example.com', 'gpu-3']) assert.equal(validHostName(ok), true, ok);
});

test('attach: each word single-quoted, so the remote shell\'s one parse gives back the exact argv', () => {
  const argv = ['tmux', '-S', "/home/o'k/$(id)/t.sock", 'attach', '-t', '=linger-x', 'a b\nc', '*', ''];
  const a = sshAttachArgv(linux, 'h1', { argv, env: { LINGER_HOME: '/x y' }, detachHint: '' });
  const words = a.slice(a.indexOf('h1') + 1);
  assert.equal(a[a.indexOf('h1') - 1], '--');
  assert.ok(a.includes('-t'));
  // ssh joins the words with spaces; sh parses that line once: the same argv comes out.
  const line = words.join(' ');
  const r = spawnSync('sh', ['-c', `for w in ${line}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' });
  assert.deepEqual(r.stdout.split('\0').slice(0, -1), ['env', 'LINGER_HOME=/x y', ...argv]);
  // Control: the same words unquoted are split and expanded.
  const raw = spawnSync('sh', ['-c', `for w in ${argv.join(' ')}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' });
  assert.notDeepEqual(raw.stdout.split('\0').slice(0, -1), argv);
});

test('remote scripts: constants our bundle description fills with [0-9a-z.-] only, portable across login shells', () => {
  const b = { folder: '0.1.0-0123456789abcdef', sha256: 'a'.repeat(64), sizes: [10, 20, 30, 40, 50] };
  for (const s of [probeScript(b), installScript(b), runScript(b)]) {
    assert.doesNotMatch(s, /['\\!\n]/);
    assert.match(s, /\.local\/share\}\/linger\/agent/);
  }
  assert.match(installScript(b), /umask 077/);
  assert.match(installScript(b), /tail -c \+31 "\$t" \| head -c 30 > "\$t\.2"/, 'third file at its offset');
  assert.throws(() => probeScript({ folder: "x'; rm -rf ~" }));
  // The scripts parse in sh (syntax only).
  for (const s of [probeScript(b), installScript(b), runScript(b)]) assert.equal(spawnSync('sh', ['-n', '-c', s]).status, 0, s);
});

test('the probe runs here and reads as expected; noise from a login script is skipped', () => {
  const home = mkdtempSync(join(tmpdir(), 'linger-probe-'));
  const r = spawnSync('sh', ['-c', probeScript({ folder: '0.1.0-0123456789abcdef' })], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
  const p = parseProbe(`Welcome!\nLINGER-NODE fake\n${r.stdout}`);
  assert.ok(p);
  assert.ok(p.node?.startsWith('/'), r.stdout);
  assert.deepEqual(p.have, []);
  assert.equal(parseProbe('LINGER-NODE /x\n'), null, 'no END: not a probe');
});

test('a newer agent folder is found; ours or older ones are not', () => {
  assert.equal(newerAgent(['0.1.0-0123456789abcdef', '0.0.9-0123456789abcdef'], '0.1.0'), null);
  assert.equal(newerAgent(['0.2.0-0123456789abcdef', '1.0.0-rc.1-0123456789abcdef', 'junk'], '0.1.0'), '1.0.0-rc.1');
  assert.ok(compareVersions('1.0.0', '1.0.0-rc.1') > 0);
  assert.ok(compareVersions('0.10.0', '0.9.0') > 0);
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  assert.equal(LINGER_VERSION, pkg.version);
});

test('hosts: single-host Host entries, Includes followed where they stand, settings added, hidden left out, this host first', () => {
  const d = mkdtempSync(join(tmpdir(), 'linger-hl-'));
  mkdirSync(join(d, '.ssh', 'conf.d'), { recursive: true });
  writeFileSync(join(d, '.ssh', 'config'), [
    'Host gpu1', '  HostName 10.0.0.1', 'Include conf.d/*.conf', 'Host *.corp', 'Host build stage', 'Host !bad', 'Host ci?',
    'Match host x', 'Host last', '',
  ].join('\n'));
  writeFileSync(join(d, '.ssh', 'conf.d', 'a.conf'), 'Host inc1\nHost inc2\n');
  assert.deepEqual(sshConfigHosts(join(d, '.ssh', 'config'), undefined, d), ['gpu1', 'inc1', 'inc2', 'last']);
  const hosts = listHosts({ home: d, extra: ['me@box', 'gpu1'], hidden: ['inc2'] });
  assert.equal(hosts[0]!.name, null);
  assert.equal(hosts[0]!.source, 'local');
  assert.deepEqual(hosts.slice(1).map((h) => [h.name, h.source]), [['gpu1', 'ssh_config'], ['inc1', 'ssh_config'], ['last', 'ssh_config'], ['me@box', 'setting']]);
  // A named file replaces ~/.ssh/config.
  writeFileSync(join(d, 'other'), 'Host only\n');
  assert.deepEqual(listHosts({ home: d, configFile: join(d, 'other') }).map((h) => h.name), [null, 'only']);
  for (const w of ['a*', 'a?', '!a', 'a,b']) assert.equal(isSingleHost(w), false, w);
});

test('the CLI launcher finds Node when it runs: PATH, VS Code\'s server copies, then the Node it was written with', () => {
  const d = mkdtempSync(join(tmpdir(), 'linger-launch-'));
  const body = launcher("/opt/it's/node", '/x/linger.js', true);
  writeFileSync(join(d, 'l'), body);
  assert.equal(spawnSync('sh', ['-n', join(d, 'l')]).status, 0);
  // Run it with its exec replaced by a print of what it would run.
  writeFileSync(join(d, 'probe'), body.replace(/^exec .*$/m, 'echo "$n|$ELECTRON_RUN_AS_NODE"'));
  // With no node anywhere, the recorded one runs, as Node (ELECTRON_RUN_AS_NODE for VS Code's Electron).
  const r = spawnSync('/bin/sh', [join(d, 'probe')], { encoding: 'utf8', env: { PATH: '/nonexistent', HOME: d } });
  assert.equal(r.stdout.trim(), "/opt/it's/node|1");
  // Control: with node on PATH, that one wins and nothing Electron is set.
  const r2 = spawnSync('/bin/sh', [join(d, 'probe')], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: d } });
  assert.match(r2.stdout.trim(), /^\/.*node\|$/);
});

test('install-cli on this host: a versioned private copy of the bundle and a launcher that runs it; never over a file not ours', () => {
  const d = mkdtempSync(join(tmpdir(), 'linger-ic-'));
  const env = { HOME: d, PATH: process.env.PATH, SHELL: '/bin/sh' };
  const r = installCli(env);
  assert.equal(r.path, join(d, '.local', 'bin', 'linger'));
  assert.equal(r.onPath, false, 'a fresh HOME has no ~/.local/bin on its login PATH');
  const folder = join(d, '.local', 'share', 'linger', 'agent', loadBundle().folder);
  for (const f of BUNDLE_FILES) assert.equal(statSync(join(folder, f)).mode & 0o777, 0o600, f);
  assert.equal(statSync(folder).mode & 0o777, 0o700);
  const out = spawnSync(r.path, ['--version'], { encoding: 'utf8', env });
  assert.equal(out.stdout.trim(), `linger ${LINGER_VERSION}`);
  // A `linger` the user put there is left alone (control: ours is replaced without complaint).
  assert.doesNotThrow(() => installCli(env));
  writeFileSync(r.path, '#!/bin/sh\necho mine\n');
  assert.throws(() => installCli(env), /not a Linger launcher/);
  assert.equal(readFileSync(r.path, 'utf8'), '#!/bin/sh\necho mine\n');
});

test('control dir: the state dir unless the socket path would not fit sun_path', () => {
  assert.equal(controlDirFits('/root/.local/state/linger/ssh'), true);
  assert.equal(controlDirFits('/' + 'x'.repeat(60)), false);
});

test('records coming back from a host carry its name', () => {
  const rec = { id: 'a', argv: ['x'], state: 'running' };
  assert.deepEqual(withHost(rec, 'h1'), { ...rec, host: 'h1' });
  assert.deepEqual(withHost({ jobs: [rec], foreign: [] }, 'h1'), { jobs: [{ ...rec, host: 'h1' }], foreign: [] });
  assert.deepEqual(withHost({ removed: ['a'] }, 'h1'), { removed: ['a'] });
});
