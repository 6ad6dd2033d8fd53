// Public surface of the job engine. The CLI and the agent use only this class.
// Jobs are directories under HOME/jobs; a job's processes are plain sh + the backend, so jobs
// keep running (and keep their log capped) with no Linger process alive. State is derived from
// files the wrapper writes (wpid, cpid, exit) plus the process table, on every read.
import { constants as fsConstants, existsSync, openSync, watch, type FSWatcher, closeSync, readSync, rmSync, statSync, fstatSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type {
  AttachCommand, BackendName, DoctorReport, ForeignSession, JobRecord, KillOptions, RunOptions,
} from './types';
import { UserError } from './types';
import { cwdBytes, display, exactEnvValue, rawBytesOf, resolveBytes, runValuesOf, toBytes } from './bytes';
import { parseExitStatus, signalLine, signalName, signalResettingEnv } from './exitStatus';
import { decodeTerminal } from './logDecode';
import { resolveRef } from './ids';
import { Store, writeAtomic, type StoredJob, type Unreadable } from './store';
import { cliPath, defaultHome, installWrapper } from './paths';
import { BACKEND_ORDER, attachArgv, backendBin, endSession, plannedSession, startBackend, tmuxSocket } from './backends';
import { argvHolders, isAlive, members, procStat } from './proc';
import { createExclusive, fullDiskNote } from './fsafe';
import { recordExit, reserveExit } from './exitRecord';
import { proveWrapper } from './proof';
import { listForeignChecked } from './foreign';
import { doctor } from './doctor';

export interface EngineOptions {
  /** State directory; default: $LINGER_HOME, else $XDG_STATE_HOME/linger, else ~/.local/state/linger. */
  home?: string;
  /** Per-job log cap in bytes (default 100 MB, or $LINGER_LOG_CAP); older output is dropped, the tail is kept. */
  logCapBytes?: number;
}

export interface LogChunk {
  /** Raw: the log's bytes; else the program's bytes (the terminal's "\r\n" undone, see logDecode.ts). */
  data: Buffer;
  /** Offset in the log's bytes for the next read (the log size, less a "\r" held back). */
  size: number;
}

const DEFAULT_CAP = 100 * 1024 * 1024;
const START_TIMEOUT_MS = 5000;

export function parseSize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(s);
  if (!m) return null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(parseFloat(m[1]) * mult);
  return n > 0 ? n : null;
}

/** 'TERM', 'sigterm', '15' → 'SIGTERM'. */
export function normalizeSignal(s: string): string {
  const sigs = osConstants.signals as Record<string, number>;
  if (/^\d+$/.test(s)) {
    const name = Object.keys(sigs).find((k) => sigs[k] === +s);
    if (name) return name;
  } else {
    const up = s.toUpperCase();
    const name = up.startsWith('SIG') ? up : `SIG${up}`;
    if (name in sigs) return name;
  }
  throw new UserError(`unknown signal: ${s}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The first line of a small file the wrapper wrote; O_NOFOLLOW: a link planted in the job dir is not read through. */
function readHead(path: string): string | null {
  let fd: number;
  try { fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW); } catch { return null; }
  try {
    const b = Buffer.alloc(64);
    const n = readSync(fd, b, 0, 64, 0);
    return b.toString('latin1', 0, n).split('\n')[0];
  } catch { return null; } finally { closeSync(fd); }
}

function readInt(path: string): number | null {
  const h = readHead(path);
  const v = h === null ? NaN : parseInt(h, 10);
  return Number.isFinite(v) ? v : null;
}

/** Environment of the caller, as sh `export` lines with exact single-quoting (tmux: its
 * server's environment is whoever started it first, not the caller of this `linger run`). Values
 * Node decoded with U+FFFD are written as their exact bytes (bytes.ts exactEnvValue): Node hands
 * them on to any process it spawns as that U+FFFD text, so screen and setsid jobs get just those
 * (onlyAltered) through this file. */
function environScript(env: NodeJS.ProcessEnv, onlyAltered = false): Buffer {
  const skip = new Set(['TMUX', 'TMUX_PANE', 'PWD', 'OLDPWD', 'SHLVL', '_']);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || skip.has(k) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || v.includes('\0')) continue;
    if (onlyAltered && !v.includes('\uFFFD')) continue;
    // latin1: one char per byte, so quoting works on the bytes.
    const val = exactEnvValue(k, v).toString('latin1');
    parts.push(Buffer.from(`export ${k}='${val.replace(/'/g, `'\\''`)}'\n`, 'latin1'));
  }
  return Buffer.concat(parts);
}

/**
 * The job's spec for the wrapper, as one file (each file costs a syscall round trip that a run
 * waits for): line 1 "argc envc umask loghalf", then one line per argv element, env entry
 * (NAME=value) and the cwd. A value without a newline and short enough to read without a fork
 * (dash reads byte by byte) is the line '=' + value; any other is the line '@' and its raw bytes in
 * spec.N (N = the element's index in that order).
 */
function writeSpecFile(dir: string, head: string, values: Buffer[]): void {
  const parts: Buffer[] = [Buffer.from(`${head}\n`)];
  const AT = Buffer.from('@\n'), EQ = Buffer.from('='), NL = Buffer.from('\n');
  values.forEach((v, i) => {
    if (v.includes(10) || v.length > 2048) { createExclusive(join(dir, `spec.${i}`), v); parts.push(AT); } else parts.push(EQ, v, NL);
  });
  createExclusive(join(dir, 'spec'), Buffer.concat(parts));
}

export class Engine {
  readonly home: string;
  readonly logCapBytes: number;
  private readonly store: Store;
  private wrapperPath: string | null = null;

  constructor(opts: EngineOptions = {}) {
    this.home = resolve(opts.home ?? defaultHome());
    const envCap = process.env.LINGER_LOG_CAP ? parseSize(process.env.LINGER_LOG_CAP) : null;
    this.logCapBytes = Math.max(2, Math.floor(opts.logCapBytes ?? envCap ?? DEFAULT_CAP));
    this.store = new Store(this.home);
  }

  /** Backends installed here, in `auto` preference order. */
  availableBackends(): BackendName[] { return BACKEND_ORDER.filter((b) => backendBin(b) !== null); }

  private wrapper(): string {
    if (!this.wrapperPath) this.wrapperPath = installWrapper(this.home);
    return this.wrapperPath;
  }

  /** Start a job detached; resolves once it is running (pid known). */
  async run(opts: RunOptions): Promise<JobRecord> {
    if (!Array.isArray(opts.argv) || opts.argv.length === 0) throw new UserError('no command given');
    // Everything becomes exact bytes here; the record shows them as text (rawBytes keeps the rest).
    const argvB = opts.argv.map((a, i) => toBytes(a, `argument ${i}`));
    if (argvB.some((a) => a.includes(0))) throw new UserError('arguments must not contain NUL bytes');
    if (argvB[0].length === 0) throw new UserError('empty command name');
    const cwdB = resolveBytes(opts.cwd === undefined ? null : toBytes(opts.cwd, 'the working directory'), cwdBytes);
    if (!cwdB) throw new UserError('cannot read the current directory exactly (removed, or not UTF-8 and no /proc/self/cwd); give --cwd');
    const cwd = display(cwdB);
    let st;
    try { st = statSync(cwdB); } catch { throw new UserError(`no such directory: ${cwd}`); }
    if (!st.isDirectory()) throw new UserError(`not a directory: ${cwd}`);
    const envB: Array<[string, Buffer]> = [];
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new UserError(`invalid environment variable name: ${JSON.stringify(k)}`);
      const b = toBytes(v, `the value of environment variable ${k}`);
      if (b.includes(0)) throw new UserError(`invalid value for environment variable ${k}`);
      envB.push([k, b]);
    }
    const argv = argvB.map(display);
    const env = Object.fromEntries(envB.map(([k, v]) => [k, display(v)]));
    const requested = opts.backend ?? 'auto';
    let backend: BackendName;
    if (requested === 'auto') {
      const avail = this.availableBackends();
      if (!avail.length) throw new UserError('no backend available (need tmux, screen or sh)');
      backend = avail[0];
    } else if ((BACKEND_ORDER as string[]).includes(requested)) {
      backend = requested;
      if (!backendBin(backend)) throw new UserError(`backend ${backend} is not installed`);
    } else throw new UserError(`unknown backend: ${String(requested)} (use auto, tmux, screen or setsid)`);

    this.store.ensure();
    // A shared socket dir that is not ours is refused before anything is reserved.
    if (backend === 'tmux') tmuxSocket(this.home);
    const wrapper = this.wrapper();
    const { id, dir } = this.store.reserve();
    const um = process.umask();
    const head = `${argvB.length} ${envB.length} ${um.toString(8).padStart(4, '0')} ${Math.max(1, Math.floor(this.logCapBytes / 2))} ${signalResettingEnv() ?? '-'}`;
    try {
      writeSpecFile(dir, head, [...argvB, ...envB.map(([k, v]) => Buffer.concat([Buffer.from(`${k}=`), v])), cwdB]);
      const environ = environScript(process.env, backend !== 'tmux');
      if (environ.length) createExclusive(join(dir, 'environ'), environ);
      // Room for the exit record, taken before the job can fill the disk with its log.
      reserveExit(dir);
    } catch (e) {
      // Nothing ran: the reservation goes, with whatever part of the spec was written.
      rmSync(dir, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOSPC' ? `cannot start the job: no space left on the device holding ${this.store.jobsDir}` : `cannot write the job's spec in ${dir}: ${code ?? (e as Error).message}`);
    }

    const record: JobRecord = {
      id, name: opts.name ?? null, argv: [...argv], shell: !!opts.shell, cwd, env: { ...env }, backend,
      state: 'running', exitCode: null, signal: null, pid: null, pgid: null,
      startedAt: new Date().toISOString(), endedAt: null, logPath: join(dir, 'log'), session: '', restartOf: opts.restartOf ?? null,
    };
    const rawBytes = rawBytesOf(argvB, cwdB, envB);
    if (rawBytes) record.rawBytes = rawBytes;
    const job: StoredJob = { record, internal: { leaderPid: null, leaderStart: null, backendBin: null, socket: null, requested } };
    const planned = plannedSession(backend, this.home, id);
    record.session = planned.session; job.internal.socket = planned.socket; job.internal.backendBin = planned.bin;
    // Written before the backend starts: a dir without job.json never ran anything (Store.readAll).
    try { this.store.write(job); } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOSPC' ? `cannot start the job: no space left on the device holding ${this.store.jobsDir}` : `cannot write ${join(dir, 'job.json')}: ${code ?? (e as Error).message}`);
    }
    let started;
    try {
      started = startBackend(backend, { home: this.home, id, dir, wrapper, env: process.env });
    } catch (e) {
      record.state = 'lost'; record.endedAt = new Date().toISOString();
      try { this.store.write(job); } catch { /* the error below says what went wrong */ }
      throw e;
    }
    record.session = started.session;
    job.internal.backendBin = started.bin;
    job.internal.socket = started.socket;
    if (started.leaderPid) {
      job.internal.leaderPid = started.leaderPid;
      job.internal.leaderStart = procStat(started.leaderPid)?.start ?? null;
    }
    // Wait until the job's own process exists (the wrapper writes cpid just before exec).
    if (opts.waitForPid === false) {
      if (started.leaderPid && backend === 'tmux') record.pgid = started.leaderPid;
    } else {
      await this.waitStarted(job, dir, Date.now() + START_TIMEOUT_MS);
    }
    if (job.internal.leaderPid && job.internal.leaderStart === null) {
      // The leader may already have exited (very short job); refresh settles it.
      job.internal.leaderStart = procStat(job.internal.leaderPid)?.start ?? null;
    }
    // job.json is not written a second time (a file write is ~0.2-0.8 ms here): tmux/screen's
    // record already names the session, and what the start added any later read fills in from
    // the wrapper's files exactly as here (wpid = the tmux pane pid, cpid; setsid: opid = the
    // spawned outer wrapper, whose pid is the session).
    const sameAsPlanned = planned.bin === started.bin && planned.socket === started.socket
      && (backend === 'setsid' ? started.session === String(started.leaderPid) : planned.session === started.session);
    if (!sameAsPlanned) this.store.write(job);
    // refresh writes job.json only if the job has already ended.
    return this.refresh(job).record;
  }

  /**
   * Until the wrapper has reported the job's pid (cpid and wpid) or its end (exit), or deadline.
   * Woken by inotify on the job dir (fs.watch) as soon as a file there changes, so the wait costs
   * no polling latency; a slow poll stays as the fallback for file systems without inotify.
   */
  private waitStarted(job: StoredJob, dir: string, deadline: number): Promise<void> {
    const record = job.record;
    const check = (): boolean => {
      const cpid = readInt(join(dir, 'cpid'));
      const wpid = readInt(join(dir, 'wpid'));
      if (wpid && !job.internal.leaderPid) { job.internal.leaderPid = wpid; job.internal.leaderStart = procStat(wpid)?.start ?? null; }
      if (cpid && wpid) { record.pid = cpid; record.pgid = wpid; return true; }
      if (existsSync(join(dir, 'exit'))) { record.pgid = wpid ?? record.pgid; return true; }
      return Date.now() > deadline;
    };
    return new Promise<void>((done) => {
      let watcher: FSWatcher | null = null;
      let timer: NodeJS.Timeout | null = null;
      let finished = false;
      const tick = (): void => {
        if (finished || !check()) return;
        finished = true;
        if (timer) clearTimeout(timer);
        watcher?.close();
        done();
      };
      try { watcher = watch(dir, { persistent: true }, tick); watcher.on('error', () => { watcher?.close(); watcher = null; }); } catch { watcher = null; }
      // Checked after the watch is in place: a file written before it is seen here.
      tick();
      let delay = 1;
      const poll = (): void => {
        timer = null;
        tick();
        if (finished) return;
        delay = watcher ? 50 : Math.min(delay + 1, 4);
        timer = setTimeout(poll, delay);
      };
      if (!finished) timer = setTimeout(poll, watcher ? 50 : 1);
    });
  }

  /** Brings a running job's state up to date from the files its wrapper wrote and the process table. */
  private refresh(job: StoredJob): StoredJob {
    const r = job.record;
    if (r.state !== 'running') return job;
    const dir = this.store.dir(r.id);
    let changed = false;
    if (r.pid === null) { const c = readInt(join(dir, 'cpid')); if (c) { r.pid = c; changed = true; } }
    if (r.pgid === null) { const w = readInt(join(dir, 'wpid')); if (w) { r.pgid = w; changed = true; } }
    if (!job.internal.leaderPid && r.backend === 'setsid') {
      // setsid: the leader is the outer wrapper (the session Node spawned), which writes opid
      // first thing; run does not rewrite job.json to record it.
      const o = readInt(join(dir, 'opid'));
      if (o) { job.internal.leaderPid = o; job.internal.leaderStart = procStat(o)?.start ?? null; changed = true; }
    }
    if (r.backend === 'setsid' && !r.session && job.internal.leaderPid) { r.session = String(job.internal.leaderPid); changed = true; }
    if (!job.internal.leaderPid && r.pgid) {
      job.internal.leaderPid = r.pgid; job.internal.leaderStart = procStat(r.pgid)?.start ?? null; changed = true;
    }
    const exitPath = join(dir, 'exit');
    const settleFromExit = (): boolean => {
      const text = readHead(exitPath);
      const st = text === null ? null : parseExitStatus(text);
      if (!st) return false;
      let mtime = Date.now();
      try { mtime = statSync(exitPath).mtimeMs; } catch { /* raced */ }
      r.endedAt = new Date(mtime).toISOString();
      const sig = st.kind === 'signal' ? signalName(st.signal) : null;
      delete r.exitAmbiguous;
      if (sig) { r.state = 'killed'; r.signal = sig; r.exitCode = null; } else {
        r.state = 'exited'; r.signal = null;
        r.exitCode = st.kind === 'code' ? st.code : st.kind === 'ambiguous' ? st.status : 128 + (st as { signal: number }).signal;
        // Not claimed as a signal: 128+N may just as well be the program's own exit status.
        if (st.kind === 'ambiguous') r.exitAmbiguous = true;
      }
      return true;
    };
    if (settleFromExit()) changed = true;
    else {
      const leader = job.internal.leaderPid;
      const young = Date.now() - Date.parse(r.startedAt) < START_TIMEOUT_MS * 2;
      // No known leader past the grace: a wrapper that has not reported yet (a slow start, shown
      // "starting") is still alive if its process, started as `sh WRAP DIR MODE` by every backend,
      // is. One /proc scan, only on this path; otherwise it is lost.
      const alive = leader ? isAlive(leader, job.internal.leaderStart) : young || argvHolders(dir, true).length > 0;
      if (!alive && !settleFromExit()) {
        r.state = 'lost'; r.endedAt = new Date().toISOString(); changed = true;
      } else if (!alive) changed = true;
    }
    if (changed) { try { this.store.write(job); } catch { /* read-only view still correct */ } }
    return job;
  }

  /** Every job record plus the job directories that could not be read (corrupt job.json). */
  listDetailed(): { jobs: JobRecord[]; unreadable: Unreadable[] } {
    // Reading also tightens a state dir found too open (never creates one); a state dir of
    // another user is refused outright, as is an unreadable one (ids() throws).
    if (existsSync(this.home)) this.store.ensure();
    const { jobs, bad } = this.store.readAll();
    const out = jobs.map((j) => this.refresh(j).record);
    out.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return { jobs: out, unreadable: bad };
  }

  /** Every job record, states refreshed (finished → exited/killed, vanished → lost). Newest first. */
  async list(): Promise<JobRecord[]> { return this.listDetailed().jobs; }

  /**
   * The user's own tmux/screen sessions (not ours). A socket directory that is not the caller's
   * and private is not touched: onRefused gets one line saying which and why.
   */
  async foreign(onRefused?: (line: string) => void): Promise<ForeignSession[]> {
    const { sessions, refused } = listForeignChecked();
    for (const line of refused) onRefused?.(line);
    return sessions;
  }

  private find(ref: string): StoredJob {
    if (typeof ref !== 'string' || !ref) throw new UserError('missing job id');
    // Every verb comes through here: another user's state is refused before anything is read.
    this.store.check();
    // Fast path: a full id reads one file only.
    if (/^[0-9a-z]{10}$/.test(ref) && existsSync(join(this.store.dir(ref), 'job.json'))) {
      try { return this.refresh(this.store.read(ref)); } catch { throw new UserError(`job ${ref}: unreadable record (corrupt job.json)`); }
    }
    const { jobs } = this.store.readAll();
    const hit = resolveRef(ref, jobs.map((j) => ({ id: j.record.id, name: j.record.name, startedAt: j.record.startedAt, job: j })));
    return this.refresh(hit.job);
  }

  /** By id, unique id prefix, or name. UserError when unknown or ambiguous. */
  async get(ref: string): Promise<JobRecord> { return this.find(ref).record; }

  /** Resolves when the job is no longer running, or with the running record at timeout. */
  async wait(ref: string, opts: { timeoutMs?: number; signal?: AbortSignal; onProgress?: (elapsedMs: number) => void } = {}): Promise<JobRecord> {
    const job = this.find(ref);
    const id = job.record.id;
    const t0 = Date.now();
    let j = job;
    while (j.record.state === 'running') {
      if (opts.signal?.aborted) return j.record;
      if (opts.timeoutMs !== undefined && Date.now() - t0 >= opts.timeoutMs) return j.record;
      opts.onProgress?.(Date.now() - t0);
      await sleep(Math.min(100, 10 + (Date.now() - t0) / 10));
      try { j = this.refresh(this.store.read(id)); } catch { throw new UserError(`job ${id} was removed while waiting`); }
    }
    await this.logSettled(id, 2000);
    return j.record;
  }

  /** After the job ended, its log pump drains the last output; give it a moment. */
  private async logSettled(id: string, maxMs: number): Promise<void> {
    const done = join(this.store.dir(id), 'log.done');
    const t0 = Date.now();
    while (!existsSync(done) && Date.now() - t0 < maxMs) await sleep(10);
  }

  /** SIGTERM (or opts.signal) to the whole process group, grace, then SIGKILL; ends the backend session. */
  async kill(ref: string, opts: KillOptions = {}): Promise<JobRecord> {
    const sig = normalizeSignal(opts.signal ?? 'SIGTERM');
    const graceMs = Math.max(0, opts.graceMs ?? 5000);
    let job = this.find(ref);
    const r = job.record;
    if (r.state !== 'running') return r;
    const dir = this.store.dir(r.id);
    // The job's session: the wrapper running the command leads it (pgid == sid == wrapper pid).
    // A job started a moment ago may not have it yet: wait for it, or its session could be
    // created after we looked and escape the kill.
    let wpid = r.pgid ?? readInt(join(dir, 'wpid'));
    for (const t = Date.now() + START_TIMEOUT_MS; !wpid && !existsSync(join(dir, 'exit')) && Date.now() < t;) {
      if (job.internal.leaderPid && !isAlive(job.internal.leaderPid, job.internal.leaderStart)) break;
      await sleep(5);
      wpid = readInt(join(dir, 'wpid'));
    }
    if (!wpid && r.backend === 'setsid' && !job.internal.leaderPid && !existsSync(join(dir, 'opid'))) {
      // A setsid start slower than that wait: the wrapper has not even recorded its session, so
      // nothing below would reach it and it would run the job after we recorded it killed. It has
      // not run anything yet: end it (the process started as `sh WRAP DIR script`), once proven ours.
      for (const p of argvHolders(dir)) {
        if (proveWrapper(p, dir, null, false).ok) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
      }
    }
    // The record is data: the processes it names are signalled only once proven to be this
    // job's wrappers (never pid/pgid <= 1, never us, never a reused pid or a stranger).
    const startOf = (pid: number): number | null => (job.internal.leaderPid === pid ? job.internal.leaderStart : null);
    const refuse = (pid: number, why: string): never => {
      throw new UserError(`job ${r.id}: pid ${pid} named by its record is not this job's process (${why}); nothing signalled`);
    };
    if (wpid !== null) {
      const p = proveWrapper(wpid, dir, startOf(wpid), true);
      // A wrapper that is simply gone leaves nothing to signal (refresh settles the record).
      if (!p.ok) { if (isAlive(wpid) || wpid <= 1) refuse(wpid, p.why); wpid = null; }
    }
    let outer = r.backend === 'setsid' ? job.internal.leaderPid ?? readInt(join(dir, 'opid')) : null;
    if (outer !== null) {
      const p = proveWrapper(outer, dir, startOf(outer), true);
      if (!p.ok) { if (isAlive(outer) || outer <= 1) refuse(outer, p.why); outer = null; }
    }
    job.internal.killRequested = true;
    try { this.store.write(job); } catch { /* a full disk must not stop a kill */ }
    const groups = wpid ? [wpid] : outer ? [outer] : [];
    const trapped = sig === 'SIGTERM' || sig === 'SIGHUP' || sig === 'SIGINT';
    const self = process.pid;
    const send = (s: string, includeWrapper: boolean, ids: number[]) => {
      for (const p of members(ids)) {
        if (p.pid <= 1 || p.pid === self || (!includeWrapper && p.pid === wpid)) continue;
        try { process.kill(p.pid, s); } catch { /* already gone */ }
      }
    };
    if (wpid && wpid > 1 && trapped) { try { process.kill(-wpid, sig); } catch { /* group gone */ } }
    send(sig, sig === 'SIGKILL', groups);
    const deadline = Date.now() + graceMs;
    let escalated = sig === 'SIGKILL';
    for (;;) {
      const left = members(groups);
      if (!left.length) break;
      if (Date.now() >= deadline) {
        if (!escalated) { escalated = true; send('SIGKILL', true, groups); }
        else if (Date.now() >= deadline + 3000) break;
      }
      opts.onProgress?.(Math.max(0, deadline - Date.now()));
      await sleep(50);
    }
    if (outer) {
      // setsid: script and the log pump finish by themselves once the job's session is gone.
      const t = Date.now() + 1000;
      while (members([outer]).length && Date.now() < t) await sleep(20);
      send('SIGKILL', true, [outer]);
    }
    // Let the pump drain the last output before the session's end HUPs what is left in it.
    await this.logSettled(r.id, escalated ? 300 : 1000);
    endSession(r.backend, this.home, r.session);
    // The wrapper died before it could record the end (SIGKILL): record it for it, before any
    // refresh could call the job lost.
    const exitPath = join(dir, 'exit');
    if (!existsSync(exitPath) && !(wpid && isAlive(wpid))) {
      try { recordExit(dir, signalLine(escalated ? 'SIGKILL' : sig)); } catch { /* refresh below */ }
    }
    job = this.refresh(this.store.read(r.id));
    if (job.record.state === 'running' || job.record.state === 'lost') {
      // The wrapper died before it could record the end (SIGKILL): we record it.
      job.record.state = 'killed';
      job.record.signal = escalated ? 'SIGKILL' : sig;
      job.record.exitCode = null;
      job.record.endedAt = new Date().toISOString();
      try { recordExit(dir, signalLine(job.record.signal)); this.store.write(job); } catch { /* what we return is still right */ }
    }
    return job.record;
  }

  /** Removes finished jobs' records and logs; a running job is a UserError (kill it first). */
  async remove(refs: string[]): Promise<string[]> {
    const jobs = refs.map((ref) => this.find(ref));
    for (const j of jobs) if (j.record.state === 'running') throw new UserError(`job ${j.record.id} is still running (kill it first)`);
    const ids = [...new Set(jobs.map((j) => j.record.id))];
    for (const id of ids) rmSync(this.store.dir(id), { recursive: true, force: true });
    return ids;
  }

  async removeFinished(): Promise<string[]> {
    const ids = this.listDetailed().jobs.filter((j) => j.state !== 'running').map((j) => j.id);
    for (const id of ids) rmSync(this.store.dir(id), { recursive: true, force: true });
    return ids;
  }

  /** Same argv/cwd/env/backend choice, new id; the old record stays. */
  async restart(ref: string): Promise<JobRecord> {
    const j = this.find(ref);
    const r = j.record;
    const requested = j.internal.requested;
    const backend = requested === 'auto' || (BACKEND_ORDER as string[]).includes(requested) ? (requested as BackendName | 'auto') : r.backend;
    return this.run({ ...runValuesOf(r), shell: r.shell, name: r.name, backend, restartOf: r.id });
  }

  /** What a terminal runs to attach (tmux/screen attach on our socket; the CLI's pty attach for setsid). */
  async attachCommand(ref: string): Promise<AttachCommand> {
    const j = this.find(ref);
    const r = j.record;
    if (r.state !== 'running') throw new UserError(`job ${r.id} is not running (${r.state}); see its output with: linger logs ${r.id}`);
    // The backend program is looked up on PATH as run does, never taken from the record.
    const a = attachArgv(r.backend, this.home, r.session);
    if (a) return a;
    const cli = cliPath();
    if (!cli) throw new UserError('cannot find the linger CLI to attach to a setsid job');
    return { argv: [process.execPath, cli, 'attach', r.id], env: { LINGER_HOME: this.home }, detachHint: 'Detach: Ctrl-] (job keeps running)' };
  }

  foreignAttachCommand(s: ForeignSession): AttachCommand {
    if (s.backend === 'tmux') return { argv: ['tmux', '-S', s.socket, 'attach-session', '-t', `=${s.session}`], detachHint: 'Detach: Ctrl-b d' };
    return { argv: ['screen', '-r', s.session], detachHint: 'Detach: Ctrl-a d' };
  }

  /** Paths of the job's log files, oldest first (log.1 holds the older half after rotation). */
  logFiles(ref: string): Promise<string[]> {
    const dir = this.store.dir(this.find(ref).record.id);
    return Promise.resolve([join(dir, 'log.1'), join(dir, 'log')]);
  }

  /** Job directory (for attach: the `in` FIFO of setsid jobs). */
  async jobDir(ref: string): Promise<string> {
    const j = this.find(ref);
    const dir = this.store.dir(j.record.id);
    // A setsid job's wrapper makes its `in` FIFO once it runs: a caller that attaches right after
    // run (waitForPid: false) waits for it here.
    const fifo = join(dir, 'in');
    for (const t = Date.now() + START_TIMEOUT_MS; j.record.backend === 'setsid' && j.record.state === 'running' && !existsSync(fifo) && Date.now() < t;) {
      if (j.internal.leaderPid && !isAlive(j.internal.leaderPid, j.internal.leaderStart)) break;
      await sleep(5);
    }
    return dir;
  }

  /**
   * Bytes of log.1 + log: the program's (default) or, raw, the terminal stream as the log holds
   * it. tailLines: only the last N lines. fromByte: from that offset of the log's bytes (when the
   * returned size is smaller than a previous one, the log rotated). While the job runs, a "\r" at
   * the end is held back in the program's bytes (size stops before it) until the next byte says
   * whether it was the terminal's.
   */
  async readLog(ref: string, opts: { tailLines?: number; fromByte?: number; raw?: boolean } = {}): Promise<LogChunk> {
    const j = this.find(ref);
    const dir = this.store.dir(j.record.id);
    const chunk = readLogFiles([join(dir, 'log.1'), join(dir, 'log')], opts);
    if (opts.raw || !this.logIsTerminal(j.record.id)) return chunk;
    // Final once the pump drained the log (log.done), or well after the end if it never could (killed).
    const ended = j.record.state !== 'running' ? Date.parse(j.record.endedAt ?? '') : NaN;
    const final = !Number.isNaN(ended) && (existsSync(join(dir, 'log.done')) || Date.now() - ended > 5000);
    const { data, used } = decodeTerminal(chunk.data, final);
    return { data, size: chunk.size - (chunk.data.length - used) };
  }

  /** False when the job's output did not go through a terminal (no `script`): the log is the program's bytes as is. */
  logIsTerminal(ref: string): boolean {
    return !existsSync(join(this.store.dir(this.find(ref).record.id), 'log.plain'));
  }

  /**
   * When the job's disk got in the way: its log stopped early (the pump could not write it), or
   * it was lost while the device holding it is full. null otherwise.
   */
  async diskNote(ref: string): Promise<string | null> {
    const j = this.find(ref);
    const dir = this.store.dir(j.record.id);
    const full = fullDiskNote(dir);
    if (existsSync(join(dir, 'log.stopped'))) return `its log stopped early: ${full ?? 'the log could not be written (the disk was full?)'}`;
    if (j.record.state === 'lost' && full) return full;
    return null;
  }

  /** Directory whose changes mean "some job changed" (for file watching). */
  jobsDir(): string { return this.store.jobsDir; }

  async doctor(): Promise<DoctorReport> {
    
    return doctor(this.home);
  }
}

/** Reads a byte range over several files as if concatenated (missing files are empty). */
export function readLogFiles(files: string[], opts: { tailLines?: number; fromByte?: number }): LogChunk {
  const sizes = files.map((f) => { try { return statSync(f).size; } catch { return 0; } });
  const total = sizes.reduce((a, b) => a + b, 0);
  const range = (start: number, end: number): Buffer => {
    const parts: Buffer[] = [];
    let base = 0;
    files.forEach((f, i) => {
      const s = Math.max(start, base), e = Math.min(end, base + sizes[i]);
      if (e > s) {
        let fd: number | null = null;
        try {
          fd = openSync(f, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
          const len = Math.min(e - s, fstatSync(fd).size - (s - base));
          if (len > 0) { const b = Buffer.alloc(len); const n = readSync(fd, b, 0, len, s - base); parts.push(b.subarray(0, n)); }
        } catch { /* rotated under us */ } finally { if (fd !== null) closeSync(fd); }
      }
      base += sizes[i];
    });
    return Buffer.concat(parts);
  };
  if (opts.tailLines !== undefined) {
    const want = Math.max(0, opts.tailLines);
    if (want === 0) return { data: Buffer.alloc(0), size: total };
    let start = total;
    let buf = Buffer.alloc(0);
    while (start > 0) {
      const s = Math.max(0, start - 65536);
      buf = Buffer.concat([range(s, start), buf]);
      start = s;
      let nl = 0;
      // A trailing newline ends the last line; it does not start another.
      for (let i = buf.length - 2; i >= 0; i--) if (buf[i] === 10 && ++nl >= want) { return { data: buf.subarray(i + 1), size: total }; }
    }
    return { data: buf, size: total };
  }
  const from = Math.min(Math.max(0, opts.fromByte ?? 0), total);
  return { data: range(from, total), size: total };
}
