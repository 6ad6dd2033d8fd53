// The Slurm backend against a real slurmctld (test/support/slurm-rig.ts), run once per rig
// configuration by slurm-acct.test.ts (slurmdbd + MariaDB: sacct works) and
// slurm-noacct.test.ts (no accounting: squeue, our exit record and slurmstepd's notes only).
// Everything runs as the rig's unprivileged user through the built CLI, as a user on a login node
// would. Each test has a control that shows it can fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { JobRecord } from '../../core/jobs/types';
import { cliProblem, parseRecords, parseRunOutput, runAsUser, shq, stageCli, userEnv, type CliResult, type StagedCli } from '../support/linger-cli';
import { alive, until } from '../support/proc';
import { jobProcesses, slurmRigUp, slurmSkipReason, type Accounting, type SlurmRig } from '../support/slurm-rig';
import { rigSkipReason, SshdRig } from '../support/sshd-rig';

export function slurmSuite(acct: Accounting, sshPort: number): void {
  const skip = slurmSkipReason();
  describe(`Slurm backend on a real slurmctld (accounting: ${acct})`, { skip: skip ?? false }, () => {
    let rig: SlurmRig;
    let cli: StagedCli;
    let work: string;

    before(async () => {
      const problem = cliProblem();
      if (problem) throw new Error(problem);
      rig = await slurmRigUp(acct);
      cli = stageCli();
      // A directory the job user owns, for the jobs' own marker files.
      work = mkdtempSync(join(tmpdir(), 'lslurm-work-'));
      chownSync(work, rig.user.uid, rig.user.gid);
      chmodSync(work, 0o700);
    });

    after(async () => {
      await rig?.down();
      // The jobs' tmux socket dir on the node (made by the wrapper as the rig's user).
      if (rig) rmSync(`/tmp/linger-${rig.user.uid}`, { recursive: true, force: true });
      cli?.cleanup();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    const linger = (args: string[], timeoutMs = 120_000, env: Record<string, string> = {}): Promise<CliResult> => runAsUser(rig.user, cli, args, { env: { ...rig.env, ...env }, timeoutMs });
    const f = (name: string) => join(work, name);
    async function ls(): Promise<JobRecord[]> {
      const r = await linger(['ls', '--json']);
      assert.equal(r.code, 0, `ls --json: ${r.stderr}`);
      return parseRecords(r.stdout);
    }
    async function show(id: string): Promise<JobRecord> {
      const j = (await ls()).find((x) => x.id === id);
      assert.ok(j, `job ${id} not in ls --json`);
      return j;
    }
    async function runSlurm(args: string[], env: Record<string, string> = {}): Promise<JobRecord> {
      const r = await linger(['run', '--backend', 'slurm', '--json', ...args], 120_000, env);
      assert.equal(r.code, 0, `linger run --backend slurm: ${r.stderr}`);
      const rec = parseRunOutput(r.stdout).record;
      assert.ok(rec?.slurm?.jobId, `no Slurm job id in ${r.stdout}`);
      return rec;
    }
    /** As the job user, a raw Slurm client call. */
    function asUser(argv: string[]): { code: number | null; out: string } {
      const env = Object.entries(userEnv(rig.user, rig.env)).map(([k, v]) => `${k}=${v}`);
      const r = spawnSync('runuser', ['-u', rig.user.name, '--', 'env', '-i', ...env, ...argv], { encoding: 'utf8', cwd: '/' });
      return { code: r.status, out: `${r.stdout}${r.stderr}` };
    }
    const untilState = (id: string, pred: (j: JobRecord) => boolean, what: string, ms = 60_000) =>
      until(`${id} ${what}`, async () => { const j = await show(id); return pred(j) ? j : null; }, ms, 200);

    // These share the rig and run at once (the time-limit case alone takes 60-90 s of Slurm's clock).
    describe('jobs', { concurrency: true }, () => {
    test('queued (held, with reason) → running on the node → exit 7: ls --json says exited 7, wait exits 7', { timeout: 120_000 }, async () => {
      const go = f('go-7');
      const job = await runSlurm(['--slurm-arg=--hold', '--', 'sh', '-c', `echo started; while [ ! -e ${shq(go)} ]; do sleep 0.2; done; echo finishing; exit 7`]);
      assert.equal(job.state, 'queued');
      const q = await untilState(job.id, (j) => j.slurm?.reason === 'JobHeldUser', 'queued with reason JobHeldUser');
      assert.equal(q.state, 'queued');
      const human = await linger(['ls']);
      assert.match(human.stdout, /queued \(JobHeldUser\)/);
      assert.equal(asUser(['scontrol', 'release', job.slurm!.jobId]).code, 0);
      const running = await untilState(job.id, (j) => j.state === 'running', 'running');
      assert.equal(running.slurm?.node, rig.node);
      assert.match((await linger(['ls'])).stdout, new RegExp(`running on ${rig.node} `));
      // logs -f follows the running job's log and ends when the job does.
      const follow = linger(['logs', '-f', job.id]);
      await until('the job to print its first line', () => { try { return /started/.test(readFileSync(running.logPath, 'utf8')); } catch { return false; } }, 30_000);
      writeFileSync(go, '');
      const w = await linger(['wait', job.id]);
      const followed = await follow;
      assert.equal(followed.code, 0, followed.stderr);
      assert.match(followed.stdout, /started[\s\S]*finishing/);
      assert.equal(w.code, 7, `wait: ${w.stderr}`);
      const done = await show(job.id);
      assert.equal(done.state, 'exited');
      assert.equal(done.exitCode, 7);
      const logs = await linger(['logs', job.id]);
      assert.match(logs.stdout, /started[\s\S]*finishing/);
      // Control: the same path with exit 0 says exited 0 (the assertions above can fail).
      const ok = await runSlurm(['--', 'true']);
      assert.equal((await linger(['wait', ok.id])).code, 0);
      assert.equal((await show(ok.id)).exitCode, 0);
    });

    test('--after is a Slurm dependency: a failing parent → the dependent never runs, ends cancelled (control: parent ok → it runs); --group and mixing refused', { timeout: 120_000 }, async () => {
      const parent = await runSlurm(['--', 'sh', '-c', 'exit 3']);
      // The record on disk while sbatch runs, as another linger (ls, wait) may read it then: that
      // one may find the job by its Slurm name, settle it (the parent may have failed already)
      // and write its copy last, so the copy must name the dependency. sbatch itself is Slurm's,
      // run by a shim ahead of it on PATH that only copies job.json first.
      const shim = f('shim');
      mkdirSync(shim, { mode: 0o755 });
      writeFileSync(join(shim, 'sbatch'), `#!/bin/sh\nfor a; do case $a in --output=*) o=\${a#--output=}; cp "\${o%/*}/job.json" ${shq(f('sbatch-saw.json'))};; esac; done\nPATH=\${PATH#*:} exec sbatch "$@"\n`, { mode: 0o755 });
      const child = await runSlurm(['--after', parent.id, '--', 'sh', '-c', `touch ${shq(f('after-bad-ran'))}`], { PATH: `${shim}:/usr/local/bin:/usr/bin:/bin` });
      const saw = JSON.parse(readFileSync(f('sbatch-saw.json'), 'utf8')) as JobRecord;
      assert.deepEqual([saw.id, saw.state, saw.queue?.after], [child.id, 'queued', [parent.id]]);
      assert.match(asUser(['scontrol', 'show', 'job', child.slurm!.jobId]).out, new RegExp(`Dependency=afterok:${parent.slurm!.jobId}`));
      const okParent = await runSlurm(['--', 'true']);
      const okChild = await runSlurm(['--after', okParent.id, '--', 'sh', '-c', `touch ${shq(f('after-ok-ran'))}`]);
      const w = await linger(['wait', child.id]);
      assert.equal(w.code, 1, w.stderr);
      const done = await show(child.id);
      assert.equal(done.state, 'cancelled', JSON.stringify(done));
      assert.match(done.cancelReason ?? '', new RegExp(`dependency ${parent.id} did not end as required \\(Slurm: DependencyNeverSatisfied\\)`));
      assert.equal((await linger(['wait', okChild.id])).code, 0);
      assert.ok(existsSync(f('after-ok-ran')), 'the control ran');
      assert.ok(!existsSync(f('after-bad-ran')), 'the cancelled dependent never ran');
      const group = await linger(['run', '--backend', 'slurm', '--group', 'gpu', '--', 'true']);
      assert.equal(group.code, 1);
      assert.match(group.stderr, /QOS with MaxJobs/);
      const mixed = await linger(['run', '--backend', 'setsid', '--after', okParent.id, '--', 'true']);
      assert.equal(mixed.code, 1);
      assert.match(mixed.stderr, /is a Slurm job/);
    });

    test('a job over its --time ends as TIMEOUT (control: the same limit, a short job, exits 0)', { timeout: 200_000 }, async () => {
      const long = await runSlurm(['--time=1', '--', 'sleep', '600']);
      const short = await runSlurm(['--time=1', '--', 'sleep', '1']);
      assert.equal((await linger(['wait', short.id], 180_000)).code, 0);
      const w = await linger(['wait', long.id], 180_000);
      assert.notEqual(w.code, 0);
      const done = await show(long.id);
      assert.equal(done.state, 'killed', JSON.stringify(done));
      assert.equal(done.slurm?.reason, 'TIMEOUT', JSON.stringify(done));
      assert.match((await linger(['ls'])).stdout, new RegExp(`${long.id} .*killed TIMEOUT`));
      assert.equal((await show(short.id)).slurm?.reason ?? null, null);
    });

    test('kill → CANCELLED, no process of the job left on the node (control: there were some)', { timeout: 120_000 }, async () => {
      const job = await runSlurm(['--', 'sh', '-c', 'sleep 600 & sleep 600; wait']);
      await untilState(job.id, (j) => j.state === 'running', 'running');
      const jid = job.slurm!.jobId;
      await until('the job processes on the node', () => jobProcesses(rig.conf, jid).length >= 3, 20_000);
      const k = await linger(['kill', job.id]);
      assert.equal(k.code, 0, k.stderr);
      const done = await show(job.id);
      assert.equal(done.state, 'killed');
      assert.equal(done.slurm?.reason, 'CANCELLED');
      await until('no process of the job left', () => jobProcesses(rig.conf, jid).length === 0, 20_000);
    });

    test('over --mem → OUT_OF_MEMORY with its hint source (control: the same job within its memory exits 0)', { timeout: 120_000 }, async (t) => {
      if (rig.cgroup !== 'v1') { t.skip('no cgroup v1 here: Slurm 22.05 only polls memory without it (no OUT_OF_MEMORY state)'); return; }
      const big = await runSlurm(['--mem=50M', '--', 'sh', '-c', 'head -c 600M /dev/zero | tail']);
      const small = await runSlurm(['--mem=50M', '--', 'sh', '-c', 'head -c 1M /dev/zero | tail >/dev/null']);
      await linger(['wait', big.id]);
      const done = await show(big.id);
      assert.equal(done.state, 'killed', JSON.stringify(done));
      assert.equal(done.slurm?.reason, 'OUT_OF_MEMORY');
      assert.match((await linger(['ls'])).stdout, new RegExp(`${big.id} .*killed OUT_OF_MEMORY`));
      assert.equal((await linger(['wait', small.id])).code, 0);
    });

    test('job array --array 0-3%2: one parent row with its tasks, logs per task, wait exits with the first failing task (control: all tasks 0 → 0)', { timeout: 120_000 }, async () => {
      const job = await runSlurm(['--array', '0-3%2', '--', 'sh', '-c', 'echo "task $SLURM_ARRAY_TASK_ID"; exit $SLURM_ARRAY_TASK_ID']);
      const live = await linger(['ls']);
      assert.match(live.stdout, new RegExp(`${job.id} +- +(queued|running|exited)`));
      const w = await linger(['wait', job.id]);
      assert.equal(w.code, 1, w.stderr);
      const done = await show(job.id);
      assert.deepEqual([done.state, done.exitCode], ['exited', 1]);
      assert.deepEqual(done.slurm?.tasks?.map((t) => [t.task, t.state, t.exitCode]), [['0', 'exited', 0], ['1', 'exited', 1], ['2', 'exited', 2], ['3', 'exited', 3]]);
      assert.equal((await linger(['ls'])).stdout.split('\n').filter((l) => l.includes(job.id)).length, 1, 'one row for the array');
      assert.match((await linger(['logs', job.id, '--task', '2'])).stdout, /task 2/);
      const all = await linger(['logs', job.id]);
      assert.match(all.stdout, /==> task 0 \(exited\) <==[\s\S]*task 0[\s\S]*==> task 3 \(exited\) <==[\s\S]*task 3/);
      const ok = await runSlurm(['--array', '0-1', '--', 'true']);
      assert.equal((await linger(['wait', ok.id])).code, 0);
      const bad = await linger(['run', '--backend', 'slurm', '--array', '3-1', '--', 'true']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /--array wants task ids/);
    });

    test('hostile argv reaches the job byte-exact through sbatch (control: a string-built --wrap mangles it)', { timeout: 120_000 }, async () => {
      const hostile = ['', ' ', 'a b', "it's", '"q"', '$(touch /tmp/pwned-slurm)', '`id`', '\\n', 'x\ny', 'tab\there', '*', '-', '--', '#c', ';', '|', '&&', 'é€', '\u0001', '%j %A'];
      const out = f('argv.out');
      const job = await runSlurm(['--', 'sh', '-c', 'printf "%s\\0" "$@" > "$0"', out, ...hostile]);
      assert.equal((await linger(['wait', job.id])).code, 0);
      const want = hostile.map((a) => `${a}\0`).join('');
      assert.equal(readFileSync(out, 'utf8'), want);
      assert.ok(!existsSync('/tmp/pwned-slurm'));
      // Control: the naive way (one string for sbatch --wrap) does not preserve it.
      const naive = f('naive.out');
      const line = `printf "%s\\0" ${hostile.filter((a) => !a.includes('$(')).join(' ')} > ${naive}`;
      const sub = asUser(['sbatch', '--parsable', '--wait', `--chdir=${work}`, '--output=/dev/null', '--wrap', line]);
      assert.equal(sub.code === 0 || sub.code === 1 || sub.code === 2, true, sub.out);
      const got = existsSync(naive) ? readFileSync(naive, 'utf8') : '';
      assert.notEqual(got, hostile.filter((a) => !a.includes('$(')).map((a) => `${a}\0`).join(''));
    });

    test('sbatch refusal: Slurm\'s message, exit 1, no record left (control: a good partition leaves one)', { timeout: 60_000 }, async () => {
      const jobsDir = join(rig.user.home, '.local/state/linger/jobs');
      const dirsBefore = new Set(existsSync(jobsDir) ? readdirSync(jobsDir) : []);
      const r = await linger(['run', '--backend', 'slurm', '--name', 'refused', '--partition', 'nosuch', '--', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^linger: sbatch refused the job: .*[Ii]nvalid partition/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.ok(!(await ls()).some((j) => j.name === 'refused'), 'a refused job left a record');
      // Other tests add jobs meanwhile: no new dir may lack a record (nothing half-made left).
      for (const d of readdirSync(jobsDir)) if (!dirsBefore.has(d)) assert.ok(existsSync(join(jobsDir, d, 'job.json')) || !existsSync(join(jobsDir, d, 'spec')), `leftover job dir ${d}`);
      const good = await linger(['run', '--backend', 'slurm', '--name', 'accepted', '--partition', 'debug', '--', 'true']);
      assert.equal(good.code, 0, good.stderr);
      assert.ok((await ls()).some((j) => j.name === 'accepted'));
    });

    test('attach: a terminal inside the job\'s allocation; type, see output, detach; the job runs on', { timeout: 120_000 }, async () => {
      const job = await runSlurm(['--', 'sh', '-c', 'while IFS= read -r l; do echo "got:$l"; [ "$l" = bye ] && exit 3; done']);
      await untilState(job.id, (j) => j.state === 'running', 'running');
      const tm = ['tmux', '-L', `lslurm-attach-${process.pid}-${acct}`];
      const argv = ['runuser', '-u', rig.user.name, '--', 'env', '-i', ...Object.entries(userEnv(rig.user, { ...rig.env, TERM: 'xterm' })).map(([k, v]) => `${k}=${v}`), cli.node, cli.js, 'attach', job.id];
      const cmd = `${argv.map(shq).join(' ')}; echo ATTACH-RC=$?; sleep 60`;
      assert.equal(spawnSync(tm[0], [...tm.slice(1), '-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '30', cmd]).status, 0);
      const pane = () => spawnSync(tm[0], [...tm.slice(1), 'capture-pane', '-p'], { encoding: 'utf8' }).stdout ?? '';
      const keys = (...k: string[]) => spawnSync(tm[0], [...tm.slice(1), 'send-keys', ...k]);
      try {
        // The hint is printed before srun starts (tmux's screen then covers it); srun --pty and
        // tmux attach take a moment, so type until the job echoes (early keys wait in the tty).
        await until('the job to echo what was typed', () => { if (!/got:hello slurm/.test(pane())) keys('hello slurm', 'Enter'); return /got:hello slurm/.test(pane()); }, 45_000, 1500);
        keys('C-b', 'd');
        await until('detach', () => /ATTACH-RC=0/.test(pane()), 20_000);
        assert.match(pane(), new RegExp(`detached \\(from session linger-${job.id}\\)`));
        const j = await show(job.id);
        assert.equal(j.state, 'running', 'job stopped when the terminal detached');
        assert.match((await linger(['logs', job.id])).stdout, /got:hello slurm/);
      } finally {
        spawnSync(tm[0], [...tm.slice(1), 'kill-server']);
      }
      // Control: a finished job cannot be attached (the command refuses, with the log hint).
      await linger(['kill', job.id]);
      const r = await linger(['attach', job.id]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not running.*linger logs/);
    });

    test('restart resubmits the same spec; rm removes finished records and refuses live ones', { timeout: 120_000 }, async () => {
      const job = await runSlurm(['--time=5', '--', 'sh', '-c', 'exit 4']);
      assert.equal((await linger(['wait', job.id])).code, 4);
      const rs = await linger(['restart', '--json', job.id]);
      assert.equal(rs.code, 0, rs.stderr);
      const again = JSON.parse(rs.stdout) as JobRecord;
      assert.equal(again.backend, 'slurm');
      assert.notEqual(again.slurm?.jobId, job.slurm?.jobId);
      assert.deepEqual(again.slurm?.options, { time: '5' });
      assert.equal(again.restartOf, job.id);
      assert.equal((await linger(['wait', again.id])).code, 4);
      const hold = await runSlurm(['--slurm-arg=--hold', '--', 'true']);
      const rmLive = await linger(['rm', hold.id]);
      assert.equal(rmLive.code, 1);
      assert.match(rmLive.stderr, /still queued/);
      assert.equal((await linger(['rm', job.id])).code, 0);
      assert.ok(!(await ls()).some((x) => x.id === job.id));
      await linger(['kill', hold.id]);
    });

    const sshSkip = rigSkipReason();
    test('survival: the job runs on after the ssh session that submitted it is killed (control: a foreground srun in it dies)', { timeout: 180_000, skip: sshSkip ?? false }, async () => {
      const ssh = await SshdRig.start({ user: rig.user, port: sshPort });
      try {
        const done = f('surv.done');
        const ctrl = f('ctrl.pid');
        const ctrlDone = f('ctrl.done');
        const session = ssh.ssh([
          `export SLURM_CONF=${shq(rig.conf)}`,
          `${shq(cli.node)} ${shq(cli.js)} run --backend slurm --json -- sh -c ${shq(`sleep 8; echo survived > ${done}; exit 5`)} > ${shq(f('surv.run'))}`,
          `srun --quiet sh -c ${shq(`echo $$ > ${ctrl}; sleep 8; echo x > ${ctrlDone}`)}`,
        ].join('; '), { tty: true });
        // The ssh login, the CLI and the srun allocation come first: a loaded machine needs time.
        const ctrlPid = await until('the foreground srun task', () => { try { return +readFileSync(ctrl, 'utf8') || null; } catch { return null; } }, 90_000)
          .catch((e: Error) => { throw new Error(`${e.message}\nsqueue:\n${spawnSync('squeue', ['-h', '-o', '%i %T %r'], { env: { ...process.env, SLURM_CONF: rig.conf }, encoding: 'utf8' }).stdout}`); });
        const { id } = parseRunOutput(readFileSync(f('surv.run'), 'utf8'));
        process.kill(session.pid, 'SIGKILL');
        await until('the foreground srun task to die with the session', () => !alive(ctrlPid), 20_000);
        const j = await show(id);
        assert.ok(j.state === 'running' || j.state === 'queued', JSON.stringify(j));
        assert.equal((await linger(['wait', id])).code, 5);
        assert.equal(readFileSync(done, 'utf8').trim(), 'survived');
        assert.ok(!existsSync(ctrlDone), 'CONTROL survived: the test cannot tell');
      } finally {
        await ssh.stop();
      }
    });
    });

    // Alone: every other client call would fail while the controller is down.
    test('controller down: clear message, records untouched, ls shows last known state marked stale; doctor says so', { timeout: 120_000 }, async () => {
      const job = await runSlurm(['--', 'sleep', '600']);
      await untilState(job.id, (j) => j.state === 'running', 'running');
      const recPath = join(rig.user.home, '.local/state/linger/jobs', job.id, 'job.json');
      const doc = await linger(['doctor', '--json']);
      assert.equal(JSON.parse(doc.stdout).slurm.controller, 'up');
      rig.stopCtld();
      try {
        const bytes = readFileSync(recPath);
        const r = await linger(['ls']);
        assert.equal(r.code, 0);
        assert.match(r.stderr, /Slurm controller did not answer/);
        assert.match(r.stdout, new RegExp(`${job.id} .*running on ${rig.node} .*\\(stale\\)`));
        const j = parseRecords((await linger(['ls', '--json'])).stdout).find((x) => x.id === job.id)!;
        assert.equal(j.state, 'running');
        assert.equal(j.slurm?.stale, true);
        assert.deepEqual(readFileSync(recPath), bytes, 'record changed while the controller was down');
        const k = await linger(['kill', job.id]);
        assert.equal(k.code, 1);
        assert.match(k.stderr, /^linger: scancel \d+ failed: .*(contact|connect)/i);
        assert.deepEqual(readFileSync(recPath), bytes);
        assert.equal(JSON.parse((await linger(['doctor', '--json'])).stdout).slurm.controller, 'down');
      } finally {
        rig.startCtld();
      }
      // Control: with the controller back, nothing is stale and kill works.
      const j = await show(job.id);
      assert.equal(j.slurm?.stale, false);
      assert.equal((await linger(['kill', job.id])).code, 0);
      assert.equal((await show(job.id)).state, 'killed');
    });

  });
}

