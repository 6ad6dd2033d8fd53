// What Engine.run promises at the moment it resolves, on every backend: record.pid is the job's
// own process (already exec'd or about to), the wrapper's shell variables never leak into the
// job's environment, and a setsid job's input FIFO is there for an attach right after run.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../core/jobs/engine';
import { BACKENDS, cleanupHome, fileAppears, makeHome } from './engine-helpers';

const homes: string[] = [];
after(() => { for (const h of homes) cleanupHome(h); });

describe('Engine.run start guarantees', { concurrency: true }, () => {
  for (const b of BACKENDS) {
    test(`${b}: pid is the job's own process; env names the wrapper uses reach the job unchanged`, async () => {
      const h = makeHome(); homes.push(h);
      const e = new Engine({ home: h });
      const out = join(h, 'out');
      // Short plain names a shell script would use for its own variables.
      const env = { d: 'D1', i: 'I1', n: 'N1', s: 'S1', um: 'U1', rc: 'R1', w: 'W1', mode: 'M1', half: 'H1', _v: 'V1' };
      const script = `echo $$ >"$1.pid"; printf "%s|" "$d" "$i" "$n" "$s" "$um" "$rc" "$w" "$mode" "$half" "$_v" >"$1.tmp"; mv "$1.tmp" "$1"; sleep 2`;
      const r = await e.run({ argv: ['sh', '-c', script, 'sh', out], env, backend: b });
      assert.ok(r.pid && r.pid > 0, `pid known: ${JSON.stringify(r)}`);
      const done = await e.wait(r.id, { timeoutMs: 20_000 });
      assert.equal(done.state, 'exited', JSON.stringify(done));
      assert.equal(done.exitCode, 0);
      assert.equal(readFileSync(out, 'utf8'), 'D1|I1|N1|S1|U1|R1|W1|M1|H1|V1|');
      assert.equal(Number(readFileSync(`${out}.pid`, 'utf8')), r.pid, 'record.pid is the process that became the job');
    });
  }

  for (const b of BACKENDS) {
    test(`${b}: after a waitForPid:false run, another Engine reading the record gets pid, pgid and session; kill works`, async () => {
      const h = makeHome(); homes.push(h);
      const r = await new Engine({ home: h }).run({ argv: ['sleep', '30'], backend: b, waitForPid: false });
      const other = new Engine({ home: h });
      // The wrapper writes cpid just before it execs the job (inotify wakes us on the write).
      await fileAppears(join(h, 'jobs', r.id, 'cpid'), 'the wrapper to report the job pid');
      const got = await other.get(r.id);
      assert.equal(got.state, 'running');
      assert.ok(got.pid && got.pgid, JSON.stringify(got));
      assert.equal(got.session, r.session, 'session on disk is the one run returned');
      assert.ok(got.session, 'session named');
      const k = await other.kill(r.id, { graceMs: 1000 });
      assert.equal(k.state, 'killed', JSON.stringify(k));
      assert.ok(!existsSync(`/proc/${got.pid}`) || readFileSync(`/proc/${got.pid}/stat`, 'latin1').split(') ')[1]?.startsWith('Z'), 'job process gone');
    });
  }

  test('setsid: the input FIFO is there (0600) for an attach right after a waitForPid:false run', async () => {
    const h = makeHome(); homes.push(h);
    const e = new Engine({ home: h });
    const r = await e.run({ argv: ['sleep', '30'], backend: 'setsid', waitForPid: false });
    const st = statSync(join(await e.jobDir(r.id), 'in'));
    assert.ok(st.isFIFO(), 'in is a FIFO');
    assert.equal(st.mode & 0o777, 0o600);
    await e.kill(r.id, { graceMs: 500 });
  });
});
