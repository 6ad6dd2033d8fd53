// Issue 12: a record is data, /tmp is hostile, a full disk loses nothing, links in a job dir are
// never written through, hostile strings never reach the terminal raw, the caller's environment
// does not stay on disk. Real users (test/support/users.ts), real tmpfs, real backends.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, existsSync, lchownSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync,
  renameSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { JobRecord } from '../../core/jobs/types';
import { cliProblem, runAsUser, stageCli, type StagedCli } from '../support/linger-cli';
import { alive, procInfo, until } from '../support/proc';
import { isRoot, leaseUser, releaseUser, type TestUser } from '../support/users';
import { BACKENDS, ROOT, cleanupHome, cli, cliSync, makeHome } from './engine-helpers';

const OWNER = 'lingerh';
const OTHER = 'lingerg';
const WRAPPER = join(ROOT, 'core', 'jobs', 'wrapper.sh');
const toolsMissing = spawnSync('sh', ['-c', 'command -v script && command -v tmux && command -v screen']).status === 0 ? null : 'needs script, tmux and screen';
const skipUsers = !isRoot() ? 'needs root (creates test users)' : toolsMissing ?? false;

const homes: string[] = [];
const home = (): string => { const h = makeHome(); homes.push(h); return h; };
after(() => { for (const h of homes) cleanupHome(h); });

function oneLine(stderr: string, re: RegExp): void {
  assert.equal(stderr.trimEnd().split('\n').length, 1, `not one line: ${JSON.stringify(stderr)}`);
  assert.match(stderr, re);
}

function stateDirOf(u: TestUser): string { return join(u.home, '.local', 'state', 'linger'); }

function editRecord(stateDir: string, id: string, edit: (j: JobRecord & { internal: Record<string, unknown> }) => void, u: TestUser): void {
  const p = join(stateDir, 'jobs', id, 'job.json');
  const j = JSON.parse(readFileSync(p, 'utf8')) as JobRecord & { internal: Record<string, unknown> };
  edit(j);
  // Written as the owner would have written it: the record is the owner's data.
  writeFileSync(`${p}.new`, JSON.stringify(j));
  chownSync(`${p}.new`, u.uid, u.gid);
  renameSync(`${p}.new`, p);
}

/** A program that, were it ever run, leaves a marker file (proof that it ran, and as whom). */
function plantProgram(dir: string, u: TestUser): { path: string; marker: string } {
  const marker = join(dir, 'ran');
  const path = join(dir, 'evil-backend');
  writeFileSync(path, `#!/bin/sh\nid -u >>'${marker}'\n`, { mode: 0o755 });
  chownSync(path, u.uid, u.gid);
  return { path, marker };
}

describe('a record is data; another user\'s state is refused; no stray signal', { skip: skipUsers }, () => {
  let owner: TestUser;
  let cliStaged: StagedCli;
  let scratch: string;
  before(async () => {
    const problem = cliProblem();
    if (problem) throw new Error(problem);
    owner = await leaseUser(OWNER);
    cliStaged = stageCli();
    scratch = mkdtempSync('/tmp/lg-hard-');
    chmodSync(scratch, 0o755);
  });
  after(async () => {
    if (owner) await releaseUser(OWNER);
    cliStaged?.cleanup();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const asOwner = (args: string[], env: Record<string, string> = {}) => runAsUser(owner, cliStaged, args, { env, timeoutMs: 30_000 });

  async function ownerJob(backend: string): Promise<string> {
    const r = await asOwner(['run', '--backend', backend, '--json', '--', 'sleep', '120']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as JobRecord).id;
  }

  test('root acting on a user\'s state dir: every verb refuses in one line; the planted backend never runs', async () => {
    const id = await ownerJob('tmux');
    const state = stateDirOf(owner);
    const evil = plantProgram(scratch, owner);
    editRecord(state, id, (j) => { j.internal.backendBin = evil.path; }, owner);
    const env = { LINGER_HOME: state };
    for (const args of [['show', id], ['logs', id], ['kill', id], ['attach', id], ['wait', '--timeout', '1', id], ['rm', id], ['restart', id]]) {
      const r = await cli(state, args, env);
      assert.equal(r.code, 1, `root: linger ${args.join(' ')}: exit ${r.code} ${r.stderr}`);
      oneLine(r.stderr, /not owned by you.*permission denied/);
    }
    assert.ok(!existsSync(evil.marker), `the planted backend ran as uid ${existsSync(evil.marker) ? readFileSync(evil.marker, 'utf8') : ''}`);
    // Control: the owner's job is untouched and still running.
    const show = await asOwner(['show', '--json', id]);
    assert.equal((JSON.parse(show.stdout) as JobRecord).state, 'running');
  });

  test('the owner\'s own kill and attach resolve the backend on PATH, never from the record', async () => {
    for (const b of ['tmux', 'screen'] as const) {
      const id = await ownerJob(b);
      const evil = plantProgram(mkdtempSync(join(scratch, 'p-')), owner);
      chmodSync(join(evil.marker, '..'), 0o777);
      editRecord(stateDirOf(owner), id, (j) => { j.internal.backendBin = evil.path; }, owner);
      // attach without a terminal fails in the real backend, which is the point: it is the real one.
      await asOwner(['attach', id]);
      const k = await asOwner(['kill', id]);
      assert.equal(k.code, 0, k.stderr);
      assert.ok(!existsSync(evil.marker), `${b}: the program named by job.json ran`);
      const show = await asOwner(['show', '--json', id]);
      assert.equal((JSON.parse(show.stdout) as JobRecord).state, 'killed', `${b}: ${show.stdout}`);
    }
  });

  test('a record naming pgid 1 or another live process: nothing is signalled, the record does not say killed', async () => {
    // Processes of the same user that a stray kill would reach: a plain sleep, and one that
    // writes a file when it gets any of the signals kill sends.
    const hit = join(scratch, 'signalled');
    const ready = join(scratch, 'trap-ready');
    chmodSync(scratch, 0o777);
    const trapper = spawn('runuser', ['-u', owner.name, '--', 'sh', '-c',
      `trap 'echo "$1" >>"${hit}"; exit' TERM HUP INT; : >"${ready}"; sleep 600 & wait`, 'trap'], { stdio: 'ignore', detached: true });
    const sleeper = spawn('runuser', ['-u', owner.name, '--', 'sleep', '600'], { stdio: 'ignore', detached: true });
    try {
      await until('the trap is set', () => existsSync(ready));
      const sleepPid = await until('the sleep', () => {
        const kids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map((n) => procInfo(+n)).filter((p) => p && p.ppid === sleeper.pid && p.args[0] === 'sleep');
        return kids[0]?.pid ?? (procInfo(sleeper.pid!)?.args[0] === 'sleep' ? sleeper.pid : null);
      });
      for (const [what, pgid] of [['pgid 1', 1], ['another live process', sleepPid]] as const) {
        for (const b of ['setsid', 'tmux'] as const) {
          const id = await ownerJob(b);
          editRecord(stateDirOf(owner), id, (j) => {
            j.pgid = pgid; j.internal.leaderPid = pgid; j.internal.leaderStart = null;
          }, owner);
          const k = await asOwner(['kill', '--grace', '1', id]);
          assert.equal(k.code, 1, `${what} (${b}): kill exit ${k.code}: ${k.stderr}`);
          oneLine(k.stderr, /is not this job's process.*nothing signalled/);
          assert.ok(!existsSync(hit), `${what} (${b}): a process of the user got a signal`);
          assert.ok(alive(sleepPid), `${what} (${b}): the sleep was killed`);
          const show = await asOwner(['show', '--json', id]);
          assert.notEqual((JSON.parse(show.stdout) as JobRecord).state, 'killed', `${what} (${b}): the record says killed`);
        }
      }
    } finally {
      for (const c of [trapper, sleeper]) { try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ } }
    }
  });

  test('our short-socket dir /tmp/linger-UID planted as a link by someone else is refused', async () => {
    const dir = `/tmp/linger-${owner.uid}`;
    rmSync(dir, { recursive: true, force: true });
    // The link points at a directory the user owns and keeps private, so a stat() that follows
    // links sees nothing wrong.
    const target = join(owner.home, 'lured');
    mkdirSync(target, { mode: 0o700 });
    chownSync(target, owner.uid, owner.gid);
    symlinkSync(target, dir);
    try {
      const longHome = join(owner.home, 'x'.repeat(110));
      const r = await asOwner(['run', '--backend', 'tmux', '--', 'true'], { LINGER_HOME: longHome });
      assert.equal(r.code, 1, `run through a planted /tmp link: ${r.stdout} ${r.stderr}`);
      oneLine(r.stderr, new RegExp(`${dir} is a symbolic link.*refusing`));
      assert.deepEqual(readdirSync(target), [], 'something was put in the link\'s target');
    } finally {
      rmSync(dir, { force: true });
      rmSync(target, { recursive: true, force: true });
    }
  });
});

describe('shared socket dirs are checked before anything in them is touched', { skip: skipUsers }, () => {
  let other: TestUser;
  let servers: Server[] = [];
  before(async () => { other = await leaseUser(OTHER); });
  after(async () => {
    for (const s of servers) s.close();
    if (other) await releaseUser(OTHER);
  });

  async function listen(path: string): Promise<{ connections: () => number }> {
    let n = 0;
    const srv = createServer((c) => { n++; c.destroy(); });
    servers.push(srv);
    await new Promise<void>((res) => srv.listen(path, res));
    return { connections: () => n };
  }

  test('ls --all: a /tmp/tmux-UID made first by another user (or a link) is refused and never connected to', async () => {
    const h = home();
    for (const kind of ['owned by another user', 'a link'] as const) {
      const tmpdir = mkdtempSync('/tmp/lg-tmuxdir-');
      chmodSync(tmpdir, 0o1777);
      const dir = join(tmpdir, `tmux-${process.getuid!()}`);
      const real = kind === 'a link' ? join(tmpdir, 'elsewhere') : dir;
      mkdirSync(real, { mode: 0o777 });
      chmodSync(real, 0o777);
      const fake = await listen(join(real, 'default'));
      if (kind === 'owned by another user') chownSync(real, other.uid, other.gid);
      else { symlinkSync(real, dir); lchownSync(dir, other.uid, other.gid); }
      try {
        // Async, so this process keeps accepting on the fake socket while linger runs.
        const r = await cli(h, ['ls', '--all'], { TMUX_TMPDIR: tmpdir });
        await new Promise((res) => setImmediate(res));
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, new RegExp(`not listing tmux sessions in ${dir}: `), `${kind}: ${r.stderr}`);
        assert.equal(r.stderr.trimEnd().split('\n').filter((l) => l.includes('tmux')).length, 1);
        assert.equal(fake.connections(), 0, `${kind}: linger connected to the planted socket`);
      } finally {
        rmSync(tmpdir, { recursive: true, force: true });
      }
    }
  });
});

test('ls --all: a screen socket dir (SCREENDIR) that is a link or open to others is refused', { skip: toolsMissing ?? false }, async () => {
  const h = home();
  const tmp = mkdtempSync('/tmp/lg-screendir-');
  try {
    const open = join(tmp, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const priv = join(tmp, 'priv');
    mkdirSync(priv, { mode: 0o700 });
    symlinkSync(priv, join(tmp, 'link'));
    for (const [dir, why] of [[open, /open to group or others/], [join(tmp, 'link'), /symbolic link/]] as const) {
      const r = await cli(h, ['ls', '--all'], { SCREENDIR: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`not listing screen sessions in ${dir}: `));
      assert.match(r.stderr, why);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------

const mounted: string[] = [];
after(() => { for (const m of mounted) spawnSync('umount', ['-l', m]); });

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    out.push(p);
    if (lstatSync(p).isDirectory()) out.push(...allFiles(p));
  }
  return out;
}

test('full disk: the log stops, the exit status is recorded, the disk is named, no temp file is left', { skip: isRoot() ? toolsMissing ?? false : 'needs root (mounts a tmpfs)' }, async () => {
  for (const b of BACKENDS) {
    const h = makeHome();
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', h], { encoding: 'utf8' });
    assert.equal(m.status, 0, `mount -t tmpfs (needs root with CAP_SYS_ADMIN): ${m.stderr}`);
    mounted.push(h);
    // 3 MB of output into a 1 MB file system, then an exit status of its own.
    const id = cliSync(h, ['run', '--backend', b, '--', 'sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" x; echo; exit 7']).stdout.trim();
    assert.match(id, /^[0-9a-z]{10}$/);
    const w = await cli(h, ['wait', id]);
    assert.equal(w.code, 7, `${b}: wait: ${w.stderr}`);
    assert.match(w.stderr, new RegExp(`log stopped early: no space left on the device holding ${h}/jobs/${id}`), `${b}: ${w.stderr}`);
    const show = cliSync(h, ['show', id]);
    assert.match(show.stdout, /state: +exited 7/);
    assert.match(show.stdout, /note: +its log stopped early: no space left on the device/);
    // Listing on a full disk (each wants to write index.json) leaves no temp file either.
    for (let i = 0; i < 3; i++) assert.equal(cliSync(h, ['ls']).code, 0);
    const tmps = allFiles(h).filter((p) => /\.tmp$/.test(p));
    assert.deepEqual(tmps, [], `${b}: temp files left behind`);
    // A job started on the full disk fails cleanly and leaves no half-made job behind.
    const before2 = readdirSync(join(h, 'jobs')).length;
    const r2 = cliSync(h, ['run', '--backend', b, '--', 'true']);
    if (r2.code !== 0) {
      oneLine(r2.stderr, /no space left on the device holding/);
      assert.equal(readdirSync(join(h, 'jobs')).length, before2);
    } else await cli(h, ['wait', r2.stdout.trim()]);
    try { cleanupHome(h); } catch { /* the mount point itself cannot go while mounted */ }
    spawnSync('umount', [h]);
    rmSync(h, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------

function plantLinks(dir: string, names: string[], target: string): void {
  for (const n of names) {
    const tmp = join(dir, `.plant-${n}`);
    symlinkSync(target, tmp);
    renameSync(tmp, join(dir, n));
  }
}

test('links planted in a job dir are replaced, never written through (the wrapper on its own)', { skip: toolsMissing ?? false }, async () => {
  const scratch = mkdtempSync('/tmp/lg-links-');
  try {
    const target = join(scratch, 'outside');
    writeFileSync(target, 'untouched\n');
    const hard = join(scratch, 'outside-hard');
    writeFileSync(hard, 'untouched too\n');
    const dir = join(scratch, 'job');
    mkdirSync(dir, { mode: 0o700 });
    const script = 'head -c 3000 /dev/zero | tr "\\0" a; exit 3';
    writeFileSync(join(dir, 'spec'), `3 0 0022 1000\n=sh\n=-c\n=${script}\n=/\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'exit.res'), '\n'.repeat(64), { mode: 0o600 });
    plantLinks(dir, ['wpid', 'opid', 'exit', 'log', 'log.1', 'log.done', 'in'], target);
    linkSync(hard, join(dir, 'cpid'));
    const child = spawn('sh', [WRAPPER, dir, 'script'], { stdio: 'ignore', detached: true });
    await new Promise((res) => child.on('close', res));
    await until('log.done', () => { try { return lstatSync(join(dir, 'log.done')).isFile(); } catch { return false; } });
    assert.equal(readFileSync(target, 'utf8'), 'untouched\n', 'a symlink was written through');
    assert.equal(readFileSync(hard, 'utf8'), 'untouched too\n', 'a hard link was written through');
    for (const n of ['wpid', 'cpid', 'opid', 'exit', 'log', 'log.1', 'log.done']) {
      const st = lstatSync(join(dir, n));
      assert.ok(st.isFile() && st.nlink === 1, `${n} is not a fresh regular file`);
    }
    assert.equal(readFileSync(join(dir, 'exit'), 'utf8').split('\n')[0], 'code 3');
    for (const n of ['wpid', 'cpid', 'opid']) assert.match(readFileSync(join(dir, n), 'utf8'), /^\d+\n$/, n);
    const log = readFileSync(join(dir, 'log.1'), 'latin1') + readFileSync(join(dir, 'log'), 'latin1');
    assert.match(log, /^a+$/);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('tmp')), []);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('links planted in a running job\'s dir are replaced, never written through (every backend)', { skip: toolsMissing ?? false }, async () => {
  for (const b of BACKENDS) {
    const h = home();
    const target = join(h, 'outside');
    writeFileSync(target, 'untouched\n');
    const fifo = join(h, 'go');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const r = cliSync(h, ['run', '--backend', b, '--json', '--', 'sh', '-c', `read x <"${fifo}"; head -c 3000 /dev/zero | tr "\\0" a; exit 3`], { LINGER_LOG_CAP: '1k' });
    assert.equal(r.code, 0, r.stderr);
    const id = (JSON.parse(r.stdout) as JobRecord).id;
    const dir = join(h, 'jobs', id);
    plantLinks(dir, ['exit', 'log', 'log.1', 'log.done'], target);
    writeFileSync(fifo, 'go\n');
    const w = await cli(h, ['wait', id]);
    assert.equal(w.code, 3, `${b}: ${w.stderr}`);
    assert.equal(readFileSync(target, 'utf8'), 'untouched\n', `${b}: a planted link was written through`);
    for (const n of ['exit', 'log', 'log.1', 'log.done']) assert.ok(lstatSync(join(dir, n)).isFile(), `${b}: ${n} is still a link`);
    const logs = cliSync(h, ['logs', id]);
    assert.match(logs.stdout, /^a+(\r?\n)?$/, `${b}: logs read something else: ${JSON.stringify(logs.stdout.slice(0, 80))}`);
  }
});

// ---------------------------------------------------------------------------------------------

test('hostile names and ids never reach the terminal raw', async () => {
  const h = home();
  const forged = 'x\nzzzzzzzzzz  running  tmux  0s  rm -rf ~';
  const esc = '\x1b]0;pwned\x07\x1b[2J';
  for (const name of [forged, esc]) assert.equal(cliSync(h, ['run', '--backend', 'setsid', '--name', name, '--', 'true']).code, 0);
  const ls = cliSync(h, ['ls']);
  assert.equal(ls.stdout.trimEnd().split('\n').length, 3, `ls rows: ${JSON.stringify(ls.stdout)}`);
  assert.ok(!ls.stdout.includes('\x1b') && !ls.stdout.includes('\x07'), 'an escape sequence reached the terminal');
  assert.ok(ls.stdout.includes("$'x\\nzzzzzzzzzz"), `the name is not shown escaped: ${ls.stdout}`);
  const show = cliSync(h, ['show', esc]);
  assert.equal(show.code, 0, show.stderr);
  assert.ok(!show.stdout.includes('\x1b'));
  assert.match(show.stdout, /name: +\$'\\e\]0;pwned\\a\\e\[2J'/);
  for (const ref of ['abc\ndef', 'a\x1b[31mred', 'ok\r\x1b[Kforged']) {
    const r = cliSync(h, ['show', ref]);
    assert.equal(r.code, 1);
    oneLine(r.stderr, /^linger: /);
    assert.ok(!r.stderr.includes('\x1b') && !r.stderr.includes('\r'), JSON.stringify(r.stderr));
  }
  const cmd = cliSync(h, ['run', '--backend', 'setsid', '--', 'echo', 'a\u009b31mb']);
  const listed = cliSync(h, ['ls']).stdout;
  assert.ok(!listed.includes('\u009b'), 'a C1 control (8-bit CSI) reached the terminal');
  await cli(h, ['wait', cmd.stdout.trim()]);
});

test('a tmux job\'s copy of the caller\'s environment is gone once the job has started; restart takes the restarting caller\'s', { skip: toolsMissing ?? false }, async () => {
  const h = home();
  const r = cliSync(h, ['run', '--backend', 'tmux', '--json', '--', 'sh', '-c', 'echo "token=$LG_SECRET_TOKEN"; exec sleep 60'], { LG_SECRET_TOKEN: 'first-secret' });
  assert.equal(r.code, 0, r.stderr);
  const id = (JSON.parse(r.stdout) as JobRecord).id;
  const environ = join(h, 'jobs', id, 'environ');
  await until('environ removed', () => !existsSync(environ), 5000, 20);
  await until('the job saw the token', () => cliSync(h, ['logs', id]).stdout.includes('token=first-secret'));
  assert.equal(cliSync(h, ['show', '--json', id]).stdout.includes('"running"'), true);
  assert.equal(cliSync(h, ['kill', '--grace', '0', id]).code, 0);
  const r2 = cliSync(h, ['restart', '--json', id], { LG_SECRET_TOKEN: 'second-secret' });
  assert.equal(r2.code, 0, r2.stderr);
  const id2 = (JSON.parse(r2.stdout) as JobRecord).id;
  await until('the restarted job saw the restarting caller\'s token', () => cliSync(h, ['logs', id2]).stdout.includes('token=second-secret'));
  await until('environ removed', () => !existsSync(join(h, 'jobs', id2, 'environ')), 5000, 20);
  cliSync(h, ['kill', '--grace', '0', id2]);
});
