// The job model shared by the engine, the CLI, the agent and (through the protocol) the extension.
// A JobRecord is plain JSON: it is what `linger ls --json` prints and what the agent sends.
// Runtime handles (child processes, watchers) never enter it. The state fields (state, exitCode,
// signal, endedAt, lostReason) are the flat form of the tagged JobState in state.ts: read and
// write them through jobState()/setState() and the predicates there.

/** The one list of backends, in `auto`'s order of preference. */
export const BACKEND_NAMES = ['tmux', 'screen', 'setsid'] as const;
/** Backends on this machine (`auto` picks among these). */
export type LocalBackendName = typeof BACKEND_NAMES[number];
/** slurm is chosen by name only: `auto` never submits to a cluster. */
export type BackendName = LocalBackendName | 'slurm';
export type BackendChoice = BackendName | 'auto';
/** What a user may ask for: `auto` or a backend. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKEND_NAMES, 'slurm'];

export function isBackendChoice(v: unknown): v is BackendChoice {
  return typeof v === 'string' && (BACKEND_CHOICES as readonly string[]).includes(v);
}

/**
 * `queued`: not started yet (Slurm: pending in the controller; else waiting in Linger's queue).
 * `cancelled`: never ran because a dependency did not end as required.
 */
export type JobStateName = 'queued' | 'running' | 'exited' | 'killed' | 'lost' | 'cancelled';

/** Not ended yet: a queued or running job (kill/wait/rm treat both alike). */
export function isLive(s: JobStateName): boolean { return s === 'running' || s === 'queued'; }

/** What `linger run --backend slurm` passes to sbatch (each one a separate argv element). */
export interface SlurmOptions {
  partition?: string;
  /** sbatch --time (e.g. 2:00:00). */
  time?: string;
  cpus?: number;
  /** sbatch --mem (e.g. 8G). */
  mem?: string;
  gpus?: string;
  /** Further sbatch arguments, verbatim. */
  args?: string[];
  /** sbatch --array (e.g. 0-9%2): one record, one entry per task in `slurm.tasks`. */
  array?: string;
}

/** One task of a Slurm job array (its files live in the job dir's task-N/). */
export interface SlurmTask {
  task: string;
  /** The task's own Slurm job id once it started (what srun --jobid takes), else null. */
  jobId: string | null;
  state: JobStateName;
  /** Slurm's state word for this task, null before the first look. */
  slurmState: string | null;
  reason: string | null;
  node: string | null;
  exitCode: number | null;
  signal: string | null;
}

/** What the controller last said about a Slurm job. */
export interface SlurmInfo {
  jobId: string;
  /** Slurm's own state word (PENDING, RUNNING, TIMEOUT, OUT_OF_MEMORY…), null before the first look. */
  state: string | null;
  /** Slurm's reason (Priority, Resources, TimeLimit…) when it gives one. */
  reason: string | null;
  node: string | null;
  /** Elapsed and limit as Slurm prints them ("1:02", "UNLIMITED"). */
  elapsed: string | null;
  limit: string | null;
  partition: string | null;
  /** The controller could not be asked on the last read: state is what it said before. */
  stale: boolean;
  options: SlurmOptions;
  /** Job arrays: every task; the record's own state sums them up. */
  tasks?: SlurmTask[];
}

export interface JobRecord {
  /** Short unique id (lower-case, sortable by creation time). */
  id: string;
  name: string | null;
  /** Exactly what runs: argv[0] is the program. With `shell: true` it is [$SHELL, '-lc', STRING]. */
  argv: string[];
  /** True when the user asked for a shell string (`linger run --shell`). */
  shell: boolean;
  cwd: string;
  /** Environment additions only, not the whole environment. */
  env: Record<string, string>;
  backend: BackendName;
  state: JobStateName;
  /** Exit code when the job exited by itself; null while running, when killed by a signal, or lost. */
  exitCode: number | null;
  /** Terminating signal name ('SIGTERM'…) when a signal ended it, else null. */
  signal: string | null;
  /**
   * True when the job ended with a status above 128 and the host could not tell an exit with that
   * code from a death by signal N-128 (a shell other than dash as /bin/sh, an env without
   * --default-signal, a wrapper from before this was recorded). The record then says `exited`
   * with that code and claims no signal. Absent otherwise.
   */
  exitAmbiguous?: boolean;
  /** PID of the job's own process (the wrapper's child, i.e. argv[0] after exec), null until known. */
  pid: number | null;
  /** The job's process group and session: the wrapper's pid, which leads both (kill targets it). */
  pgid: number | null;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string | null;
  logPath: string;
  /** Backend session name (tmux/screen session, or the setsid session id as a string). */
  session: string;
  /** The job this one was restarted from, if any. */
  restartOf: string | null;
  /**
   * The host it runs on, as the request named it (ssh alias). Set only on records that crossed
   * from another host's agent; absent = this host. Never written to disk.
   */
  host?: string;
  /** Why the job is `lost`; present only then. */
  lostReason?: string;
  /** Why the job is `cancelled` ("dependency j-12 exited 1"); present only then. */
  cancelReason?: string;
  /**
   * Present when the job was submitted with a group or dependencies (kept after it starts and
   * ends, so restart and the view know them). Absent: it started at once, as always.
   */
  queue?: QueueInfo;
  /**
   * The exact bytes, base64, of values that are not valid UTF-8 (argv, cwd and env above show
   * them with U+FFFD): `argv` holds every element when any one needs it; `env` only such values.
   * Absent when everything is valid UTF-8. Restart runs these bytes.
   */
  rawBytes?: RawBytes;
  /** Slurm jobs only. */
  slurm?: SlurmInfo;
  /**
   * How far a running job has got, read from the end of its log (progress.ts). Computed when
   * asked (`linger ls`, the agent while the view is visible), never stored; absent when the log
   * shows no progress or the job is not running.
   */
  progress?: JobProgress;
}

/** Progress as the job printed it (a tqdm or rich bar, `N/M`, a percentage, a user's pattern). */
export interface JobProgress {
  /** 0..1, or null when the job shows a count without a total. */
  fraction: number | null;
  /** Seconds left, when the job says. */
  eta: number | null;
  /** The progress line as printed, short (escapes and bar graphics removed). */
  text: string;
  /** What recognised it: tqdm, rich, count, percent, or the name of the user's pattern. */
  source?: string;
}

/** A job's place in the queue (record.queue). */
export interface QueueInfo {
  /** Its group (`--group`), null for none (the default group, unlimited). */
  group: string | null;
  /** Job ids it waits for (resolved at submission; Slurm: Linger ids, mapped to Slurm's). */
  after: string[];
  /** true (`--after-any`): start once they all ended, however; false: only when all exited 0. */
  afterAny: boolean;
  /**
   * Why it is still queued, for people: "waiting for a slot in gpu: 2/2 running",
   * "waiting for j-12", "group gpu paused". null once it runs (and when it never waited).
   */
  reason: string | null;
  /** When it was submitted (startedAt becomes the real start once it runs). */
  submittedAt: string;
}

/** A group of jobs sharing a parallel limit (`linger group ls`). */
export interface GroupInfo {
  name: string;
  /** At most this many of its jobs run at once; null = unlimited. */
  parallel: number | null;
  /** Paused: nothing new starts; running jobs go on. */
  paused: boolean;
  running: number;
  queued: number;
}

export interface RawBytes { argv?: string[]; cwd?: string; env?: Record<string, string> }

/**
 * A value handed to the job: text, or exact bytes (the CLI's own argv may hold bytes that are not
 * UTF-8, which Node's strings cannot carry).
 */
export type ArgBytes = string | Uint8Array;

/** A tmux or screen session the user started by hand: listed and attachable, never owned. */
export interface ForeignSession {
  backend: 'tmux' | 'screen';
  /** Session name as the backend knows it. */
  session: string;
  /** For tmux: the socket path; for screen: the socket dir entry. */
  socket: string;
  attached: boolean;
  createdAt: string | null;
}

/**
 * What to run: the job as the user described it. Elem is how argv, cwd and env values are held:
 * the protocol's RunParams (JSON) carries text only (JobRequest<string>); the engine also takes
 * exact bytes (the CLI's own argv may hold bytes that are not UTF-8, which strings cannot carry).
 */
export interface JobRequest<Elem extends ArgBytes = string> {
  /** Exactly what runs; argv[0] is the program. Strings are UTF-8 text (a lone surrogate is refused: it has no bytes). */
  argv: Elem[];
  /** True when argv is [$SHELL, '-lc', STRING] built for a shell string the user typed. */
  shell?: boolean;
  name?: string | null;
  /** Absent: auto (the agent: linger.defaultBackend). */
  backend?: BackendChoice;
  cwd?: Elem;
  /** Environment additions only. */
  env?: Record<string, Elem>;
  restartOf?: string | null;
  /** backend slurm: what to ask sbatch for. */
  slurm?: SlurmOptions;
  /** Run in this group, under its parallel limit (`--group`). Slurm: refused (see README). */
  group?: string | null;
  /** Start only after these jobs (ids, names or prefixes, resolved at submission) ended. */
  after?: string[];
  /** With `after`: start when they ended at all; default only when all exited 0. */
  afterAny?: boolean;
}

/** Engine.run's options: the request plus how the engine should run it (never on the wire). */
export interface RunOptions extends JobRequest<ArgBytes> {
  /**
   * Default true: resolve only once the job's own process exists (record.pid set). false: resolve
   * as soon as the backend accepted the job (state running; pid/pgid may still be null and are
   * filled in by later reads). The CLI uses false for a plain `linger run` (it prints only the id).
   */
  waitForPid?: boolean;
  /**
   * A queued job (group/after) is only written; the caller runs Engine.advance once for many
   * (the batch form of run), instead of one advance per job.
   */
  deferAdvance?: boolean;
}

export interface KillOptions {
  /** First signal, default SIGTERM. */
  signal?: string;
  /** Milliseconds to wait before SIGKILL, default 5000. */
  graceMs?: number;
  /** Called while waiting out the grace period (for progress on a tty / in the UI). */
  onProgress?: (remainingMs: number) => void;
}

/** What a terminal must execute to attach to a job (argv, never a shell line). */
export interface AttachCommand {
  argv: string[];
  env?: Record<string, string>;
  /** One line telling the user how to detach, e.g. "Detach: Ctrl-b d". */
  detachHint: string;
}

export interface DoctorReport {
  stateDir: { path: string; mode: string; ok: boolean; problem: string | null };
  backends: Array<{ name: BackendName; available: boolean; path: string | null; version: string | null }>;
  /** sbatch found and whether the controller answered (`scontrol ping`); never picked by auto. */
  slurm?: { sbatch: string | null; controller: 'up' | 'down' | null; note: string };
  defaultBackend: BackendName | null;
  logind: { killUserProcesses: boolean | null; linger: boolean | null; note: string };
  sshd: {
    clientAliveInterval: number | null;
    clientAliveCountMax: number | null;
    tcpKeepAlive: boolean | null;
    /** Plain-words explanation, from the config analysis. */
    explanation: string;
    source: string;
  };
}

export { UserError, type UserErrorKind } from './errors';
