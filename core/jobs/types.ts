// The job model shared by the engine, the CLI, the agent and (through the protocol) the extension.
// A JobRecord is plain JSON: it is what `linger ls --json` prints and what the agent sends.
// Runtime handles (child processes, watchers) never enter it.

export type BackendName = 'tmux' | 'screen' | 'setsid';
export type BackendChoice = BackendName | 'auto';

export type JobStateName = 'running' | 'exited' | 'killed' | 'lost';

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
   * The exact bytes, base64, of values that are not valid UTF-8 (argv, cwd and env above show
   * them with U+FFFD): `argv` holds every element when any one needs it; `env` only such values.
   * Absent when everything is valid UTF-8. Restart runs these bytes.
   */
  rawBytes?: RawBytes;
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

export interface RunOptions {
  /** Strings are UTF-8 text (a lone surrogate is refused: it has no bytes); Uint8Arrays go as is. */
  argv: ArgBytes[];
  shell?: boolean;
  name?: string | null;
  backend?: BackendChoice;
  cwd?: ArgBytes;
  env?: Record<string, ArgBytes>;
  restartOf?: string | null;
  /**
   * Default true: resolve only once the job's own process exists (record.pid set). false: resolve
   * as soon as the backend accepted the job (state running; pid/pgid may still be null and are
   * filled in by later reads). The CLI uses false for a plain `linger run` (it prints only the id).
   */
  waitForPid?: boolean;
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

/** Errors the user caused (unknown id, bad flag, missing backend): one line, exit 1, no stack. */
export class UserError extends Error {
  override name = 'UserError';
}
