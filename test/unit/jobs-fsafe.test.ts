// Safe creation in the engine (spec, environ, exit reserve, job.json's temp file), terminal-safe
// printing, and the proof that refuses to signal what is not a job's wrapper.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { createExclusive, privateDirProblem, writeAtomic } from '../../core/jobs/fsafe';
import { proveWrapper } from '../../core/jobs/proof';
import { termSafe, termSafeText } from '../../cli/escape';

const dir = mkdtempSync(join(tmpdir(), 'lg-fsafe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('createExclusive never writes through a symlink or a hard link', () => {
  const target = join(dir, 'target');
  writeFileSync(target, 'keep');
  symlinkSync(target, join(dir, 'spec'));
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
  linkSync(target, join(dir, 'hard'));
  for (const n of ['spec', 'dangling', 'hard']) assert.throws(() => createExclusive(join(dir, n), 'x'), { code: 'EEXIST' });
  assert.equal(readFileSync(target, 'utf8'), 'keep');
  assert.equal(lstatSync(join(dir, 'nowhere'), { throwIfNoEntry: false }), undefined);
  createExclusive(join(dir, 'fresh'), 'data');
  assert.equal(lstatSync(join(dir, 'fresh')).mode & 0o777, 0o600);
});

test('writeAtomic replaces a link instead of following it, and leaves no temp file when it fails', () => {
  const target = join(dir, 'target2');
  writeFileSync(target, 'keep');
  symlinkSync(target, join(dir, 'job.json'));
  writeAtomic(join(dir, 'job.json'), '{}');
  assert.ok(lstatSync(join(dir, 'job.json')).isFile());
  assert.equal(readFileSync(target, 'utf8'), 'keep');
  // rename onto a directory fails after the temp file was written: it must go.
  mkdirSync(join(dir, 'adir'));
  writeFileSync(join(dir, 'adir', 'x'), '');
  assert.throws(() => writeAtomic(join(dir, 'adir'), 'x'));
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});

test('privateDirProblem: links, open modes and non-directories are refused', () => {
  const d = join(dir, 'priv');
  mkdirSync(d, { mode: 0o700 });
  assert.equal(privateDirProblem(d), null);
  symlinkSync(d, join(dir, 'privlink'));
  assert.match(privateDirProblem(join(dir, 'privlink')) ?? '', /symbolic link/);
  chmodSync(d, 0o755);
  assert.match(privateDirProblem(d) ?? '', /open to group or others/);
  assert.match(privateDirProblem(join(dir, 'target')) ?? '', /not a directory/);
});

test('proveWrapper refuses pid 0/1, ourselves, and a process that is not the job\'s', async () => {
  for (const p of [0, 1, -1, process.pid, 1.5, Number.NaN]) assert.equal(proveWrapper(p, '/x/jobs/abc', null, true).ok, false, String(p));
  const jobDir = join(dir, 'jobs', 'abcdefghij');
  mkdirSync(jobDir, { recursive: true });
  const stranger = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  const wrapper = spawn('sh', ['-c', 'sleep 30', 'sh', jobDir], { detached: true, stdio: 'ignore' });
  try {
    // 'spawn' fires once exec succeeded: the command lines are the new programs'.
    await Promise.all([once(stranger, 'spawn'), once(wrapper, 'spawn')]);
    const s = proveWrapper(stranger.pid, jobDir, null, true);
    assert.equal(s.ok, false);
    assert.match((s as { why: string }).why, /do not name this job/);
    assert.equal(proveWrapper(wrapper.pid, jobDir, null, true).ok, true);
    assert.equal(proveWrapper(wrapper.pid, jobDir, 12345, true).ok, false, 'another start time is another process');
  } finally {
    stranger.kill('SIGKILL');
    wrapper.kill('SIGKILL');
  }
});

test('termSafe: controls are shown escaped, plain text is unchanged', () => {
  assert.equal(termSafe('plain name'), 'plain name');
  assert.equal(termSafe('ünïcode ok'), 'ünïcode ok');
  assert.equal(termSafe('a\nb'), "$'a\\nb'");
  assert.equal(termSafe("it's\x1b[2J"), "$'it\\'s\\e[2J'");
  assert.equal(termSafe('x\u009by\u202ez'), "$'x\\x9by\\u202ez'");
  assert.equal(termSafeText('no such job: a\nb'), 'no such job: a\\nb');
});
