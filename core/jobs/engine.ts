// Public surface of the job engine. The CLI and the agent use only this class.
// Jobs are directories under HOME/jobs; a job's processes are plain sh + the backend, so jobs
// keep running (and keep their log capped) with no Linger process alive. State is derived
// (derive.ts) from the record, the files the wrapper writes (wrapper.ts) and the process table,
// on every read.
import { existsSync, watch, type FSWatcher, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
  AttachCommand, BackendName, DoctorReport, ForeignSession, GroupInfo, JobRecord, KillOptions, LocalBackendName, QueueInfo, RunOptions,
} from './types';
import { BACKEND_CHOICES, UserError, isBackendChoice, isLive } from './types';
import { SlurmPoller, type PollerOptions } from './slurm/poll';
import { settleSlurm } from './slurm/settle';
import { expandArraySpec } from './slurm/state';
import { attachCommand as slurmAttach, checkJobId, scancel, submitJob, validateSlurmOptions } from './slurm/job';
import { killGraceMs } from '../settings';
import { resolveRef } from './ids';
import { Store, type StoredJob, type Unreadable } from './store';
import { cliPath, defaultHome, installWrapper } from './paths';
import { BACKEND_ORDER, attachArgv, backendBin, endSession, plannedSession, startBackend, tmuxSocket } from './backends';
import { liveProcesses, procStat } from './proc';
import { listForeignChecked } from './foreign';
import { fullDiskNote } from './fsafe';
import { doctor } from './doctor';
import { deriveState, START_TIMEOUT_MS, startSettled, type Derived } from './derive';
import { isFinished, isQueuedHere, isRunning, normalizeSignal, setState } from './state';
import { environText, hasExit, readWrapperFiles, recordSignalExit, reserveExit, writeEnviron, writeSpec } from './wrapper';
import { signalJob } from './kill';
import { logFilesOf, logIsTerminal, logSettled, readJobLog, type LogChunk, type LogRead } from './logs';
import { cwdBytes, display, rawBytesOf, resolveBytes, runValuesOf, toBytes } from './bytes';
import { signalResettingEnv, type EnvProbeMemo } from './exitStatus';
import { GROUP_NAME, decideAdvance, type GroupSettings, type Known } from './queue';
import { addPending, hasPending, pendingIds, readGroups, removePending, withQueueLock, writeGroups, writeHook } from './queueFiles';
import type { CompiledPattern } from './progress';
import { progressOfDir, ProgressTracker } from './progressReader';

export { normalizeSignal } from './state';
export { readLogFiles, type LogChunk } from './logs';

export interface EngineOptions {
  /** State directory; default: $LINGER_HOME, else $XDG_STATE_HOME/linger, else ~/.local/state/linger. */
  home?: string;
  /** Per-job log cap in bytes (default 100 MB, or $LINGER_LOG_CAP); older output is dropped, the tail is kept. */
  logCapBytes?: number;
  /** Slurm: how long one squeue answer is reused (it grows while nothing changes). */
  slurmPoll?: PollerOptions;
}

const DEFAULT_CAP = 100 * 1024 * 1024;

export function parseSize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(s);
  if (!m) return null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Math.floor(parseFloat(m[1]) * mult);
  return n > 0 ? n : null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Submission order of queued jobs within this process (ids alone share a millisecond). */
let queueCounter = 0;
function nextQueueSeq(): number { queueCounter = (queueCounter + 1) % 1000; return Date.now() * 1000 + queueCounter; }

/**
 * The environment a queued job's backend is started with: the advance step may run in another
 * job's wrapper (env -i) or in any later CLI, so the job's own environment comes entirely from
 * its `environ` file (the submitter's, written at submission) and nothing of the starter's leaks.
 */
function launchEnv(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TMPDIR']) if (process.env[k] !== undefined) e[k] = process.env[k];
  return e;
}

export class Engine {
  readonly home: string;
  readonly logCapBytes: number;
  private readonly store: Store;
  private wrapperPath: string | null = null;
  /** Whether this host's `env` resets signals at exec, looked up once per `env` binary (exitStatus.ts). */
  private readonly envProbe: EnvProbeMemo = {};

  constructor(opts: EngineOptions = {}) {
    this.home = resolve(opts.home ?? defaultHome());
    const envCap = process.env.LINGER_LOG_CAP ? parseSize(process.env.LINGER_LOG_CAP) : null;
    this.logCapBytes = Math.max(2, Math.floor(opts.logCapBytes ?? envCap ?? DEFAULT_CAP));
    this.store = new Store(this.home);
    this.poller = new SlurmPoller(opts.slurmPoll);
  }

  private readonly poller: SlurmPoller;
  private lastSlurmError: string | null = null;
  /** Why the Slurm controller could not be asked on the last read (records show it stale), or null. */
  slurmProblem(): string | null { return this.lastSlurmError; }

  /** Backends installed here, in `auto` preference order. */
  availableBackends(): LocalBackendName[] { return BACKEND_ORDER.filter((b) => backendBin(b) !== null); }

  /**
   * What stays the same across the jobs of one batch (run with deferAdvance): the backends on
   * PATH, the environ text, the hook. Looked up once per batch instead of once per job.
   */
  private batchMemo: { avail?: LocalBackendName[]; environ?: Map<boolean, Buffer | null>; hook?: boolean } = {};

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
    const queue = this.queueRequest(opts, requested === 'slurm');
    if (requested === 'slurm') return this.runSlurm(opts, { argvB, envB, cwdB, argv, env, cwd }, queue);
    let backend: LocalBackendName;
    if (requested === 'auto') {
      const avail = opts.deferAdvance ? (this.batchMemo.avail ??= this.availableBackends()) : this.availableBackends();
      if (!avail.length) throw new UserError('no backend available (need tmux, screen or sh)', 'noBackend');
      backend = avail[0];
    } else if (isBackendChoice(requested)) {
      backend = requested as LocalBackendName;
      if (!(opts.deferAdvance && this.batchMemo.avail?.includes(backend)) && !backendBin(backend)) throw new UserError(`backend ${backend} is not installed`, 'noBackend');
    } else throw new UserError(`unknown backend: ${String(requested)} (use ${BACKEND_CHOICES.join(', ')})`);

    this.store.ensure();
    // A shared socket dir that is not ours is refused before anything is reserved.
    if (backend === 'tmux') tmuxSocket(this.home);
    const wrapper = this.wrapper();
    const { id, dir } = this.store.reserve();
    try {
      writeSpec(dir, { argv: argvB, env: envB, cwd: cwdB, umask: process.umask(), logCapBytes: this.logCapBytes, signalResettingEnv: signalResettingEnv(this.envProbe) });
      // A queued job is started later by whoever advances the queue: it takes the submitter's
      // whole environment from this file, whatever the backend.
      const onlyAltered = backend !== 'tmux' && !queue;
      const memo = opts.deferAdvance ? (this.batchMemo.environ ??= new Map()) : null;
      if (memo && !memo.has(onlyAltered)) memo.set(onlyAltered, environText(process.env, onlyAltered));
      writeEnviron(dir, process.env, onlyAltered, memo ? memo.get(onlyAltered)! : environText(process.env, onlyAltered));
      // Room for the exit record, taken before the job can fill the disk with its log.
      reserveExit(dir);
    } catch (e) {
      // Nothing ran: the reservation goes, with whatever part of the spec was written.
      rmSync(dir, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOSPC' ? `cannot start the job: no space left on the device holding ${this.store.jobsDir}` : `cannot write the job's spec in ${dir}: ${code ?? (e as Error).message}`, 'stateDir');
    }

    const record: JobRecord = {
      id, name: opts.name ?? null, argv, shell: !!opts.shell, cwd, env, backend,
      state: 'running', exitCode: null, signal: null, pid: null, pgid: null,
      startedAt: queue?.submittedAt ?? new Date().toISOString(), endedAt: null, logPath: join(dir, 'log'), session: '', restartOf: opts.restartOf ?? null,
    };
    const rawBytes = rawBytesOf(argvB, cwdB, envB);
    if (rawBytes) record.rawBytes = rawBytes;
    let job: StoredJob = { record, internal: { leaderPid: null, leaderStart: null, backendBin: null, socket: null, requested } };
    if (queue) {
      // Queued: the record and a pending marker, no backend session yet; the advance step (under
      // the queue lock) starts it when its dependencies and its group allow.
      setState(record, { kind: 'queued', start: record.startedAt });
      record.queue = queue;
      job.internal.queueSeq = nextQueueSeq();
      try {
        this.store.write(job);
        addPending(this.home, id);
        if (!(opts.deferAdvance && this.batchMemo.hook)) { writeHook(this.home, process.execPath, cliPath()); this.batchMemo.hook = true; }
      } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        removePending(this.home, id);
        const code = (e as NodeJS.ErrnoException).code;
        throw new UserError(`cannot queue the job in ${dir}: ${code ?? (e as Error).message}`, 'stateDir');
      }
      if (opts.deferAdvance) return record;
      await this.advance();
      // Queued, cancelled, or started by that advance (then its pid may still be null: waitForPid
      // is not waited for here, later reads fill it in).
      return this.refresh(this.store.read(id)).record;
    }
    job = this.startSession(job, dir, backend, wrapper, process.env);
    if (opts.waitForPid === false) {
      if (job.internal.leaderPid && backend === 'tmux') record.pgid = job.internal.leaderPid;
    } else {
      // Until the job's own process exists (the wrapper writes cpid just before exec).
      // A job that already ended is left to refresh below, which records it (and rereads the
      // wrapper's files before calling it lost).
      const d = await this.waitStarted(job, dir, Date.now() + START_TIMEOUT_MS);
      if (isRunning(d.job.record)) job = d.job;
    }
    if (job.internal.leaderPid && job.internal.leaderStart === null) {
      // The leader may already have exited (very short job); refresh settles it.
      job.internal.leaderStart = procStat(job.internal.leaderPid)?.start ?? null;
    }
    // refresh writes job.json only if the job has already ended.
    return this.refresh(job).record;
  }

  /**
   * The request's group and dependencies, checked: a group name a file can carry, every
   * dependency an existing job (an unknown one is refused here, before anything is written), on
   * the same side of the Slurm line as the job. null: neither was asked for (started at once).
   */
  private queueRequest(opts: RunOptions, slurm: boolean): QueueInfo | null {
    const group = opts.group ?? null;
    const refs = opts.after ?? [];
    if (group === null && refs.length === 0) return null;
    if (group !== null) {
      if (typeof group !== 'string' || !GROUP_NAME.test(group)) throw new UserError(`invalid group name ${JSON.stringify(String(group)).slice(0, 80)} (letters, digits, . _ -; at most 64)`);
      if (slurm) throw new UserError('--group is not for --backend slurm: Slurm is the scheduler there. Limit how many run at once with a job array (--array 0-19%2) or a QOS with MaxJobs (sacctmgr)');
    }
    const after: string[] = [];
    for (const ref of refs) {
      let dep: StoredJob;
      try { dep = this.find(ref); } catch (e) {
        if (e instanceof UserError && e.kind === 'noSuchJob') throw new UserError(`--after: no such job: ${ref}`, 'noSuchJob');
        throw e;
      }
      const r = dep.record;
      if (slurm && r.backend !== 'slurm') throw new UserError(`--after ${ref}: job ${r.id} runs on this host (${r.backend}); a Slurm job can only wait for Slurm jobs (submit both with --backend slurm)`);
      if (!slurm && r.backend === 'slurm') throw new UserError(`--after ${ref}: job ${r.id} is a Slurm job; a job on this host cannot wait for it (submit both with --backend slurm)`);
      if (!after.includes(r.id)) after.push(r.id);
    }
    return { group, after, afterAny: opts.afterAny === true, reason: null, submittedAt: new Date().toISOString() };
  }

  /**
   * The advance step: under the queue lock, starts the queued jobs that may start, cancels those
   * whose dependencies failed, and records why the others wait. Run by every job's wrapper after
   * it recorded the job's end, and by the CLI and the agent after anything that changes the
   * queue. Costs one readdir when nothing is queued.
   */
  async advance(): Promise<void> {
    this.batchMemo = {};
    if (!hasPending(this.home)) return;
    // Another user's state dir (sudo -E) is never advanced: its records are data, not orders.
    this.store.check();
    await withQueueLock(this.home, () => this.advanceLocked());
  }

  /** The advance step's work; the caller holds the queue lock (see core/jobs/README.md, Queue). */
  private advanceLocked(): void {
    const { jobs } = this.store.readAll();
    const local = jobs.filter((j) => j.record.backend !== 'slurm').map((j) => this.refresh(j));
    const known = new Map<string, Known>(local.map((j) => [j.record.id, { state: j.record.state, exitCode: j.record.exitCode, signal: j.record.signal, group: j.record.queue?.group ?? null, name: j.record.name }]));
    const waiting = local.filter((j) => j.record.state === 'queued' && j.record.queue)
      .sort((a, b) => (a.internal.queueSeq ?? 0) - (b.internal.queueSeq ?? 0) || (a.record.id < b.record.id ? -1 : 1));
    const byId = new Map(waiting.map((j) => [j.record.id, j]));
    // Markers of jobs no longer queued (removed, or started by an advance that died before it
    // took the marker away) go: the record is the truth, the marker only a hint for wrappers.
    for (const id of pendingIds(this.home)) if (!byId.has(id)) removePending(this.home, id);
    const decisions = decideAdvance(waiting.map((j) => ({ id: j.record.id, group: j.record.queue!.group, after: j.record.queue!.after, afterAny: j.record.queue!.afterAny })), known, readGroups(this.home));
    for (const d of decisions) {
      const job = byId.get(d.id)!;
      const r = job.record;
      if (d.action === 'wait') {
        if (r.queue!.reason !== d.reason) { r.queue!.reason = d.reason; this.store.write(job); }
      } else if (d.action === 'cancel') {
        r.queue!.reason = null;
        setState(r, { kind: 'cancelled', start: r.startedAt, end: new Date().toISOString(), reason: d.reason });
        this.store.write(job);
        removePending(this.home, r.id);
      } else this.launchQueued(job);
    }
  }

  /** queued → running, under the queue lock: the record says running before the backend has it. */
  private launchQueued(job: StoredJob): void {
    const r = job.record;
    const dir = this.store.dir(r.id);
    const now = new Date().toISOString();
    r.queue!.reason = null;
    setState(r, { kind: 'running', start: now, pid: null });
    r.pgid = null;
    const backend = r.backend as LocalBackendName;
    if (!backendBin(backend)) {
      setState(r, { kind: 'lost', start: now, end: now, reason: `backend ${backend} is not installed any more; it never started` });
      this.store.write(job);
      removePending(this.home, r.id);
      return;
    }
    try {
      this.startSession(job, dir, backend, this.wrapper(), launchEnv());
    } catch { /* recorded lost by startSession */ }
    removePending(this.home, r.id);
  }

  /** Every group with a setting or a job, with its counts. */
  async groups(): Promise<GroupInfo[]> {
    await this.advance();
    const settings = readGroups(this.home);
    const { jobs } = this.listDetailed();
    const names = new Set([...Object.keys(settings), ...jobs.map((j) => j.queue?.group).filter((g): g is string => !!g)]);
    return [...names].sort().map((name) => this.groupInfo(name, settings[name], jobs));
  }

  private groupInfo(name: string, g: GroupSettings | undefined, jobs: JobRecord[]): GroupInfo {
    const mine = jobs.filter((j) => j.queue?.group === name && j.backend !== 'slurm');
    return { name, parallel: g?.parallel ?? null, paused: g?.paused ?? false, running: mine.filter((j) => j.state === 'running').length, queued: mine.filter((j) => j.state === 'queued').length };
  }

  /** Changes a group's setting under the queue lock, then advances (a raised limit starts jobs at once). */
  async setGroup(name: string, change: Partial<GroupSettings>): Promise<GroupInfo> {
    if (typeof name !== 'string' || !GROUP_NAME.test(name)) throw new UserError(`invalid group name ${JSON.stringify(String(name)).slice(0, 80)} (letters, digits, . _ -; at most 64)`);
    if (change.parallel !== undefined && change.parallel !== null && !(Number.isInteger(change.parallel) && change.parallel >= 1)) throw new UserError(`--parallel wants a whole number of at least 1 (or 'unlimited'), got ${String(change.parallel)}`);
    this.store.ensure();
    await withQueueLock(this.home, () => {
      const all = readGroups(this.home);
      const g: GroupSettings = { ...(all[name] ?? { parallel: null, paused: false }), ...change };
      if (g.parallel === null && !g.paused) delete all[name]; else all[name] = g;
      writeGroups(this.home, all);
      if (hasPending(this.home)) this.advanceLocked();
    });
    return this.groupInfo(name, readGroups(this.home)[name], this.listDetailed().jobs);
  }

  /**
   * A queued job taken out of the queue before it started (kill: cancelled; rm: removed), under
   * the lock so no advance starts it meanwhile; its dependents are settled at once. false: it is
   * not queued any more (an advance started it first).
   */
  private async dequeue(id: string, how: { cancel: string } | 'remove'): Promise<boolean> {
    return withQueueLock(this.home, () => {
      const job = this.store.read(id);
      if (job.record.state !== 'queued') return false;
      if (how === 'remove') rmSync(this.store.dir(id), { recursive: true, force: true });
      else {
        job.record.queue!.reason = null;
        setState(job.record, { kind: 'cancelled', start: job.record.startedAt, end: new Date().toISOString(), reason: how.cancel });
        this.store.write(job);
      }
      removePending(this.home, id);
      if (hasPending(this.home)) this.advanceLocked();
      return true;
    });
  }

  /**
   * Writes the record (state running, session planned) and starts the backend session: a run, or
   * the advance step starting a queued job. job.json is written before the backend starts, so a
   * crash in between leaves a running record whose wrapper never reports: lost, never started
   * twice. A backend refusal records lost and throws.
   */
  private startSession(job: StoredJob, dir: string, backend: LocalBackendName, wrapper: string, env: NodeJS.ProcessEnv): StoredJob {
    const { record } = job;
    const id = record.id;
    const planned = plannedSession(backend, this.home, id);
    record.session = planned.session; job.internal.socket = planned.socket; job.internal.backendBin = planned.bin;
    // Written before the backend starts: a dir without job.json never ran anything (Store.readAll).
    try { this.store.write(job); } catch (e) {
      if (record.queue) throw e;
      rmSync(dir, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOSPC' ? `cannot start the job: no space left on the device holding ${this.store.jobsDir}` : `cannot write ${join(dir, 'job.json')}: ${code ?? (e as Error).message}`, 'stateDir');
    }
    let started;
    try {
      started = startBackend(backend, { home: this.home, id, dir, wrapper, env });
    } catch (e) {
      setState(record, { kind: 'lost', start: record.startedAt, end: new Date().toISOString(), reason: `the backend did not start it: ${e instanceof Error ? e.message : String(e)}` });
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
    // job.json is not written a second time (a file write is ~0.2-0.8 ms here): tmux/screen's
    // record already names the session, and what the start added any later read derives from
    // the wrapper's files exactly as here (wpid = the tmux pane pid, cpid; setsid: opid = the
    // spawned outer wrapper, whose pid is the session).
    const sameAsPlanned = planned.bin === started.bin && planned.socket === started.socket
      && (backend === 'setsid' ? started.session === String(started.leaderPid) : planned.session === started.session);
    if (!sameAsPlanned) this.store.write(job);
    return job;
  }

  /**
   * Until the wrapper has reported the job's pid (cpid and wpid) or its end, or deadline; the
   * state so far, derived as every read derives it. Woken by inotify on the job dir (fs.watch)
   * as soon as a file there changes, so the wait costs no polling latency; a slow poll stays as
   * the fallback for file systems without inotify.
   */
  private waitStarted(job: StoredJob, dir: string, deadline: number): Promise<Derived> {
    let last: Derived = { job, changed: false };
    const check = (): boolean => {
      last = this.derive(job, dir);
      return startSettled(last) || Date.now() > deadline;
    };
    return new Promise<Derived>((done) => {
      let watcher: FSWatcher | null = null;
      let timer: NodeJS.Timeout | null = null;
      let finished = false;
      const tick = (): void => {
        if (finished || !check()) return;
        finished = true;
        if (timer) clearTimeout(timer);
        watcher?.close();
        done(last);
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

  private derive(job: StoredJob, dir: string): Derived {
    const { record: r, internal } = job;
    // Only what deriveState would use: a pid the record lacks; opid only for a setsid job whose leader is unknown.
    const files = readWrapperFiles(dir, { cpid: r.pid !== null, wpid: r.pgid !== null, opid: r.backend !== 'setsid' || !!internal.leaderPid });
    return deriveState(job, files, liveProcesses, Date.now());
  }

  /**
   * sbatch of the wrapper. The record (state queued) is written before sbatch, as for the other
   * backends; a refusal removes the job dir, so nothing is left behind. Returns without asking
   * the queue: the first read does.
   */
  private async runSlurm(opts: RunOptions, v: { argvB: Buffer[]; envB: Array<[string, Buffer]>; cwdB: Buffer; argv: string[]; env: Record<string, string>; cwd: string }, queue: QueueInfo | null): Promise<JobRecord> {
    const options = { ...(opts.slurm ?? {}) };
    validateSlurmOptions(options);
    this.store.ensure();
    const wrapper = this.wrapper();
    const { id, dir } = this.store.reserve();
    const fail = (e: unknown, what: string): never => {
      // Nothing was submitted: the reservation goes, with whatever part was written.
      rmSync(dir, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(code === 'ENOSPC' ? `cannot submit the job: no space left on the device holding ${this.store.jobsDir}` : `cannot write ${what}: ${code ?? (e as Error).message}`, 'stateDir');
    };
    try {
      // The same spec as every backend (exact bytes); the node's `env` is assumed to be the
      // login node's (a shared system image), as for the wrapper itself.
      writeSpec(dir, { argv: v.argvB, env: v.envB, cwd: v.cwdB, umask: process.umask(), logCapBytes: this.logCapBytes, signalResettingEnv: signalResettingEnv(this.envProbe) });
      // sbatch hands the job an environment Node may have mangled (values that are not UTF-8).
      writeEnviron(dir, process.env, true);
      reserveExit(dir);
    } catch (e) { fail(e, `the job's spec in ${dir}`); }
    const record: JobRecord = {
      id, name: opts.name ?? null, argv: v.argv, shell: !!opts.shell, cwd: v.cwd, env: v.env, backend: 'slurm',
      state: 'queued', exitCode: null, signal: null, pid: null, pgid: null,
      startedAt: queue?.submittedAt ?? new Date().toISOString(), endedAt: null, logPath: join(dir, 'log'), session: '', restartOf: opts.restartOf ?? null,
      slurm: { jobId: '', state: null, reason: null, node: null, elapsed: null, limit: null, partition: options.partition ?? null, stale: false, options },
    };
    // The dependencies are in the first write: between it and the second, another linger (ls,
    // wait) may find the job by its Slurm name, settle it (DependencyNeverSatisfied when the
    // parent already failed) and write its copy over ours, so this copy must be whole.
    if (queue) record.queue = queue;
    const rawBytes = rawBytesOf(v.argvB, v.cwdB, v.envB);
    if (rawBytes) record.rawBytes = rawBytes;
    const job: StoredJob = { record, internal: { leaderPid: null, leaderStart: null, backendBin: null, socket: null, requested: 'slurm' } };
    try { this.store.write(job); } catch (e) { fail(e, join(dir, 'job.json')); }
    const jobId = submitJob(id, dir, v.cwd, wrapper, options, queue ? this.slurmDependency(queue) : null);
    record.slurm!.jobId = jobId;
    record.session = jobId;
    // Without this write a later read still finds the job by its Slurm name (settleSlurm).
    try { this.store.write(job); } catch { /* submitted: the record must not be removed now */ }
    this.poller.invalidate();
    return record;
  }

  /**
   * `--after` as Slurm's own dependency (afterok / afterany on the controller's job ids): Slurm
   * is the scheduler there. A dependency still being submitted has no Slurm id yet: refused.
   */
  private slurmDependency(q: QueueInfo): string | null {
    if (!q.after.length) return null;
    const ids = q.after.map((id) => {
      const jid = this.store.read(id).record.slurm?.jobId;
      if (!jid) throw new UserError(`--after ${id}: that Slurm job has no Slurm job id yet`);
      return checkJobId(jid);
    });
    return `--dependency=${q.afterAny ? 'afterany' : 'afterok'}:${ids.join(':')}`;
  }

  /** One poll for every live Slurm job among these (later per-job refreshes reuse it). */
  private slurmSnapshot(jobs: StoredJob[]): void {
    const ids = jobs.filter((j) => j.record.backend === 'slurm' && isLive(j.record.state)).map((j) => j.record.slurm?.jobId ?? '');
    if (ids.length) this.poller.get(ids);
  }

  private refreshSlurm(job: StoredJob): StoredJob {
    const r = job.record;
    if (!r.slurm) return job;
    const dir = this.store.dir(r.id);
    // The wrapper has recorded the end: ask the controller again rather than wait out the reuse
    // window (a running job only: a queued one has no exit record to look for).
    if (r.state === 'running' && existsSync(join(dir, 'exit'))) this.poller.invalidateIfOlder(1000);
    const snap = this.poller.get([r.slurm.jobId]);
    this.lastSlurmError = snap.error;
    const wasLive = isLive(r.state);
    if (settleSlurm(r, job.internal, dir, snap)) { try { this.store.write(job); } catch { /* read-only view still correct */ } }
    // Never runnable (DependencyNeverSatisfied) yet still pending in the controller, where it
    // would sit forever without kill_invalid_depend: ours (found by its name), so cancelled there.
    if (wasLive && r.state === 'cancelled' && r.slurm.state !== 'CANCELLED' && r.slurm.jobId) { try { scancel(r.slurm.jobId, null); this.poller.invalidate(); } catch { /* it stays pending; the record is final */ } }
    return job;
  }

  /**
   * scancel (TERM: a plain cancel, so Slurm records CANCELLED), then KILL to every step after the
   * grace. Slurm's own state settles the record; the controller not answering is a UserError and
   * leaves the record as it was.
   */
  private async killSlurm(job: StoredJob, sig: string, graceMs: number, opts: KillOptions): Promise<JobRecord> {
    const r = job.record;
    const jid = r.slurm?.jobId;
    if (!jid) throw new UserError(`job ${r.id} has no Slurm job id yet`);
    scancel(jid, sig === 'SIGTERM' ? null : sig);
    job.internal.killRequested = true;
    try { this.store.write(job); } catch { /* the cancel is sent; the record follows from Slurm */ }
    const deadline = Date.now() + graceMs;
    let escalated = sig === 'SIGKILL';
    let cancelled = sig === 'SIGTERM';
    for (const giveUp = deadline + 30_000; Date.now() < giveUp;) {
      this.poller.invalidate();
      job = this.refresh(this.store.read(r.id));
      if (!isLive(job.record.state)) return job.record;
      if (Date.now() >= deadline && !cancelled) { cancelled = true; try { scancel(jid, null); } catch { /* retried below */ } }
      else if (Date.now() >= deadline && !escalated) { escalated = true; try { scancel(jid, 'SIGKILL'); } catch { /* next round */ } }
      opts.onProgress?.(Math.max(0, deadline - Date.now()));
      await sleep(200);
    }
    return job.record;
  }

  /** A Slurm job array's task dir (task-N in the job dir), after checking the task is one of it. */
  private taskDir(r: JobRecord, task: string): string {
    const ids = r.slurm?.options.array !== undefined ? expandArraySpec(r.slurm.options.array) : null;
    if (!ids) throw new UserError('--task is for Slurm job arrays');
    if (!ids.includes(task)) throw new UserError(`job array ${r.id} has no task ${JSON.stringify(task)} (tasks: ${r.slurm!.options.array})`);
    return join(this.store.dir(r.id), `task-${task}`);
  }

  /** Where a job's (or an array task's) log lives; a job array needs its task named. */
  private logDir(r: JobRecord, task?: string): string {
    if (task !== undefined) return this.taskDir(r, task);
    if (r.slurm?.options.array !== undefined) throw new UserError(`job ${r.id} is a job array: name a task with --task N (tasks: ${r.slurm.options.array})`);
    return this.store.dir(r.id);
  }

  /** The job as it is now (derive.ts); job.json is rewritten when that changed anything. */
  private refresh(job: StoredJob): StoredJob {
    if (!isLive(job.record.state)) return job;
    if (job.record.backend === 'slurm') return this.refreshSlurm(job);
    // Waiting in our queue: no process, no wrapper files; only the advance step changes it.
    if (job.record.state === 'queued') return job;
    const dir = this.store.dir(job.record.id);
    let d = this.derive(job, dir);
    // The wrapper may have recorded the end between the read of its files and the look at the
    // process table that found it gone: read once more before calling the job lost.
    if (d.job.record.state === 'lost') d = this.derive(job, dir);
    if (d.changed) { try { this.store.write(d.job); } catch { /* read-only view still correct */ } }
    return d.job;
  }

  /** Every job record plus the job directories that could not be read (corrupt job.json). */
  listDetailed(): { jobs: JobRecord[]; unreadable: Unreadable[] } {
    // Reading also tightens a state dir found too open (never creates one); a state dir of
    // another user is refused outright, as is an unreadable one (ids() throws).
    if (existsSync(this.home)) this.store.ensure();
    const { jobs, bad } = this.store.readAll();
    this.slurmSnapshot(jobs);
    const out = jobs.map((j) => this.refresh(j).record);
    out.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return { jobs: out, unreadable: bad };
  }

  /** Every job record, states refreshed (finished → exited/killed, vanished → lost). Newest first. */
  async list(): Promise<JobRecord[]> {
    // A queue left waiting moves on; a queue problem (no flock) never hides the list.
    try { await this.advance(); } catch { /* the wrappers and the next verb try again */ }
    return this.listDetailed().jobs;
  }

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
      try { return this.refresh(this.store.read(ref)); } catch { throw new UserError(`job ${ref}: unreadable record (corrupt job.json)`, 'failed'); }
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
    while (isLive(j.record.state)) {
      if (opts.signal?.aborted) return j.record;
      if (opts.timeoutMs !== undefined && Date.now() - t0 >= opts.timeoutMs) return j.record;
      opts.onProgress?.(Date.now() - t0);
      await sleep(Math.min(100, 10 + (Date.now() - t0) / 10));
      try { j = this.refresh(this.store.read(id)); } catch { throw new UserError(`job ${id} was removed while waiting`, 'noSuchJob'); }
    }
    await logSettled(this.store.dir(id), 2000);
    return j.record;
  }

  /** SIGTERM (or opts.signal) to the whole process group, grace, then SIGKILL; ends the backend session. */
  async kill(ref: string, opts: KillOptions = {}): Promise<JobRecord> {
    const sig = normalizeSignal(opts.signal ?? 'SIGTERM');
    const graceMs = Math.max(0, opts.graceMs ?? killGraceMs());
    const job = this.find(ref);
    const r = job.record;
    if (!isLive(r.state)) return r;
    if (isQueuedHere(r)) {
      // Nothing runs yet: it is taken out of the queue (cancelled, its dependents too). An
      // advance that started it first leaves a running job, killed as any other below.
      if (await this.dequeue(r.id, { cancel: 'killed before it started' })) return this.store.read(r.id).record;
      return this.kill(r.id, opts);
    }
    if (r.backend === 'slurm') return this.killSlurm(job, sig, graceMs, opts);
    const dir = this.store.dir(r.id);
    const { lastSignal } = await signalJob(job, dir, () => this.derive(job, dir).job, {
      signal: sig, graceMs, onProgress: opts.onProgress,
      // Written once the processes are proven to be the job's, before the first signal.
      onProven: () => { job.internal.killRequested = true; try { this.store.write(job); } catch { /* a full disk must not stop a kill */ } },
    });
    // Let the pump drain the last output before the session's end HUPs what is left in it.
    await logSettled(dir, lastSignal === 'SIGKILL' ? 300 : 1000);
    endSession(r.backend, this.home, r.session);
    // The wrapper records the end itself; when it was SIGKILLed first, kill records it in its
    // place, in its format, once, before any read could call the job lost. The state then comes
    // from that record like any other.
    if (!hasExit(dir)) { try { recordSignalExit(dir, lastSignal); } catch { /* refresh below says lost rather than running */ } }
    const done = this.refresh(this.store.read(r.id)).record;
    // Its end may free a slot or settle dependents (the wrapper does too, unless it was SIGKILLed).
    await this.advance();
    return done;
  }

  /** Removes finished jobs' records and logs; a running job is a UserError (kill it first). */
  async remove(refs: string[]): Promise<string[]> {
    const jobs = refs.map((ref) => this.find(ref));
    // A job still in Linger's queue never ran: it may go as it is (under the queue lock).
    for (const j of jobs) if (isLive(j.record.state) && !isQueuedHere(j.record)) throw new UserError(`job ${j.record.id} is still ${j.record.state} (kill it first)`, 'stillRunning');
    const ids = [...new Set(jobs.map((j) => j.record.id))];
    let queued = false;
    for (const j of jobs) {
      if (!isQueuedHere(j.record)) continue;
      queued = true;
      if (!(await this.dequeue(j.record.id, 'remove'))) throw new UserError(`job ${j.record.id} started meanwhile (kill it first)`, 'stillRunning');
    }
    for (const id of ids) rmSync(this.store.dir(id), { recursive: true, force: true });
    // Dependents of a removed job learn it now.
    if (!queued) await this.advance();
    return ids;
  }

  async removeFinished(): Promise<string[]> {
    const ids = this.listDetailed().jobs.filter(isFinished).map((j) => j.id);
    for (const id of ids) rmSync(this.store.dir(id), { recursive: true, force: true });
    return ids;
  }

  /** Same argv/cwd/env/backend choice, new id; the old record stays. */
  async restart(ref: string): Promise<JobRecord> {
    const j = this.find(ref);
    const r = j.record;
    const requested = j.internal.requested;
    // The same group; of its dependencies only those that have not ended yet: a restart means
    // "run it again now", and one that ended already gave its verdict on the old job.
    const q = r.queue ? { group: r.queue.group, after: r.queue.after.filter((id) => { try { return isLive(this.find(id).record.state); } catch { return false; } }), afterAny: r.queue.afterAny } : {};
    if (r.backend === 'slurm') return this.run({ ...runValuesOf(r), shell: r.shell, name: r.name, backend: 'slurm', restartOf: r.id, slurm: r.slurm?.options, ...q });
    const backend = isBackendChoice(requested) ? requested : r.backend;
    return this.run({ ...runValuesOf(r), shell: r.shell, name: r.name, backend, restartOf: r.id, ...q });
  }

  /** What a terminal runs to attach (tmux/screen attach on our socket; the CLI's pty attach for setsid). */
  async attachCommand(ref: string, task?: string): Promise<AttachCommand> {
    const j = this.find(ref);
    const r = j.record;
    if (r.slurm?.options.array !== undefined && isLive(r.state)) {
      // A task of the array: the one named, else the first that runs.
      const t = task ?? r.slurm.tasks?.find((x) => x.state === 'running')?.task;
      if (t === undefined) throw new UserError(`no task of job array ${r.id} is running yet; follow one with: linger logs -f ${r.id} --task N`, 'notRunning');
      const info = r.slurm.tasks?.find((x) => x.task === t);
      if (!info || info.state !== 'running') throw new UserError(`task ${t} of job ${r.id} is not running (${info?.state ?? 'no such task'})`, 'notRunning');
      if (!info.jobId) throw new UserError(`task ${t} of job ${r.id} has no Slurm job id yet; try again in a moment`, 'notRunning');
      return slurmAttach({ ...r, state: 'running', slurm: { ...r.slurm, jobId: info.jobId } }, this.taskDir(r, t), `linger-${r.id}-${t}`);
    }
    if (task !== undefined) throw new UserError('--task is for Slurm job arrays');
    if (r.backend === 'slurm' && isLive(r.state)) return slurmAttach(r, this.store.dir(r.id));
    if (!isRunning(r)) throw new UserError(`job ${r.id} is not running (${r.state}); see its output with: linger logs ${r.id}`, 'notRunning');
    // The backend program is looked up on PATH as run does, never taken from the record.
    const a = attachArgv(r.backend as LocalBackendName, this.home, r.session);
    if (a) return a;
    const cli = cliPath();
    if (!cli) throw new UserError('cannot find the linger CLI to attach to a setsid job', 'failed');
    return { argv: [process.execPath, cli, 'attach', r.id], env: { LINGER_HOME: this.home }, detachHint: 'Detach: Ctrl-] (job keeps running)' };
  }

  foreignAttachCommand(s: ForeignSession): AttachCommand {
    if (s.backend === 'tmux') return { argv: ['tmux', '-S', s.socket, 'attach-session', '-t', `=${s.session}`], detachHint: 'Detach: Ctrl-b d' };
    return { argv: ['screen', '-r', s.session], detachHint: 'Detach: Ctrl-a d' };
  }

  /** Paths of the job's log files, oldest first (log.1 holds the older half after rotation). */
  logFiles(ref: string, task?: string): Promise<string[]> {
    return Promise.resolve(logFilesOf(this.logDir(this.find(ref).record, task)));
  }

  /** Job directory (for attach: the `in` FIFO of setsid jobs). */
  async jobDir(ref: string): Promise<string> {
    const j = this.find(ref);
    const dir = this.store.dir(j.record.id);
    // A setsid job's wrapper makes its `in` FIFO once it runs: a caller that attaches right after
    // run (waitForPid: false) waits for it here.
    const fifo = join(dir, 'in');
    for (const t = Date.now() + START_TIMEOUT_MS; j.record.backend === 'setsid' && isRunning(j.record) && !existsSync(fifo) && Date.now() < t;) {
      if (j.internal.leaderPid && !liveProcesses.isAlive(j.internal.leaderPid, j.internal.leaderStart)) break;
      await sleep(5);
    }
    return dir;
  }

  /** Bytes of log.1 + log, the program's or (raw) the terminal stream's: logs.ts readJobLog. */
  async readLog(ref: string, opts: LogRead & { task?: string } = {}): Promise<LogChunk> {
    const j = this.find(ref);
    return readJobLog(this.logDir(j.record, opts.task), j.record, opts);
  }

  /** False when the job's output did not go through a terminal (no `script`): the log is the program's bytes as is. */
  logIsTerminal(ref: string, task?: string): boolean { return logIsTerminal(this.logDir(this.find(ref).record, task)); }

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

  /**
   * How far a running job has got, from its log's tail (progress.ts); null when the log shows
   * none or the job is not running. One look: `linger ls` calls it once per job.
   */
  progressOf(r: JobRecord, patterns: readonly CompiledPattern[] = []): JobRecord['progress'] | null {
    if (r.state !== 'running' || r.slurm?.options.array !== undefined) return null;
    return progressOfDir(this.store.dir(r.id), patterns);
  }

  /** Progress of running jobs at the cost of their logs' growth only (the agent's, while the view is visible). */
  progressTracker(patterns: readonly CompiledPattern[] = []): ProgressTracker {
    return new ProgressTracker((id) => this.store.dir(id), patterns);
  }

  /** Directory whose changes mean "some job changed" (for file watching). */
  jobsDir(): string { return this.store.jobsDir; }

  async doctor(): Promise<DoctorReport> {
    return doctor(this.home);
  }
}

