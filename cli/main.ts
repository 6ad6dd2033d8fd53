// `linger` CLI entry. Contract: exit 0 ok, 1 on user error with ONE line on stderr (stack traces
// only with LINGER_DEBUG=1). Verbs other than lint stay on a lean import path.
import { closeSync, constants as fsConstants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../core/jobs/engine';
import { UserError, type JobRecord } from '../core/jobs/types';
import { envPairs, parseArgs, seconds, type Parsed, type VerbSpec } from './args';
import { displayCommand, jobsTable, showText } from './format';
import { USAGE, mainUsage } from './help';
import { attachSetsid } from './attach';
import { termSafe, termSafeText } from './escape';

/** Log files are opened without following a link planted in the job dir. */
const openLog = (f: string): number => openSync(f, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
import { rawArgv } from './rawArgv';
import { TerminalDecoder } from '../core/jobs/logDecode';

const SPECS: Record<string, VerbSpec> = {
  run: { restAfterFirst: true, flags: { name: { kind: 'string' }, backend: { kind: 'string' }, cwd: { kind: 'string' }, env: { kind: 'multi' }, json: { kind: 'bool' }, shell: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } },
  ls: { flags: { all: { kind: 'bool', short: 'a' }, json: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } },
  show: { flags: { json: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } },
  logs: { flags: { follow: { kind: 'bool', short: 'f' }, tail: { kind: 'string', short: 'n' }, raw: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } },
  attach: { flags: { help: { kind: 'bool', short: 'h' } } },
  wait: { flags: { timeout: { kind: 'string' }, help: { kind: 'bool', short: 'h' } } },
  kill: { flags: { signal: { kind: 'string', short: 's' }, grace: { kind: 'string' }, help: { kind: 'bool', short: 'h' } } },
  rm: { flags: { finished: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } },
  restart: { flags: { json: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } },
  doctor: { flags: { json: { kind: 'bool' }, help: { kind: 'bool', short: 'h' } } },
};

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const tty = () => process.stderr.isTTY === true;
function progress(msg: string | null): void {
  if (!tty()) return;
  process.stderr.write(msg === null ? '\r\x1b[K' : `\r\x1b[K${msg}`);
}

function one(verb: string, p: Parsed): string {
  if (p.positionals.length !== 1) throw new UserError(`${verb}: expected exactly one job id (see: linger ${verb} --help)`);
  return p.positionals[0];
}

/** Exit status that mirrors the job's end: its code, 128+signal, or 1 when it was lost. */
function exitStatusOf(r: JobRecord, diskNote: string | null = null): number {
  if (r.state === 'exited') return r.exitCode ?? 0;
  if (r.state === 'killed') {
    const n = r.signal ? (osConstants.signals as Record<string, number>)[r.signal] : undefined;
    return 128 + (n ?? 9);
  }
  if (r.state === 'lost') {
    process.stderr.write(diskNote
      ? `linger: job ${termSafe(r.id)} was lost: ${termSafeText(diskNote)} (its exit status could not be recorded)\n`
      : `linger: job ${termSafe(r.id)} was lost (its session vanished without recording an exit status)\n`);
    return 1;
  }
  return 0;
}

async function cmdRun(e: Engine, p: Parsed): Promise<number> {
  const f = p.flags;
  // Exact bytes where some argument is not UTF-8 (p.raw), else the strings.
  let argv: Array<string | Buffer> = p.raw?.positionals ?? p.positionals;
  const shell = f.shell === true;
  if (shell) {
    if (argv.length !== 1) throw new UserError("run --shell: give the command as ONE string, e.g. linger run --shell 'make && make test'");
    argv = [process.env.SHELL || '/bin/sh', '-lc', argv[0]];
  }
  if (!argv.length) throw new UserError('run: no command given (usage: linger run [options] -- CMD [ARG...])');
  const backend = (f.backend as string | undefined) ?? 'auto';
  if (!['auto', 'tmux', 'screen', 'setsid'].includes(backend)) throw new UserError(`run: unknown backend '${backend}' (use auto, tmux, screen or setsid)`);
  const cwd = p.raw?.flags.cwd?.[0] ?? (f.cwd as string | undefined);
  const r = await e.run({ argv, shell, name: (f.name as string | undefined) ?? null, backend: backend as 'auto', cwd, env: envPairs(f.env as string[] | undefined, p.raw?.flags.env),
    // Only --json shows the pid; a plain run returns as soon as the backend has the job.
    waitForPid: f.json === true });
  out(f.json ? JSON.stringify(r) : r.id);
  return 0;
}

async function cmdLs(e: Engine, p: Parsed): Promise<number> {
  if (p.positionals.length) throw new UserError(`ls: unexpected argument '${p.positionals[0]}'`);
  const { jobs, unreadable } = e.listDetailed();
  for (const b of unreadable) process.stderr.write(`linger: warning: job ${termSafe(b.id)} is unreadable (${termSafeText(b.problem)}); skipped\n`);
  const foreign = p.flags.all ? await e.foreign((line) => process.stderr.write(`linger: warning: ${termSafeText(line)}\n`)) : [];
  if (p.flags.json) {
    const f = foreign.map((s) => ({ foreign: true, ...s, attach: e.foreignAttachCommand(s).argv }));
    out(JSON.stringify([...jobs, ...f]));
  } else if (jobs.length || foreign.length) out(jobsTable(jobs, foreign));
  else if (tty()) process.stderr.write('no jobs\n');
  return 0;
}

type Sink = (b: Buffer) => void;

/** Writes bytes [from, end) of log.1+log to the sink; returns the new end. */
function copyRange(files: string[], from: number, sink: Sink): number {
  let base = 0;
  for (const f of files) {
    let fd: number;
    try { fd = openLog(f); } catch { continue; }
    try {
      const size = fstatSync(fd).size;
      let pos = Math.max(0, from - base);
      const buf = Buffer.alloc(1 << 16);
      while (pos < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
        if (n <= 0) break;
        sink(Buffer.from(buf.subarray(0, n)));
        pos += n;
      }
      base += size;
    } finally { closeSync(fd); }
  }
  return Math.max(base, from);
}

async function cmdLogs(e: Engine, p: Parsed): Promise<number> {
  const ref = one('logs', p);
  const tail = p.flags.tail as string | undefined;
  if (tail !== undefined && !/^\d+$/.test(tail)) throw new UserError(`logs: --tail wants a number of lines, got '${tail}'`);
  const r = await e.get(ref);
  const [old, cur] = await e.logFiles(r.id);
  // The program's bytes unless --raw: the terminal's "\r\n" undone as the bytes stream by (a "\r"
  // at a chunk's end waits for the next byte).
  const write: Sink = (b) => { if (b.length) process.stdout.write(b); };
  const dec = p.flags.raw || !e.logIsTerminal(r.id) ? null : new TerminalDecoder();
  const sink: Sink = dec ? (b) => write(dec.push(b)) : write;
  const finish = () => { if (dec) write(dec.end()); };
  if (tail !== undefined) {
    const c = await e.readLog(r.id, { tailLines: +tail, raw: true });
    sink(c.data);
    if (p.flags.follow) await follow(e, r.id, old, cur, true, sink);
  } else if (!p.flags.follow) copyRange([old, cur], 0, sink);
  else await follow(e, r.id, old, cur, false, sink);
  finish();
  return 0;
}

/** Follows `log` by inode: when the pump rotates it, the rest of the old file is read first. */
async function follow(e: Engine, id: string, old: string, cur: string, fromEnd: boolean, sink: Sink): Promise<void> {
  let fd: number | null = null;
  let pos = 0;
  const buf = Buffer.alloc(1 << 16);
  const open = (atEnd: boolean) => {
    try { fd = openLog(cur); pos = atEnd ? fstatSync(fd).size : 0; } catch { fd = null; pos = 0; }
  };
  if (!fromEnd) copyRange([old], 0, sink);
  open(fromEnd);
  let endedAt = 0;
  for (;;) {
    let got = 0;
    if (fd !== null) {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        sink(Buffer.from(buf.subarray(0, n)));
        pos += n; got += n;
      }
      let rotated = false;
      try { rotated = statSync(cur).ino !== fstatSync(fd).ino; } catch { rotated = true; }
      if (rotated) { closeSync(fd); fd = null; open(false); continue; }
    } else open(false);
    if (!got) {
      const r = await e.get(id);
      if (r.state !== 'running') {
        if (!endedAt) endedAt = Date.now();
        if (existsSync(cur.replace(/log$/, 'log.done')) || Date.now() - endedAt > 2000) break;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  if (fd !== null) closeSync(fd);
}

async function cmdWait(e: Engine, p: Parsed): Promise<number> {
  const ref = one('wait', p);
  const timeoutMs = seconds('wait', 'timeout', p.flags.timeout as string | undefined);
  const r0 = await e.get(ref);
  const r = await e.wait(r0.id, { timeoutMs, onProgress: (ms) => progress(`waiting for ${r0.id} (${displayCommand(r0.argv).slice(0, 40)}): ${(ms / 1000).toFixed(0)} s`) });
  progress(null);
  if (r.state === 'running') { process.stderr.write(`linger: timed out waiting for job ${r.id}\n`); return 124; }
  const note = await e.diskNote(r.id);
  if (note && r.state !== 'lost') process.stderr.write(`linger: note: job ${r.id}: ${termSafeText(note)}\n`);
  return exitStatusOf(r, note);
}

async function cmdKill(e: Engine, p: Parsed): Promise<number> {
  const ref = one('kill', p);
  const graceMs = seconds('kill', 'grace', p.flags.grace as string | undefined);
  const r0 = await e.get(ref);
  if (r0.state !== 'running') { process.stderr.write(`linger: job ${r0.id} is not running (${termSafe(r0.state)})\n`); return 0; }
  const r = await e.kill(r0.id, { signal: p.flags.signal as string | undefined, graceMs, onProgress: (left) => progress(`killing ${r0.id}: ${(left / 1000).toFixed(1)} s until SIGKILL`) });
  progress(null);
  if (tty()) process.stderr.write(`${r.id}: ${r.state}${r.signal ? ' ' + r.signal : r.exitCode !== null ? ' ' + r.exitCode : ''}\n`);
  return 0;
}

async function cmdAttach(e: Engine, p: Parsed): Promise<number> {
  const ref = one('attach', p);
  const r = await e.get(ref);
  const a = await e.attachCommand(r.id);
  if (r.backend !== 'setsid' || a.argv[2] !== 'attach' || process.env.LINGER_ATTACH_CHILD) {
    const { spawnSync } = await import('node:child_process');
    process.stderr.write(`${a.detachHint}\n`);
    // Attaching from inside another tmux is the user's call, not a reason for tmux to refuse.
    const env: NodeJS.ProcessEnv = { ...process.env, ...a.env };
    delete env.TMUX;
    const res = spawnSync(a.argv[0], a.argv.slice(1), { stdio: 'inherit', env });
    if (res.error) throw new UserError(`attach failed: ${res.error.message}`);
    return res.status ?? 1;
  }
  
  return attachSetsid(e, r);
}

async function cmdRm(e: Engine, p: Parsed): Promise<number> {
  let ids: string[];
  if (p.flags.finished) {
    if (p.positionals.length) throw new UserError('rm: give job ids or --finished, not both');
    ids = await e.removeFinished();
  } else {
    if (!p.positionals.length) throw new UserError('rm: expected job ids or --finished');
    ids = await e.remove(p.positionals);
  }
  if (tty()) process.stderr.write(`removed ${ids.length} job${ids.length === 1 ? '' : 's'}\n`);
  for (const id of ids) out(id);
  return 0;
}

async function cmdDoctor(e: Engine, p: Parsed): Promise<number> {
  const d = await e.doctor();
  if (p.flags.json) { out(JSON.stringify(d)); return 0; }
  const yn = (b: boolean | null) => (b === null ? 'unknown' : b ? 'yes' : 'no');
  const lines = [
    `state dir:   ${d.stateDir.path} ${d.stateDir.mode} ${d.stateDir.ok ? 'ok' : 'PROBLEM: ' + d.stateDir.problem}`,
    ...d.backends.map((b) => `backend:     ${b.name.padEnd(7)} ${b.available ? `${b.path} (${b.version ?? '?'})` : 'not found'}`),
    `default:     ${d.defaultBackend ?? 'none'}`,
    `logind:      KillUserProcesses=${yn(d.logind.killUserProcesses)} linger=${yn(d.logind.linger)} (${d.logind.note})`,
    `sshd:        ClientAliveInterval=${d.sshd.clientAliveInterval} ClientAliveCountMax=${d.sshd.clientAliveCountMax} TCPKeepAlive=${yn(d.sshd.tcpKeepAlive)} [${d.sshd.source}]`,
    `             ${d.sshd.explanation}`,
  ];
  out(lines.join('\n'));
  return 0;
}

async function cmdLint(args: string[]): Promise<number> {
  // lint is its own bundle (dist/linger-lint.js) so the keyword tables and the analysis never
  // slow down the start-up of the job verbs. From source (tsx) the module is loaded directly.
  // Both paths are non-literal on purpose: esbuild must not pull lint into this bundle.
  const bundled = join(__dirname, 'linger-lint.js');
  const target = existsSync(bundled) ? bundled : join(__dirname, 'commands', 'lint.ts');
  let mod: { lint?: (a: string[]) => Promise<number> };
  try { mod = (await import(pathToFileURL(target).href)) as typeof mod; } catch (e) { if (process.env.LINGER_DEBUG === '1') console.error(e); throw new UserError('lint is not available in this build'); }
  if (typeof mod.lint !== 'function') throw new UserError('lint is not available in this build');
  return mod.lint(args);
}

/** rawOf: the exact bytes of argv (see rawArgv.ts), asked for only by the verb that passes them on. */
export async function main(argv: string[], rawOf: () => Buffer[] | null = () => null): Promise<number> {
  const verb = argv[0];
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') { out(mainUsage()); return verb ? 0 : 1; }
  if (verb === '--version' || verb === '-V') { out('linger 0.1.0'); return 0; }
  if (verb === 'lint') return cmdLint(argv.slice(1));
  const spec = SPECS[verb];
  if (!spec) throw new UserError(`unknown command '${verb}' (see: linger --help)`);
  const p = parseArgs(verb, argv.slice(1), spec, verb === 'run' ? rawOf()?.slice(1) : undefined);
  if (p.flags.help) { out(USAGE[verb]); return 0; }
  const e = new Engine();
  switch (verb) {
    case 'run': return cmdRun(e, p);
    case 'ls': return cmdLs(e, p);
    case 'show': {
      const r = await e.get(one('show', p));
      const note = p.flags.json ? null : await e.diskNote(r.id);
      out(p.flags.json ? JSON.stringify(r) : showText(r) + (note ? `\n${'note:'.padEnd(12)}${termSafeText(note)}` : ''));
      return 0;
    }
    case 'logs': return cmdLogs(e, p);
    case 'attach': return cmdAttach(e, p);
    case 'wait': return cmdWait(e, p);
    case 'kill': return cmdKill(e, p);
    case 'rm': return cmdRm(e, p);
    case 'restart': {
      const r = await e.restart(one('restart', p));
      out(p.flags.json ? JSON.stringify(r) : r.id);
      return 0;
    }
    case 'doctor': return cmdDoctor(e, p);
  }
  return 1;
}

function fail(e: unknown): number {
  const debug = process.env.LINGER_DEBUG === '1';
  if (debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  else {
    const err = e as NodeJS.ErrnoException;
    const msg = e instanceof UserError ? e.message : err && err.message ? err.message.split('\n')[0] : String(e);
    // Messages quote what the user typed (ids, names, paths): one line, nothing for the terminal.
    process.stderr.write(`linger: ${termSafeText(msg.replace(/^linger: /, ''))}\n`);
  }
  return 1;
}

if (require.main === module) {
  process.on('uncaughtException', (e) => { process.exitCode = fail(e); process.exit(); });
  const args = process.argv.slice(2);
  main(args, () => rawArgv(args)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.exitCode = fail(e); },
  );
}
