// On-disk job store: one directory per job under HOME/jobs, one small job.json each.
// Every write is atomic (tmp + rename) and private (dirs 0700, files 0600); mkdir of the job
// directory is the atomic id reservation, so concurrent `linger run`s never collide.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newId } from './ids';
import type { JobRecord } from './types';
import { JOB_STATE_KINDS } from './state';
import { UserError } from './types';
import { stateDirProblem, writeAtomic } from './fsafe';

export { writeAtomic };

/** Engine-private bookkeeping kept in job.json beside the public record. */
export interface JobInternal {
  /** Process whose life bounds the job (tmux/screen: the wrapper; setsid: the outer wrapper). */
  leaderPid: number | null;
  leaderStart: number | null;
  /** Backend binary and socket used to start it. Informational: kill and attach look the backend
   * up on PATH again and never run a program named here (a record is data). */
  backendBin: string | null;
  socket: string | null;
  /** Which backend the user asked for ('auto' too), for restart. */
  requested: string;
  killRequested?: boolean;
  /** Queued jobs: submission order (ms × 1000 + a per-process counter), for the advance step. */
  queueSeq?: number;
  /** slurm: since when (ms) the job is missing from the queue with no word on its end. */
  slurmGoneSince?: number | null;
}

export interface StoredJob { record: JobRecord; internal: JobInternal }

/**
 * Format of job.json. 1: the records before versioning (no `v`), 2: `v` first, otherwise the same
 * fields. A record of a newer format is reported unreadable rather than misread; an older one is
 * migrated on read (test/fixtures/jobs keeps records of every format loading).
 */
export const RECORD_VERSION = 2;

export interface Unreadable { id: string; dir: string; problem: string }

/** mkdir -p without Node's recursive mode (which spins forever on some /proc paths). */
export function mkdirp(d: string): void {
  try { mkdirSync(d, { mode: 0o700 }); return; } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw e;
  }
  const parent = dirname(d);
  if (parent === d) throw Object.assign(new Error(`cannot create ${d}`), { code: 'ENOENT' });
  mkdirp(parent);
  mkdirSync(d, { mode: 0o700 });
}

export class Store {
  readonly jobsDir: string;
  constructor(readonly home: string) { this.jobsDir = join(home, 'jobs'); }

  /** Creates HOME and HOME/jobs 0700 (and tightens them if they exist looser). */
  ensure(): void {
    for (const d of [this.home, this.jobsDir]) {
      try {
        mkdirp(d);
        const problem = stateDirProblem(d);
        if (problem) throw new UserError(problem, 'stateDir');
      } catch (e) {
        if (e instanceof UserError) throw e;
        const err = e as NodeJS.ErrnoException;
        throw new UserError(`cannot use state directory ${d}: ${err.code ?? err.message}`, 'stateDir');
      }
    }
  }

  /**
   * Every verb that reads or drives jobs checks first that the state dir is the caller's: a record
   * is data its owner wrote, and root (sudo -E, or HOME pointing at a user's home) must not act on
   * another user's records. Never creates anything.
   */
  check(): void {
    for (const d of [this.home, this.jobsDir]) {
      const problem = stateDirProblem(d);
      if (problem) throw new UserError(problem, 'stateDir');
    }
  }

  dir(id: string): string { return join(this.jobsDir, id); }

  /** Reserves a fresh id by creating its directory (EEXIST means someone else took it). */
  reserve(): { id: string; dir: string } {
    for (let i = 0; i < 50; i++) {
      const id = newId();
      const dir = this.dir(id);
      try { mkdirSync(dir, { mode: 0o700 }); return { id, dir }; } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        throw new UserError(`cannot create job directory in ${this.jobsDir}: ${code}`, 'stateDir');
      }
    }
    throw new UserError('could not reserve a job id');
  }

  write(job: StoredJob): void {
    writeAtomic(join(this.dir(job.record.id), 'job.json'), JSON.stringify({ v: RECORD_VERSION, ...job.record, internal: job.internal }) + '\n');
  }

  read(id: string): StoredJob {
    return parseRecord(readFileSync(join(this.dir(id), 'job.json'), 'utf8'), id);
  }

  /** Job ids on disk; none when the state dir does not exist yet; a user error when unreadable. */
  ids(): string[] {
    try { return readdirSync(this.jobsDir).filter((n) => /^[0-9a-z]{10}$/.test(n)); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return [];
      throw new UserError(`cannot read state directory ${this.jobsDir}: ${code === 'EACCES' ? 'permission denied (EACCES)' : code}`, 'stateDir');
    }
  }

  /**
   * Every readable job; unreadable ones (corrupt/missing job.json) are reported, never thrown.
   * Finished records never change, so they are cached in HOME/index.json keyed by the job.json
   * identity (inode, size, mtime): a listing then costs a readdir and one stat per job, and only
   * running or changed records are read and parsed. The cache is advisory: any mismatch, a
   * missing or corrupt index, or a failed write just means reading job.json.
   */
  readAll(): { jobs: StoredJob[]; bad: Unreadable[] } {
    const jobs: StoredJob[] = [];
    const bad: Unreadable[] = [];
    const indexPath = join(this.home, 'index.json');
    let index: Record<string, IndexEntry> = {};
    try {
      const parsed = JSON.parse(readFileSync(indexPath, 'utf8')) as { v?: number; entries?: Record<string, IndexEntry> };
      if (parsed && parsed.v === 1 && parsed.entries && typeof parsed.entries === 'object') index = parsed.entries;
    } catch { /* no index yet */ }
    const next: Record<string, IndexEntry> = {};
    let dirty = false;
    const base = `${this.jobsDir}/`; // plain concatenation: path.join is measurable at 1,000 jobs
    for (const id of this.ids()) {
      const st = statSync(`${base}${id}/job.json`, { throwIfNoEntry: false });
      if (!st) {
        // A directory without job.json that is young is a job being created right now: skip quietly.
        // An old one is a reservation whose `run` died before writing the record; job.json is
        // written before the backend starts, so nothing ever ran there: remove it.
        try { if (Date.now() - statSync(this.dir(id)).mtimeMs < 10_000) continue; } catch { continue; }
        try { rmSync(this.dir(id), { recursive: true, force: true }); } catch { bad.push({ id, dir: this.dir(id), problem: 'ENOENT' }); }
        continue;
      }
      const cached = index[id];
      if (cached && cached.i === st.ino && cached.s === st.size && cached.m === st.mtimeMs) {
        jobs.push(cached.job); next[id] = cached; continue;
      }
      try {
        const job = this.read(id);
        jobs.push(job);
        // Live Slurm records too: there may be hundreds queued, and they change only when the
        // controller's answer does (then job.json is rewritten: a new inode, so a new entry).
        // Jobs in our own queue likewise change only when the advance step rewrites them.
        if (job.record.state !== 'running' || job.record.backend === 'slurm') { next[id] = { i: st.ino, s: st.size, m: st.mtimeMs, job }; dirty = true; }
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        bad.push({ id, dir: this.dir(id), problem: err.code ?? err.message });
      }
    }
    if (!dirty && Object.keys(index).some((id) => !(id in next))) dirty = true;
    if (dirty) { try { writeAtomic(indexPath, JSON.stringify({ v: 1, entries: next })); } catch { /* read-only: fine */ } }
    // The index is parsed afresh on every call, so callers may mutate what they get.
    return { jobs, bad };
  }
}

interface IndexEntry { i: number; s: number; m: number; job: StoredJob }

/** A job.json's text → the job, migrated to the current format; throws when it is not a record of job `id`. */
export function parseRecord(raw: string, id: string): StoredJob {
  const obj = JSON.parse(raw) as JobRecord & { v?: unknown; internal?: JobInternal };
  if (!obj || typeof obj !== 'object' || obj.id !== id || !Array.isArray(obj.argv) || !(JOB_STATE_KINDS as readonly unknown[]).includes(obj.state)) {
    throw new Error('not a job record');
  }
  const version = obj.v === undefined ? 1 : obj.v;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new Error('not a job record (bad format version)');
  if (version > RECORD_VERSION) throw new Error(`job record format ${version} is newer than this linger understands (${RECORD_VERSION})`);
  // 1 → 2 added only `v`.
  const { internal, v: _v, ...record } = obj;
  return { record: record as JobRecord, internal: internal ?? { leaderPid: null, leaderStart: null, backendBin: null, socket: null, requested: record.backend } };
}
