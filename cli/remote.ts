// `linger --host H VERB …`: the same verbs, answered by H's agent over the user's ssh (core/hosts).
// Each verb becomes the protocol request the extension would send; the job's argv, cwd and env
// travel inside JSON-RPC, never on ssh's command line. Attach is a real `ssh -t` terminal.
import { spawnSync } from 'node:child_process';
import { loadBundle } from '../core/hosts/bundle';
import { HostPool } from '../core/hosts/pool';
import { listHosts } from '../core/hosts/hostList';
import { sshOptionsFor } from '../core/hosts/setup';
import { isFinished } from '../core/jobs/state';
import { defaultHome } from '../core/jobs/paths';
import { BACKEND_CHOICES, isBackendChoice, UserError, type AttachCommand, type DoctorReport, type GroupInfo, type JobRecord } from '../core/jobs/types';
import {
  AttachRequest, DoctorRequest, GroupPauseRequest, GroupResumeRequest, GroupSetRequest, GroupsRequest, InstallCliRequest, KillRequest, ListRequest, LogsRequest, RemoveRequest, RestartRequest, RunRequest, ShowRequest,
  type GroupsResult, type InstallCliResult, type ListResult, type LogsResult, type RemoveResult, type RunParams,
} from '../core/protocol';
import { envPairs, seconds, type Parsed } from './args';
import { one, out, progress, tty } from './command';
import { printDoctor } from './commands/doctor';
import { printInstalled } from './commands/installCli';
import { cmdGroup, type GroupOps } from './commands/group';
import { queueFlags } from './commands/run';
import { exitStatusOf } from './commands/wait';
import { showText, jobsTable } from './format';
import { termSafe } from './escape';

/** One CLI run's pool: connections end when the command ends; the ssh masters stay (ControlPersist). */
export function cliPool(configFile: string | null): HostPool {
  return new HostPool({
    // On a terminal ssh may prompt (password, passphrase) once for the master; otherwise BatchMode.
    ssh: sshOptionsFor({ configFile, stateDir: defaultHome(), interactive: process.stdin.isTTY === true && process.stderr.isTTY === true }),
    bundle: () => loadBundle(),
    settings: () => ({}),
    hosts: () => listHosts({ configFile }),
    log: process.env.LINGER_DEBUG === '1' ? (l) => process.stderr.write(`linger: ${l}\n`) : undefined,
  });
}

type Req = <R>(method: string, params: Record<string, unknown>) => Promise<R>;

export async function runRemote(verb: string, p: Parsed, host: string, pool: HostPool): Promise<number> {
  const req: Req = (method, params) => pool.request(host, method, params);
  const f = p.flags;
  switch (verb) {
    case 'run': return remoteRun(p, req);
    case 'ls': {
      if (p.positionals.length) throw new UserError(`ls: unexpected argument '${p.positionals[0]}'`);
      const r = await req<ListResult>(ListRequest.method, { all: f.all === true });
      if (f.json) out(JSON.stringify([...r.jobs, ...r.foreign.map((s) => ({ foreign: true, host, ...s }))]));
      else if (r.jobs.length || r.foreign.length) out(jobsTable(r.jobs, r.foreign));
      else if (tty()) process.stderr.write('no jobs\n');
      return 0;
    }
    case 'show': {
      const r = await req<JobRecord>(ShowRequest.method, { id: one('show', p) });
      out(f.json ? JSON.stringify(r) : `${showText(r)}\n${'host:'.padEnd(12)}${termSafe(host)}`);
      return 0;
    }
    case 'logs': return remoteLogs(p, req);
    case 'attach': {
      if (f.task !== undefined) throw new UserError('attach --task with --host: not supported yet; use linger --host H logs -f ID --task N');
      const a = await req<AttachCommand>(AttachRequest.method, { id: one('attach', p) });
      const local = pool.attachArgv(host, a);
      process.stderr.write(`${a.detachHint}\n`);
      const res = spawnSync(local.argv[0]!, local.argv.slice(1), { stdio: 'inherit' });
      if (res.error) throw new UserError(`attach failed: ${res.error.message}`);
      return res.status ?? 1;
    }
    case 'wait': {
      const timeoutMs = seconds('wait', 'timeout', f.timeout as string | undefined);
      const r0 = await req<JobRecord>(ShowRequest.method, { id: one('wait', p) });
      const t0 = Date.now();
      let r = r0;
      while (!isFinished(r)) {
        if (timeoutMs !== undefined && Date.now() - t0 >= timeoutMs) { process.stderr.write(`linger: timed out waiting for job ${r.id}\n`); return 124; }
        progress(`waiting for ${r0.id} on ${termSafe(host)}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        await new Promise((res) => setTimeout(res, 500));
        r = await req<JobRecord>(ShowRequest.method, { id: r0.id });
      }
      progress(null);
      return exitStatusOf(r);
    }
    case 'kill': {
      const r0 = await req<JobRecord>(ShowRequest.method, { id: one('kill', p) });
      if (isFinished(r0)) { process.stderr.write(`linger: job ${r0.id} is not running (${termSafe(r0.state)})\n`); return 0; }
      const graceMs = seconds('kill', 'grace', f.grace as string | undefined);
      const r = await req<JobRecord>(KillRequest.method, { id: r0.id, ...(f.signal ? { signal: f.signal } : {}), ...(graceMs !== undefined ? { graceMs } : {}) });
      if (tty()) process.stderr.write(`${r.id}: ${r.state}${r.signal ? ' ' + r.signal : r.exitCode !== null ? ' ' + r.exitCode : ''}\n`);
      return 0;
    }
    case 'rm': {
      if (f.finished && p.positionals.length) throw new UserError('rm: give job ids or --finished, not both');
      if (!f.finished && !p.positionals.length) throw new UserError('rm: expected job ids or --finished');
      const r = await req<RemoveResult>(RemoveRequest.method, f.finished ? { finished: true } : { ids: p.positionals });
      if (tty()) process.stderr.write(`removed ${r.removed.length} job${r.removed.length === 1 ? '' : 's'}\n`);
      for (const id of r.removed) out(id);
      return 0;
    }
    case 'restart': {
      const r = await req<JobRecord>(RestartRequest.method, { id: one('restart', p) });
      out(f.json ? JSON.stringify(r) : r.id);
      return 0;
    }
    case 'group': {
      const ops: GroupOps = {
        groups: async () => (await req<GroupsResult>(GroupsRequest.method, {})).groups,
        setGroup: (name, change) => (change.parallel !== undefined
          ? req<GroupInfo>(GroupSetRequest.method, { name, parallel: change.parallel })
          : req<GroupInfo>(change.paused ? GroupPauseRequest.method : GroupResumeRequest.method, { name })),
      };
      return cmdGroup(ops, p);
    }
    case 'doctor': printDoctor(await req<DoctorReport>(DoctorRequest.method, {}), f.json === true); return 0;
    case 'install-cli': {
      const r = await req<InstallCliResult>(InstallCliRequest.method, {});
      printInstalled(r, host);
      return 0;
    }
    default: throw new UserError(`${verb}: not available with --host`);
  }
}


async function remoteRun(p: Parsed, req: Req): Promise<number> {
  const f = p.flags;
  if (f.batch === true) throw new UserError('run --batch with --host: not supported yet; run the batch on that host (linger install-cli --host H, then ssh H linger run --batch)');
  // JSON carries text: bytes that are not UTF-8 cannot reach another host unaltered.
  if (p.raw) throw new UserError('run --host: an argument, --cwd or --env value is not valid UTF-8; a job on another host gets its command as text, which cannot carry those bytes exactly. Refusing to alter it');
  let argv = p.positionals;
  const shell = f.shell === true;
  if (shell) {
    if (argv.length !== 1) throw new UserError("run --shell: give the command as ONE string, e.g. linger run --shell 'make && make test'");
    // That host's own login shell, whatever it is: $SHELL is read there, not here.
    argv = ['/bin/sh', '-c', 'exec "${SHELL:-/bin/sh}" -lc "$1"', 'sh', argv[0]!];
  }
  if (!argv.length) throw new UserError('run: no command given (usage: linger run [options] -- CMD [ARG...])');
  const backend = (f.backend as string | undefined) ?? 'auto';
  if (!isBackendChoice(backend)) throw new UserError(`run: unknown backend '${backend}' (use ${BACKEND_CHOICES.join(', ')})`);
  if (backend === 'slurm') throw new UserError('run --host: Slurm jobs on another host are not supported yet; ssh there and use linger run --backend slurm');
  const params: RunParams = {
    argv, shell, name: (f.name as string | undefined) ?? null, backend, ...queueFlags(p),
    ...(f.cwd !== undefined ? { cwd: f.cwd as string } : {}),
    env: envPairs(f.env as string[] | undefined) as Record<string, string>,
    waitForPid: f.json === true,
  };
  const r = await req<JobRecord>(RunRequest.method, params as unknown as Record<string, unknown>);
  out(f.json ? JSON.stringify(r) : r.id);
  return 0;
}

async function remoteLogs(p: Parsed, req: Req): Promise<number> {
  const f = p.flags;
  const tail = f.tail as string | undefined;
  if (tail !== undefined && !/^\d+$/.test(tail)) throw new UserError(`logs: --tail wants a number of lines, got '${tail}'`);
  const r0 = await req<JobRecord>(ShowRequest.method, { id: one('logs', p) });
  if (f.task !== undefined) throw new UserError('logs --task with --host: not supported yet');
  const read = async (from: number | null) => {
    const c = await req<LogsResult>(LogsRequest.method, {
      id: r0.id, raw: f.raw === true, encoding: 'base64',
      ...(from === null && tail !== undefined ? { tailLines: +tail } : {}), ...(from !== null ? { fromByte: from } : {}),
    });
    const b = Buffer.from(c.text, 'base64');
    if (b.length) process.stdout.write(b);
    return { size: c.size, got: b.length };
  };
  let { size } = await read(tail !== undefined || !f.follow ? null : 0);
  if (!f.follow) return 0;
  let endedAt = 0;
  for (;;) {
    const c = await read(size);
    size = c.size;
    if (c.got) { endedAt = 0; continue; }
    const r = await req<JobRecord>(ShowRequest.method, { id: r0.id });
    if (isFinished(r)) {
      // One more read after the end: the pump may still be draining the last bytes.
      if (endedAt && Date.now() - endedAt > 1000) break;
      if (!endedAt) endedAt = Date.now();
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  return 0;
}
