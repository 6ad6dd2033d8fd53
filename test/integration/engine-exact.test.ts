// Exactness on every backend (issue 11): bytes that are not UTF-8 reach the job unaltered (argv,
// --env, --cwd) or are refused; `linger logs` gives the program's bytes and `--raw` the terminal
// stream; an exit status above 128 is told from a death by signal.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../core/jobs/engine';
import type { JobRecord } from '../../core/jobs/types';
import { BACKENDS, CLI, cleanupHome, fileAppears, makeHome } from './engine-helpers';

const homes: string[] = [];
const home = () => { const h = makeHome(); homes.push(h); return h; };
after(() => { for (const h of homes) cleanupHome(h); });

interface BytesResult { code: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: string }

/**
 * Runs the CLI with argv given as exact bytes. Node's spawn takes only strings, so each argument
 * goes through a file and a small sh turns the files back into argv (no shell line is built from
 * them). nodeArgs go before the script (node options).
 */
function cliBytes(h: string, args: Array<string | Buffer>, opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; cwd?: string } = {}): Promise<BytesResult> {
  const d = mkdtempSync(join(h, 'argv-'));
  args.forEach((a, i) => writeFileSync(join(d, String(i).padStart(4, '0')), a));
  const rebuild = 'd=$1; shift; n=$1; shift; i=0; while [ "$i" -lt "$n" ]; do f=$(printf "%s/%04d" "$d" "$i"); v=$(cat "$f"; printf .); set -- "$@" "${v%.}"; i=$((i + 1)); done; exec "$@"';
  // The node command and its options come first in "$@"; the rebuilt arguments are appended.
  const c = spawn('sh', ['-c', rebuild, 'sh', d, String(args.length), process.execPath, ...(opts.nodeArgs ?? []), CLI],
    { env: { ...process.env, LINGER_HOME: h, LINGER_DEBUG: '', ...opts.env }, cwd: opts.cwd });
  return new Promise((res) => {
    const out: Buffer[] = [];
    let stderr = '';
    c.stdout.on('data', (b: Buffer) => out.push(b));
    c.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    c.on('close', (code, signal) => res({ code, signal, stdout: Buffer.concat(out), stderr }));
  });
}

const cliOut = async (h: string, args: Array<string | Buffer>, opts?: Parameters<typeof cliBytes>[2]) => {
  const r = await cliBytes(h, args, opts);
  assert.equal(r.code, 0, `linger ${args.map(String).join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const show = async (h: string, id: string) => JSON.parse((await cliOut(h, ['show', id, '--json'])).toString()) as JobRecord;
const runId = async (h: string, args: Array<string | Buffer>, opts?: Parameters<typeof cliBytes>[2]) => (await cliOut(h, ['run', ...args], opts)).toString().trim();
const waitCode = async (h: string, id: string) => (await cliBytes(h, ['wait', id])).code;

const FF_FE = Buffer.from([0xff, 0xfe]);

describe('bytes that are not UTF-8 reach the job exactly', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(`${b}: argv, --env value, --cwd`, async () => {
      const h = home();
      // printf's output is the log: read back with logs (program's bytes).
      const id = await runId(h, ['--backend', b, '--', 'printf', '%s', FF_FE]);
      assert.equal(await waitCode(h, id), 0);
      assert.deepEqual(await cliOut(h, ['logs', id]), FF_FE, 'logs gives exactly the bytes printf wrote');
      const r = await show(h, id);
      assert.equal(r.argv[2], '\uFFFD\uFFFD', 'the record shows them as text');
      assert.deepEqual(Buffer.from(r.rawBytes!.argv![2], 'base64'), FF_FE, 'and keeps the bytes');

      // env value, cwd, and an argument in the middle of others, written by the job to files.
      const cwd = Buffer.concat([Buffer.from(`${h}/dir-`), Buffer.from([0xe9, 0x80]), Buffer.from('-x')]);
      mkdirSync(cwd);
      const out = join(h, `out-${b}`);
      const envVal = Buffer.from([0x61, 0xc3, 0x28, 0x0a, 0xff]); // invalid sequence and a newline
      const arg = Buffer.concat([Buffer.from('x'), FF_FE, Buffer.from('\n\ny')]);
      const id2 = await runId(h, ['--backend', b, '--cwd', cwd, Buffer.concat([Buffer.from('--env=V='), envVal]), '--',
        'sh', '-c', 'printf %s "$1" >"$0.arg"; printf %s "$V" >"$0.env"; pwd -P >"$0.cwd"', out, arg]);
      assert.equal(await waitCode(h, id2), 0);
      assert.deepEqual(readFileSync(`${out}.arg`), arg);
      assert.deepEqual(readFileSync(`${out}.env`), envVal);
      assert.deepEqual(readFileSync(`${out}.cwd`), Buffer.concat([cwd, Buffer.from('\n')]));

      // restart runs the recorded bytes again.
      const id3 = (await cliOut(h, ['restart', id2])).toString().trim();
      assert.notEqual(id3, id2);
      assert.equal(await waitCode(h, id3), 0);
      assert.deepEqual(readFileSync(`${out}.arg`), arg);
      assert.deepEqual(readFileSync(`${out}.env`), envVal);
    });
  }

  test('inherited environment values that are not UTF-8 reach the job exactly, every backend', async () => {
    const h = home();
    const val = Buffer.from([0x61, 0xff, 0x27, 0xfe, 0x0a, 0x62]); // with a quote and a newline
    writeFileSync(join(h, 'inh'), val);
    for (const b of BACKENDS) {
      // Node cannot put such a value in a child's environment: sh exports it, then execs the CLI.
      const c = spawnSync('sh', ['-c', 'INH=$(cat "$0"; printf .); INH=${INH%.}; export INH; exec "$@"', join(h, 'inh'),
        process.execPath, CLI, 'run', '--backend', b, '--', 'sh', '-c', 'printf %s "$INH" >"$0"', join(h, `inh-${b}`)],
      { env: { ...process.env, LINGER_HOME: h }, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(c.status, 0, c.stderr);
      assert.equal(await waitCode(h, c.stdout.trim()), 0);
      assert.deepEqual(readFileSync(join(h, `inh-${b}`)), val, b);
    }
  });

  test('a working directory that is not UTF-8 is the default cwd, exactly', async () => {
    const h = home();
    const cwd = Buffer.concat([Buffer.from(`${h}/here-`), FF_FE]);
    mkdirSync(cwd);
    writeFileSync(join(h, 'cwdname'), cwd);
    // Node cannot spawn in a directory whose name is not UTF-8 (cwd is a string): sh cd's there.
    const c = spawnSync('sh', ['-c', 'cd "$(cat "$0")" && exec "$@"', join(h, 'cwdname'), process.execPath, CLI, 'run', '--', 'sh', '-c', 'pwd -P >"$0"', join(h, 'pwd')],
      { env: { ...process.env, LINGER_HOME: h }, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(c.status, 0, c.stderr);
    assert.equal(await waitCode(h, c.stdout.trim()), 0);
    assert.deepEqual(readFileSync(join(h, 'pwd')), Buffer.concat([cwd, Buffer.from('\n')]));
  });

  test('refused with one line when the exact bytes cannot be recovered', async () => {
    const h = home();
    // --title rewrites the process's command line, so /proc/self/cmdline no longer holds argv.
    const r = await cliBytes(h, ['run', '--', 'printf', '%s', FF_FE], { nodeArgs: ['--title=linger-title-test'] });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^linger: argument .* is not valid UTF-8 and its exact bytes cannot be read .*; refusing to alter it\n$/);
    const ls = JSON.parse((await cliOut(h, ['ls', '--json'])).toString()) as JobRecord[];
    assert.equal(ls.length, 0, 'nothing ran');
    // Valid UTF-8 needs no recovery, whatever the command line looks like.
    const ok = await cliBytes(h, ['run', '--', 'true'], { nodeArgs: ['--title=linger-title-test'] });
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('engine and protocol: a string with a lone surrogate is refused, not altered', async () => {
    const h = home();
    const e = new Engine({ home: h });
    await assert.rejects(e.run({ argv: ['printf', '%s', 'a\uD800b'] }), /argument 2 is not valid Unicode text/);
    await assert.rejects(e.run({ argv: ['true'], env: { X: '\uDC00' } }), /environment variable X is not valid Unicode text/);
    await assert.rejects(e.run({ argv: ['true'], cwd: '/tmp/\uD800' }), /working directory is not valid Unicode text/);
    assert.equal((await e.list()).length, 0);
  });
});

/** Equal bytes, or a message that shows where they part. */
function sameBytes(got: Buffer, want: Buffer, what: string): void {
  if (got.equals(want)) return;
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const hex = (b: Buffer) => b.subarray(Math.max(0, i - 8), i + 24).toString('hex');
  assert.fail(`${what}: ${got.length} bytes for ${want.length}, first difference at ${i}: got ${hex(got)} want ${hex(want)}`);
}

/** A job's log as `linger logs` gives it, and as --raw. */
async function logsOf(h: string, id: string): Promise<{ exact: Buffer; raw: Buffer }> {
  return { exact: await cliOut(h, ['logs', id]), raw: await cliOut(h, ['logs', '--raw', id]) };
}

describe('logs: the program\'s bytes; --raw: the terminal stream', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(`${b}: stdout, stderr, own CRLF, lone CR, no trailing newline`, async () => {
      const h = home();
      const id = await runId(h, ['--backend', b, '--', 'sh', '-c', 'printf "out\\n"; printf "err\\n" >&2; printf "own\\r\\nlone\\rtab\\there\\r"; printf "\\r\\n\\nend"']);
      assert.equal(await waitCode(h, id), 0);
      const { exact, raw } = await logsOf(h, id);
      assert.equal(exact.toString('latin1'), 'out\nerr\nown\r\nlone\rtab\there\r\r\n\nend');
      assert.equal(raw.toString('latin1'), 'out\r\nerr\r\nown\r\r\nlone\rtab\there\r\r\r\n\r\nend');
      // --tail counts the program's lines.
      assert.equal((await cliOut(h, ['logs', '--tail', '2', id])).toString('latin1'), '\nend');
    });

    test(`${b}: 1 MB of random binary, and logs -f while the CLI is killed mid-run`, async () => {
      const h = home();
      // Random, except ESC and 0xc2 (which starts the UTF-8 form of the C1 controls, e.g. CSI):
      // tmux and screen answer terminal queries (ESC Z, ESC [ c, CSI 6 n…) found in the output by
      // writing to the job's terminal, whose echo then puts the answer in the log like typed input
      // (core/jobs/README.md, Logs). Every other byte value, "\r" and "\n" included, is here.
      // setsid has no terminal emulator: every byte value there.
      const rnd = randomBytes(1_000_000);
      const expected = b === 'setsid' ? rnd : Buffer.from(rnd.map((x) => (x === 0x1b ? 0x1a : x === 0xc2 ? 0xc3 : x)));
      const src = join(h, 'expected');
      writeFileSync(src, expected);
      // Written in pieces with pauses, so readers see the log grow.
      const id = await runId(h, ['--backend', b, '--', 'sh', '-c', 'i=0; while [ $i -lt 10 ]; do dd if="$0" bs=100000 skip=$i count=1 2>/dev/null; sleep 0.1; i=$((i + 1)); done', src]);
      const follower = cliBytes(h, ['logs', '-f', id]);
      // Linger processes killed while the job writes: a follower and a waiter, SIGKILLed.
      const victims = [spawn(process.execPath, [CLI, 'logs', '-f', id], { env: { ...process.env, LINGER_HOME: h }, stdio: 'ignore' }),
        spawn(process.execPath, [CLI, 'wait', id], { env: { ...process.env, LINGER_HOME: h }, stdio: 'ignore' })];
      await fileAppears(join(h, 'jobs', id, 'log'), 'the job\'s first output');
      for (const v of victims) v.kill('SIGKILL');
      assert.equal(await waitCode(h, id), 0);
      const f = await follower;
      assert.equal(f.code, 0, f.stderr);
      const { exact, raw } = await logsOf(h, id);
      sameBytes(exact, expected, 'logs gave the program\'s bytes');
      sameBytes(f.stdout, expected, 'logs -f gave the program\'s bytes');
      const nl = expected.filter((x) => x === 10).length;
      assert.equal(raw.length, expected.length + nl, 'the raw stream has one \\r more per \\n');
    });

    test(`${b}: several MB across the log rotation`, async () => {
      const h = home();
      const cap = 256 * 1024;
      // A pattern with "\n", "\r\n" and lone "\r", ~3 MB: the kept tail decodes to the tail of it.
      const unit = Buffer.from('line\nwith crlf\r\nand cr\r-');
      const expected = Buffer.concat(Array.from({ length: Math.ceil(3_000_000 / unit.length) }, (_, i) => Buffer.concat([Buffer.from(String(i)), unit])));
      const src = join(h, 'expected');
      writeFileSync(src, expected);
      const id = await runId(h, ['--backend', b, '--', 'cat', src], { env: { LINGER_LOG_CAP: String(cap) } });
      assert.equal(await waitCode(h, id), 0);
      const { exact, raw } = await logsOf(h, id);
      assert.ok(raw.length <= cap && raw.length >= cap / 2, `raw log within the cap (${raw.length})`);
      assert.ok(exact.length > cap / 3, `kept a tail (${exact.length})`);
      assert.ok(expected.subarray(expected.length - exact.length).equals(exact), 'the decoded log is exactly the tail of what the program wrote');
    });
  }
});

/** Sends Ctrl-C through the job's terminal the way a user would. */
function ctrlC(h: string, b: string, r: JobRecord): void {
  if (b === 'tmux') spawnSync('tmux', ['-S', join(h, 'tmux.sock'), 'send-keys', '-t', `=${r.session}:`, 'C-c'], { stdio: 'ignore' });
  else if (b === 'screen') spawnSync('screen', ['-S', r.session, '-X', 'stuff', '\x03'], { stdio: 'ignore', env: { ...process.env, SCREENDIR: join(h, 'screen') } });
  else writeFileSync(join(h, 'jobs', r.id, 'in'), '\x03');
}

/** Resolves once `file` holds what `ok` wants: woken by inotify on its directory, not by polling. */
function contentIs(file: string, ok: (b: Buffer) => boolean, what: string, ms = 20_000): Promise<void> {
  return new Promise((res, rej) => {
    const check = (): boolean => { try { return ok(readFileSync(file)); } catch { return false; } };
    const done = (err?: Error) => { w.close(); clearTimeout(t); if (err) rej(err); else res(); };
    const w = watch(join(file, '..'), () => { if (check()) done(); });
    const t = setTimeout(() => done(check() ? undefined : new Error(`timed out waiting for ${what}`)), ms);
    if (check()) done();
  });
}

describe('exit status above 128: an exit is told from a signal', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(b, async () => {
      const h = home();
      const cases: Array<[string, Partial<JobRecord>, number]> = [
        ['exit 139', { state: 'exited', exitCode: 139, signal: null }, 139],
        ['exit 130', { state: 'exited', exitCode: 130, signal: null }, 130],
        ['kill -SEGV $$', { state: 'killed', exitCode: null, signal: 'SIGSEGV' }, 139],
        ['kill -TERM $$', { state: 'killed', exitCode: null, signal: 'SIGTERM' }, 143],
        ['exit 0', { state: 'exited', exitCode: 0, signal: null }, 0],
      ];
      for (const [script, want, code] of cases) {
        const id = await runId(h, ['--backend', b, '--', 'sh', '-c', script]);
        assert.equal(await waitCode(h, id), code, `${script}: wait exits with the same number`);
        const r = await show(h, id);
        assert.deepEqual({ state: r.state, exitCode: r.exitCode, signal: r.signal }, want, script);
        assert.equal(r.exitAmbiguous, undefined, `${script}: not ambiguous`);
        assert.equal((await cliOut(h, ['logs', id])).toString(), '', `${script}: nothing but the program's output in the log`);
      }
      // Ctrl-C through the terminal still reaches the job (an asynchronous child would ignore it).
      const id = await runId(h, ['--backend', b, '--json', '--', 'sh', '-c', 'echo ready; exec sleep 60']).then((s) => (JSON.parse(s) as JobRecord).id);
      await contentIs(join(h, 'jobs', id, 'log'), (b) => b.toString() === 'ready\r\n', 'the job to be ready');
      ctrlC(h, b, await show(h, id));
      assert.equal(await waitCode(h, id), 130);
      const r = await show(h, id);
      assert.deepEqual([r.state, r.signal, r.exitCode], ['killed', 'SIGINT', null]);
    });
  }

  test('where the host cannot tell, the record says so instead of claiming a signal', async () => {
    const h = home();
    // An env without --default-signal first in PATH: the wrapper falls back to a foreground job.
    const bin = join(h, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'env'), '#!/bin/sh\nexec /usr/bin/env "$@"\n');
    chmodSync(join(bin, 'env'), 0o755);
    const PATH = `${bin}:${process.env.PATH}`;
    for (const [script, code] of [['exit 139', 139], ['kill -SEGV $$', 139], ['exit 3', 3]] as const) {
      const id = await runId(h, ['--backend', 'setsid', '--', 'sh', '-c', script], { env: { PATH } });
      assert.equal(await waitCode(h, id), code);
      const r = await show(h, id);
      assert.deepEqual([r.state, r.exitCode, r.signal, r.exitAmbiguous], code > 128 ? ['exited', code, null, true] : ['exited', code, null, undefined], script);
      if (code > 128) assert.match((await cliOut(h, ['ls'])).toString(), new RegExp(`${id} .*exited 139 \\(or SIGSEGV\\?\\)`));
    }
    // Exit files of earlier wrappers (one number) read the same way.
    const e = new Engine({ home: h });
    const id = await runId(h, ['--', 'sleep', '60']);
    const dir = join(h, 'jobs', id);
    await contentIs(join(dir, 'cpid'), (b) => /^\d+\n/.test(b.toString()), 'cpid');
    writeFileSync(join(dir, 'exit'), '134\n');
    const r = await e.get(id);
    assert.deepEqual([r.state, r.exitCode, r.signal, r.exitAmbiguous], ['exited', 134, null, true]);
    writeFileSync(join(dir, 'exit'), '7\n');
  });
});
