// Many hosts through the CLI (issue 16), on the fleet rig: real sshds h1..h4 in their own network
// namespaces, each its own user, reached by the system ssh with the rig's config (-F, real
// known_hosts). h3 has no Node; h4 has Node only where VS Code's server leaves it.
// The CLI runs as root with a temp LINGER_HOME (its ssh control sockets live there).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { JobRecord } from '../../core/jobs/types';
import type { HostsResult } from '../../core/protocol';
import { BUNDLE_FILES, loadBundle } from '../../core/hosts/bundle';
import { fleetSkipReason, fleetUp, type Fleet } from '../support/fleet-rig';
import { cleanupHome, tempHome } from '../support/linger-home';
import { cliProblem, lingerJs, runCli, type CliResult } from '../support/linger-cli';
import { until } from '../support/proc';
import { rpc } from './hosts-rpc';
import * as pty from '@lydell/node-pty';
import { Terminal } from '@xterm/headless';

const skip = fleetSkipReason() ?? cliProblem();
let fleet: Fleet;
let home: string;
const bundle = skip ? null : loadBundle();

const cli = (args: string[], timeoutMs = 90_000): Promise<CliResult> =>
  runCli(home, ['--ssh-config', fleet.sshConfig, ...args], { timeoutMs });
/** A shell command on a rig host, as its user (for checks only, never for the feature). */
const onHost = (h: string, cmd: string) => spawnSync('ssh', ['-F', fleet.sshConfig, '-S', 'none', h, cmd], { encoding: 'utf8', timeout: 30_000 });
const agentDir = (i: number) => `/home/lf${i}/.local/share/linger/agent`;

before(async () => {
  if (skip) return;
  fleet = await fleetUp(4);
  home = tempHome('hosts');
});
after(async () => {
  if (skip) return;
  // Our masters and remote agents go with the rig (down kills masters by -O check over the rig's
  // own ControlPath; ours are in home/ssh), so end ours first.
  for (const h of fleet.hosts) spawnSync('ssh', ['-F', fleet.sshConfig, '-o', `ControlPath=${join(home, 'ssh')}/%C`, '-O', 'exit', h.name], { stdio: 'ignore' });
  await fleet.down();
  cleanupHome(home);
});

function records(r: CliResult): Array<Record<string, unknown>> {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
}

describe('linger across hosts (CLI)', { skip: skip ?? false, concurrency: false }, () => {
  test('bootstrap: first contact installs the agent privately; concurrent first contacts agree; a changed bundle is replaced', async () => {
    // Control: nothing there before.
    assert.equal(onHost('h2', `test -e ${agentDir(2)} && echo there || echo absent`).stdout.trim(), 'absent');
    const [a, b] = await Promise.all([cli(['--host', 'h2', 'ls', '--json']), cli(['--host', 'h2', 'ls', '--json'])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const folder = `${agentDir(2)}/${bundle!.folder}`;
    const files = BUNDLE_FILES.map((f) => `${folder}/${f}`).join(' ');
    const sum = () => onHost('h2', `cat ${files} | sha256sum | cut -c1-64`).stdout.trim();
    assert.equal(sum(), bundle!.sha256, 'the installed files are exactly our bundle');
    const modes = onHost('h2', `stat -c '%a %U %n' ${agentDir(2)} ${folder} ${files}`).stdout.trim().split('\n');
    for (const m of modes) assert.match(m, /^(700|600) lf2 /, `private: ${m}`);
    assert.equal(onHost('h2', `ls -A ${folder} | grep -c '^\\.up\\.' || true`).stdout.trim(), '0', 'no temp files left');
    // A damaged copy (control: its sum differs) is replaced on the next contact.
    onHost('h2', `printf x >> ${folder}/server.js`);
    assert.notEqual(sum(), bundle!.sha256);
    const c = await cli(['--host', 'h2', 'ls', '--json']);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(sum(), bundle!.sha256);
    // Our control sockets: a 0700 dir, sockets 0600 (srw-------).
    const cd = join(home, 'ssh');
    assert.equal(statSync(cd).mode & 0o777, 0o700);
    const socks = readdirSync(cd).map((n) => lstatSync(join(cd, n))).filter((s) => s.isSocket());
    assert.ok(socks.length >= 1, 'a master socket for h2');
    for (const s of socks) assert.equal(s.mode & 0o077, 0, 'socket not open to group/others');
  });

  test('h3 without Node: a clear message; h4 runs the agent with VS Code server\'s Node', async () => {
    const r3 = await cli(['--host', 'h3', 'ls']);
    assert.equal(r3.code, 1);
    assert.match(r3.stderr, /no Node\.js on that host: install Node\.js/);
    const r4 = await cli(['--host', 'h4', 'run', '--json', '--', 'sh', '-c', 'echo on-$(hostname)']);
    assert.equal(r4.code, 0, r4.stderr);
    const id = (JSON.parse(r4.stdout) as JobRecord).id;
    const w = await cli(['--host', 'h4', 'wait', id]);
    assert.equal(w.code, 0, w.stderr);
    assert.equal((await cli(['--host', 'h4', 'logs', id])).stdout, 'on-h4\n');
    // The Node that runs h4's agent is VS Code's copy: a setsid job's attach command names the
    // agent's own Node (process.execPath there). Control: h3, with no VS Code copy, has none.
    const s = await cli(['--host', 'h4', 'run', '--backend', 'setsid', '--json', '--', 'sleep', '600']);
    const sid = (JSON.parse(s.stdout) as JobRecord).id;
    const agent = spawn(process.execPath, [join(lingerJs, '..', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LINGER_HOME: home, LINGER_SSH_CONFIG: fleet.sshConfig },
    });
    const c = rpc(agent);
    try {
      await c.init();
      const a = await c.request<{ argv: string[] }>('linger/attach', { host: 'h4', id: sid });
      assert.ok(a.argv.includes(`'${fleet.vscodeNode}'`), a.argv.join(' '));
      assert.equal(a.argv[0], 'ssh');
      assert.ok(a.argv.includes('-t'));
    } finally { c.dispose(); agent.kill(); }
    assert.equal((await cli(['--host', 'h4', 'kill', '--grace', '0', sid])).code, 0);
  });

  test('a newer agent on the host is refused and left alone; removing it lets us in again', async () => {
    const newer = `${agentDir(1)}/99.0.0-0123456789abcdef`;
    onHost('h1', `mkdir -p ${newer} && echo keep > ${newer}/server.js`);
    const r = await cli(['--host', 'h1', 'ls']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /newer Linger agent \(99\.0\.0\)/);
    assert.equal(onHost('h1', `cat ${newer}/server.js`).stdout, 'keep\n', 'nothing of the newer agent was touched');
    onHost('h1', `rm -rf ${newer}`);
    assert.equal((await cli(['--host', 'h1', 'ls'])).code, 0, 'control: without it the host answers');
  });

  test('hostile argv started with --host arrives byte-exact; the same argv as plain `ssh host CMD ARGS` does not', async () => {
    const big = 'x'.repeat(100 * 1024);
    const args = ['a b', "it's", '"dq"', '$(id)', '`id`', 'nl\nline', '*', '--', '-n', '\\', ';exit 3', big];
    const expected = args.map((a) => `${a}\n`).join('');
    const r = await cli(['--host', 'h1', 'run', '--backend', 'setsid', '--json', '--', 'printf', '%s\\n', ...args]);
    assert.equal(r.code, 0, r.stderr);
    const rec = JSON.parse(r.stdout) as JobRecord;
    assert.equal(rec.host, 'h1');
    assert.deepEqual(rec.argv, ['printf', '%s\\n', ...args]);
    assert.equal((await cli(['--host', 'h1', 'wait', rec.id])).code, 0);
    const logs = await cli(['--host', 'h1', 'logs', rec.id]);
    assert.equal(logs.stdout, expected, 'byte-exact on h1');
    // Control: ssh joins the words into one line for the remote shell, which parses it again.
    const plain = spawnSync('ssh', ['-F', fleet.sshConfig, '-S', 'none', 'h1', 'printf', '%s\\n', ...args.slice(0, -1)], { encoding: 'utf8' });
    assert.notEqual(plain.stdout, args.slice(0, -1).map((a) => `${a}\n`).join(''));
    // Bytes that are not UTF-8 cannot cross as JSON text: refused, as the protocol does.
    const bad = spawnSync('sh', ['-c', `exec "$0" "$1" --ssh-config "$2" --host h1 run -- echo "$(printf 'a\\377b')"`, process.execPath, lingerJs, fleet.sshConfig],
      { encoding: 'utf8', env: { ...process.env, LINGER_HOME: home }, timeout: 60_000 });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /not valid UTF-8/);
  });

  test('ls --hosts all: each host\'s jobs under its host; a cut host is one unreachable line, the others answer; heal brings it back', async () => {
    const ids: Record<string, string> = {};
    for (const h of ['h1', 'h2', 'h4']) {
      const r = await cli(['--host', h, 'run', '--name', `on-${h}`, '--', 'sleep', '600']);
      assert.equal(r.code, 0, r.stderr);
      ids[h] = r.stdout.trim();
    }
    const local = await runCli(home, ['run', '--name', 'local', '--', 'sleep', '600']);
    assert.equal(local.code, 0, local.stderr);
    const all = records(await cli(['ls', '--hosts', 'all', '--json']));
    for (const [h, id] of Object.entries(ids)) {
      const mine = all.filter((j) => j.id === id);
      assert.equal(mine.length, 1, `${h}'s job listed once`);
      assert.equal(mine[0]!.host, h);
      assert.equal(mine[0]!.name, `on-${h}`);
    }
    assert.equal(all.find((j) => j.id === local.stdout.trim())?.host, null, 'this host: host null');
    const h3 = all.find((j) => j.host === 'h3');
    assert.equal(h3?.unreachable, true);
    assert.match(String(h3?.reason), /no Node/);
    // Control: h1's job is not what h2 reports (each host was asked itself).
    const only2 = records(await cli(['--host', 'h2', 'ls', '--json']));
    assert.deepEqual(only2.map((j) => j.id), [ids.h2]);

    fleet.cut('h2');
    try {
      const cut = records(await cli(['ls', '-H', '--json']));
      assert.equal(cut.find((j) => j.host === 'h2' && j.unreachable === true)?.unreachable, true, 'h2 unreachable');
      for (const h of ['h1', 'h4']) assert.ok(cut.some((j) => j.id === ids[h]), `${h} still answers`);
      const table = await cli(['ls', '-H']);
      assert.match(table.stdout, /^h2 .*unreachable/m);
      assert.match(table.stdout, new RegExp(`^h1 +${ids.h1}`, 'm'));
    } finally {
      fleet.heal('h2');
    }
    const back = await until('h2 back after heal', async () => {
      const r = records(await cli(['ls', '--hosts', 'all', '--json']));
      return r.some((j) => j.id === ids.h2) ? r : null;
    }, 60_000, 500);
    assert.ok(back.some((j) => j.id === ids.h1));
    for (const [h, id] of Object.entries(ids)) assert.equal((await cli(['--host', h, 'kill', '--grace', '0', id])).code, 0);
  });

  test('a remote job survives the local side: the ssh master and the local agent killed, the job runs on, the next request reconnects', async () => {
    // The local agent as the extension runs it: dist/server.js over stdio.
    const agent = spawn(process.execPath, [join(lingerJs, '..', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LINGER_HOME: home, LINGER_SSH_CONFIG: fleet.sshConfig },
    });
    const c = rpc(agent);
    await c.init();
    const job = await c.request<JobRecord>('linger/run', { host: 'h1', argv: ['sleep', '600'], name: 'survivor' });
    assert.equal(job.host, 'h1');
    const master = spawnSync('ssh', ['-F', fleet.sshConfig, '-o', `ControlPath=${join(home, 'ssh')}/%C`, '-O', 'check', 'h1'], { encoding: 'utf8' });
    const pid = Number(/pid=(\d+)/.exec(master.stderr)?.[1]);
    assert.ok(pid > 0, `our master for h1: ${master.stderr}`);
    process.kill(pid, 'SIGKILL');
    agent.kill('SIGKILL');
    await until('master gone', () => spawnSync('kill', ['-0', String(pid)]).status !== 0);
    // The remote agent goes with its session (stdin closed): no orphan agents pile up on h1.
    await until('h1\'s agent gone with its session', () => onHost('h1', 'pgrep -u lf1 -f "server[.]js --stdio" || echo none').stdout.trim() === 'none', 30_000, 300);
    // The job is a process of lf1 on h1, still there (control: it was there before, by its pid).
    const ps = () => onHost('h1', `ps -o pid= -p ${job.pid}`).stdout.trim();
    assert.equal(ps(), String(job.pid));
    const show = await cli(['--host', 'h1', 'show', '--json', job.id]);
    assert.equal(show.code, 0, show.stderr);
    assert.equal((JSON.parse(show.stdout) as JobRecord).state, 'running');
    assert.equal((await cli(['--host', 'h1', 'kill', '--grace', '0', job.id])).code, 0);
  });

  test('the agent bundle (server.js --stdio, as the extension runs it) lists hosts idle, forwards a request naming a host, and pushes that host\'s jobs', async () => {
    const agent = spawn(process.execPath, [join(lingerJs, '..', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LINGER_HOME: home, LINGER_SSH_CONFIG: fleet.sshConfig },
    });
    const c = rpc(agent);
    try {
      await c.init();
      const { hosts } = await c.request<HostsResult>('linger/hosts', {});
      assert.deepEqual(hosts.map((h) => h.name), [null, 'h1', 'h2', 'h3', 'h4']);
      assert.equal(hosts[0]!.status.kind, 'local');
      for (const h of hosts.slice(1)) assert.equal(h.status.kind, 'idle', `${h.name} not contacted before it is asked for`);
      const run = await c.request<JobRecord>('linger/run', { host: 'h2', argv: ['sleep', '600'], name: 'fwd' });
      assert.equal(run.host, 'h2');
      const list = await c.request<{ jobs: JobRecord[] }>('linger/list', { host: 'h2' });
      assert.ok(list.jobs.some((j) => j.id === run.id && j.host === 'h2'));
      // Control: the same request without host is this host's list, which does not have it.
      const mine = await c.request<{ jobs: JobRecord[] }>('linger/list', {});
      assert.ok(!mine.jobs.some((j) => j.id === run.id));
      await until('jobsChanged for h2 with the job', () => c.notes.some((n) => n.method === 'linger/jobsChanged'
        && (n.params as { host?: string; jobs: JobRecord[] }).host === 'h2'
        && (n.params as { jobs: JobRecord[] }).jobs.some((j) => j.id === run.id && j.host === 'h2')));
      assert.ok(c.notes.some((n) => n.method === 'linger/hostsChanged'
        && (n.params as HostsResult).hosts.some((h) => h.name === 'h2' && h.status.kind === 'connected')));
      // Kill on h2 through the agent: h2's next push reports it ended.
      await c.request<JobRecord>('linger/kill', { host: 'h2', id: run.id, graceMs: 0 });
      await until('jobsChanged for h2 with the job ended', () => c.notes.some((n) => n.method === 'linger/jobsChanged'
        && (n.params as { host?: string }).host === 'h2'
        && (n.params as { jobs: JobRecord[] }).jobs.some((j) => j.id === run.id && j.state === 'killed')));
      await assert.rejects(c.request('linger/list', { host: 'nosuch' }), /unknown host 'nosuch'/);
      // Settings reach the connected host's agent: its default backend is ours (control: before, tmux).
      assert.equal(run.backend, 'tmux');
      c.notify('workspace/didChangeConfiguration', { settings: { linger: { defaultBackend: 'setsid' } } });
      const run2 = await c.request<JobRecord>('linger/run', { host: 'h2', argv: ['true'] });
      assert.equal(run2.backend, 'setsid');
      // The view's progress watch reaches the host's agent: its pushes carry progress once visible.
      const pj = await c.request<JobRecord>('linger/run', { host: 'h2', argv: ['sh', '-c', 'echo 3/10; sleep 120'] });
      const pushed = (want: boolean) => c.notes.some((n) => n.method === 'linger/jobsChanged' && (n.params as { host?: string }).host === 'h2'
        && (n.params as { jobs: JobRecord[] }).jobs.some((j) => j.id === pj.id && j.pid !== null && !!j.progress === want));
      await until('h2 pushes the job without progress (view not visible: the control)', () => pushed(false));
      c.notify('linger/watchProgress', { visible: true });
      await until('h2 pushes the job with its progress', () => pushed(true), 20_000);
      await c.request<JobRecord>('linger/kill', { host: 'h2', id: pj.id, graceMs: 0 });
    } finally { c.dispose(); agent.kill(); }
  });

  test('the agent notices a cut host by itself (ssh_config ServerAlive 2 3), pushes it unreachable, and brings it back after heal with its jobs', async () => {
    const agent = spawn(process.execPath, [join(lingerJs, '..', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, LINGER_HOME: home, LINGER_SSH_CONFIG: fleet.sshConfig },
    });
    const c = rpc(agent);
    const status = (h: string) => {
      const last = c.notes.filter((n) => n.method === 'linger/hostsChanged').pop();
      return (last?.params as HostsResult | undefined)?.hosts.find((x) => x.name === h)?.status;
    };
    try {
      await c.init();
      const job = await c.request<JobRecord>('linger/run', { host: 'h4', argv: ['sleep', '600'], name: 'through-cut' });
      await until('h4 connected', () => status('h4')?.kind === 'connected');
      fleet.cut('h4');
      try {
        await until('h4 pushed as unreachable', () => status('h4')?.kind === 'unreachable', 60_000, 200);
        // Control: the other hosts' state did not change (h2 was never asked for: still idle).
        assert.ok((await c.request<HostsResult>('linger/hosts', {})).hosts.find((h) => h.name === 'h2')?.status.kind !== 'unreachable');
      } finally { fleet.heal('h4'); }
      const mark = c.notes.length;
      await until('h4 connected again by itself', () => status('h4')?.kind === 'connected', 90_000, 200);
      await until('h4\'s jobs pushed again, the job still running', () => c.notes.slice(mark).some((n) => n.method === 'linger/jobsChanged'
        && (n.params as { host?: string }).host === 'h4' && (n.params as { jobs: JobRecord[] }).jobs.some((j) => j.id === job.id && j.state === 'running')), 30_000);
      await c.request<JobRecord>('linger/kill', { host: 'h4', id: job.id, graceMs: 0 });
    } finally { c.dispose(); agent.kill(); }
  });

  test('every verb with --host: run, logs -f, wait, show, restart, kill, rm, doctor', async () => {
    const r = await cli(['--host', 'h1', 'run', '--name', 'verbs', '--', 'sh', '-c', 'for i in 1 2 3; do echo line-$i; sleep 0.4; done; exit 3']);
    assert.equal(r.code, 0, r.stderr);
    const id = r.stdout.trim();
    // Queue flags travel too: a dependent of a job that will fail ends cancelled there.
    const dep = await cli(['--host', 'h1', 'run', '--after', id, '--', 'echo', 'never']);
    assert.equal(dep.code, 0, dep.stderr);
    const set = await cli(['--host', 'h1', 'group', 'set', 'gq', '--parallel', '2', '--json']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal((JSON.parse(set.stdout) as { parallel: number }).parallel, 2);
    const follow = await cli(['--host', 'h1', 'logs', '-f', id]);
    assert.equal(follow.code, 0, follow.stderr);
    assert.equal(follow.stdout, 'line-1\nline-2\nline-3\n', 'logs -f followed to the end');
    assert.equal((await cli(['--host', 'h1', 'wait', id])).code, 3, 'wait exits with the job\'s status');
    await until('the dependent cancelled on h1', async () => (JSON.parse((await cli(['--host', 'h1', 'show', '--json', dep.stdout.trim()])).stdout) as JobRecord).state === 'cancelled', 30_000, 500);
    const show = JSON.parse((await cli(['--host', 'h1', 'show', '--json', 'verbs'])).stdout) as JobRecord;
    assert.equal(show.id, id);
    assert.equal(show.host, 'h1');
    assert.equal(show.exitCode, 3);
    assert.equal((await cli(['--host', 'h1', 'logs', '--tail', '1', id])).stdout, 'line-3\n');
    const re = await cli(['--host', 'h1', 'restart', id]);
    assert.equal(re.code, 0, re.stderr);
    const id2 = re.stdout.trim();
    assert.notEqual(id2, id);
    assert.equal((await cli(['--host', 'h1', 'kill', '--grace', '0', id2])).code, 0);
    const gone = await cli(['--host', 'h1', 'rm', id, id2, dep.stdout.trim()]);
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual(gone.stdout.trim().split('\n').sort(), [id, id2, dep.stdout.trim()].sort());
    // Control: they were on h1, and now h1 has neither; this host never had them.
    const left = records(await cli(['--host', 'h1', 'ls', '--json']));
    assert.ok(!left.some((j) => j.id === id || j.id === id2));
    const doc = JSON.parse((await cli(['--host', 'h1', 'doctor', '--json'])).stdout) as { stateDir: { path: string } };
    assert.equal(doc.stateDir.path, '/home/lf1/.local/state/linger', 'the remote user\'s own state dir');
    const unknown = await cli(['--host', '-oProxyCommand=x', 'ls']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not a usable ssh host name/);
  });

  for (const backend of ['tmux', 'setsid'] as const) {
    test(`attach --host to a ${backend} job: a real terminal over ssh -t; type, detach, the job runs on`, async () => {
      const loop = 'echo ready-to-read; while read -r l; do echo "got:$l"; done';
      const r = await cli(['--host', 'h1', 'run', '--backend', backend, '--', 'sh', '-c', loop]);
      assert.equal(r.code, 0, r.stderr);
      const id = r.stdout.trim();
      const term = new Terminal({ cols: 100, rows: 30, allowProposedApi: true });
      const p = pty.spawn(process.execPath, [lingerJs, '--ssh-config', fleet.sshConfig, '--host', 'h1', 'attach', id],
        { cols: 100, rows: 30, env: { ...process.env, LINGER_HOME: home, TERM: 'xterm-256color' } as Record<string, string> });
      let exited = false;
      p.onData((d) => term.write(d));
      p.onExit(() => { exited = true; });
      const screen = () => { const b = term.buffer.active; const l: string[] = []; for (let i = 0; i < b.length; i++) l.push(b.getLine(i)?.translateToString(true) ?? ''); return l.join('\n'); };
      try {
        await until('the job on the attached screen', () => screen().includes('ready-to-read'), 60_000, 50);
        p.write('hello over ssh\r');
        await until('the typed line echoed by the job', () => screen().includes('got:hello over ssh'), 30_000, 50);
        p.write(backend === 'tmux' ? '\x02d' : '\x1d');
        await until('attach to end after detaching', () => exited, 30_000, 50);
        const show = JSON.parse((await cli(['--host', 'h1', 'show', '--json', id])).stdout) as JobRecord;
        assert.equal(show.state, 'running', 'detaching leaves the job running on h1');
        assert.match((await cli(['--host', 'h1', 'logs', id])).stdout, /got:hello over ssh/);
      } finally {
        if (!exited) p.kill();
        await cli(['--host', 'h1', 'kill', '--grace', '0', id]);
      }
    });
  }

  test('jobs on a host get its login PATH (what ~/.profile adds), as in a terminal there', async () => {
    onHost('h1', 'mkdir -p ~/lt-bin && printf "#!/bin/sh\\necho tool-ran\\n" > ~/lt-bin/lt-tool && chmod 755 ~/lt-bin/lt-tool && echo \'PATH="$HOME/lt-bin:$PATH"\' >> ~/.profile');
    // Control: a plain ssh command does not have it (its PATH is the minimal one).
    assert.notEqual(onHost('h1', 'lt-tool').status, 0);
    const r = await cli(['--host', 'h1', 'run', '--json', '--', 'lt-tool']);
    assert.equal(r.code, 0, r.stderr);
    const id = (JSON.parse(r.stdout) as JobRecord).id;
    assert.equal((await cli(['--host', 'h1', 'wait', id])).code, 0);
    assert.equal((await cli(['--host', 'h1', 'logs', id])).stdout, 'tool-ran\n');
  });

  test('more CLI calls at once than sshd\'s MaxSessions (10) over one master: all succeed (ssh falls back to direct connections)', async () => {
    const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => cli(['--host', 'h2', 'run', '--name', `many-${i}`, '--', 'true'])));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const ids = new Set(runs.map((r) => r.stdout.trim()));
    assert.equal(ids.size, 12);
    const listed = records(await cli(['--host', 'h2', 'ls', '--json']));
    for (const id of ids) assert.ok(listed.some((j) => j.id === id), `job ${id} on h2`);
    assert.equal((await cli(['--host', 'h2', 'rm', '--finished'])).code, 0);
  });

  test('a host whose config has RemoteCommand and a LocalForward on a busy port (with ExitOnForwardFailure) still works: our connections carry only our command', async () => {
    const busy = createServer();
    await new Promise<void>((res) => busy.listen(0, '127.0.0.1', res));
    const port = (busy.address() as AddressInfo).port;
    const cfg = join(home, 'rc_config');
    writeFileSync(cfg, [
      'Host h1rc', '  HostName 198.18.1.2', '  User lf1', `  IdentityFile ${fleet.dir}/client/id_ed25519`,
      '  RemoteCommand echo hijacked', `  LocalForward 127.0.0.1:${port} 127.0.0.1:22`, '  ExitOnForwardFailure yes',
      `Include ${fleet.sshConfig}`, '',
    ].join('\n'), { mode: 0o600 });
    try {
      // Control: the user's own ssh with a command line refuses, and with none runs their RemoteCommand.
      const plain = spawnSync('ssh', ['-F', cfg, '-S', 'none', 'h1rc', 'true'], { encoding: 'utf8', timeout: 30_000 });
      assert.notEqual(plain.status, 0);
      assert.match(plain.stderr, /Cannot execute command-line and remote command/);
      // …and without the RemoteCommand, the forward on the busy port fails it.
      const fwd = spawnSync('ssh', ['-F', cfg, '-S', 'none', '-o', 'RemoteCommand=none', 'h1rc', 'true'], { encoding: 'utf8', timeout: 30_000 });
      assert.notEqual(fwd.status, 0, fwd.stderr);
      const r = await runCli(home, ['--ssh-config', cfg, '--host', 'h1rc', 'ls', '--json'], { timeoutMs: 90_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(Array.isArray(JSON.parse(r.stdout)));
    } finally {
      busy.close();
      spawnSync('ssh', ['-F', cfg, '-o', `ControlPath=${join(home, 'ssh')}/%C`, '-O', 'exit', 'h1rc'], { stdio: 'ignore' });
    }
  });

  test('install-cli --host puts a launcher on the host that runs the versioned bundle', async () => {
    const r = await cli(['--host', 'h1', 'install-cli']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '/home/lf1/.local/bin/linger');
    const ls = onHost('h1', '/home/lf1/.local/bin/linger ls --json');
    assert.equal(ls.status, 0, ls.stderr);
    assert.ok(Array.isArray(JSON.parse(ls.stdout)));
    // Control: the launcher points at the checksummed folder, not at anything of ours here.
    const body = onHost('h1', 'cat /home/lf1/.local/bin/linger').stdout;
    assert.ok(body.includes(`/home/lf1/.local/share/linger/agent/${bundle!.folder}/linger.js`), body);
  });
});
