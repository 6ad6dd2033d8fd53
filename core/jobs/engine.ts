// Public surface of the job engine. The CLI and the agent use only this class.
// (Skeleton: method bodies are filled in by the engine work; signatures are the contract.)
import type {
  AttachCommand, DoctorReport, ForeignSession, JobRecord, KillOptions, RunOptions,
} from './types';

export interface EngineOptions {
  /** State directory; default: $LINGER_HOME, else $XDG_STATE_HOME/linger, else ~/.local/state/linger. */
  home?: string;
  /** Per-job log cap in bytes (default 100 MB); older output is dropped, the tail is kept. */
  logCapBytes?: number;
}

export interface LogChunk { text: string; /** Log size in bytes after this read (offset for the next read). */ size: number }

export class Engine {
  readonly home: string;
  constructor(opts: EngineOptions = {}) { this.home = opts.home ?? ''; throw new Error('not implemented'); }
  /** Start a job detached; resolves once it is running (pid known). */
  run(_opts: RunOptions): Promise<JobRecord> { throw new Error('not implemented'); }
  /** Every job record, states refreshed (finished → exited/killed, vanished → lost). Newest first. */
  list(): Promise<JobRecord[]> { throw new Error('not implemented'); }
  /** The user's own tmux/screen sessions (not ours). */
  foreign(): Promise<ForeignSession[]> { throw new Error('not implemented'); }
  /** By id, unique id prefix, or name. UserError when unknown or ambiguous. */
  get(_ref: string): Promise<JobRecord> { throw new Error('not implemented'); }
  /** Resolves when the job is no longer running, or with the running record at timeout. */
  wait(_ref: string, _opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<JobRecord> { throw new Error('not implemented'); }
  /** SIGTERM (or opts.signal) to the whole process group, grace, then SIGKILL; ends the backend session. */
  kill(_ref: string, _opts?: KillOptions): Promise<JobRecord> { throw new Error('not implemented'); }
  /** Removes finished jobs' records and logs; a running job is a UserError (kill it first). */
  remove(_refs: string[]): Promise<string[]> { throw new Error('not implemented'); }
  removeFinished(): Promise<string[]> { throw new Error('not implemented'); }
  /** Same argv/cwd/env/backend choice, new id; the old record stays. */
  restart(_ref: string): Promise<JobRecord> { throw new Error('not implemented'); }
  /** What a terminal runs to attach (tmux/screen attach on our socket; the CLI's pty attach for setsid). */
  attachCommand(_ref: string): Promise<AttachCommand> { throw new Error('not implemented'); }
  foreignAttachCommand(_s: ForeignSession): AttachCommand { throw new Error('not implemented'); }
  readLog(_ref: string, _opts?: { tailLines?: number; fromByte?: number }): Promise<LogChunk> { throw new Error('not implemented'); }
  /** Directory whose changes mean "some job changed" (for file watching). */
  jobsDir(): string { throw new Error('not implemented'); }
  doctor(): Promise<DoctorReport> { throw new Error('not implemented'); }
}
