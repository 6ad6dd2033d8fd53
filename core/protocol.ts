// The one protocol between the extension (client) and the agent (server/).
// Every custom message and the types of its params and result are declared here and nowhere
// else; both sides import these constants. The params are the protocol's own types, not the
// engine's options: what the engine takes beyond them (progress callbacks, anything added later)
// reaches the wire only when declared here. Imports only the protocol package and type-only core modules, so it carries
// no vscode or engine code.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { AttachCommand, BackendChoice, DoctorReport, ForeignSession, GroupInfo, JobProgress, JobRecord, JobRequest, QueueInfo } from './jobs/types';
import type { UserErrorKind } from './jobs/errors';
import type { HostInfo } from './hosts/types';

export type { AttachCommand, BackendChoice, DoctorReport, ForeignSession, GroupInfo, HostInfo, JobProgress, JobRecord, QueueInfo, UserErrorKind };

/**
 * Which host a request is for: absent or null = this host (the agent's own). A named host is
 * reached by the agent over the user's ssh (core/hosts) and the request is forwarded to the agent
 * there unchanged (minus `host`); records that come back carry `host` set to that name.
 */
export interface OnHost { host?: string | null }

/** JSON-RPC error code for user errors (unknown id, running job removed…): show the message as is. */
export const USER_ERROR_CODE = -32001;

/**
 * `data` of a USER_ERROR_CODE response: what went wrong as a kind the client acts on (drop a
 * removed job from the view, offer Check Host for a missing backend); `message` is for people.
 */
export interface UserErrorData { kind: UserErrorKind }

/**
 * The job to start, as the user described it (the model's JobRequest), plus this request's own
 * option. JSON carries text only: argv, cwd and env values are UTF-8 text. A string with a lone
 * surrogate (which has no UTF-8 form) is refused rather than altered; bytes that are not UTF-8
 * can be given through the CLI, and a restart of such a job runs its recorded bytes.
 */
export interface RunParams extends JobRequest, OnHost {
  /**
   * Declared here, not inherited from the engine's RunOptions (the agent maps it): false answers
   * once the backend accepted the job (pid may still be null; it arrives in a jobsChanged),
   * default true once the job's own process exists.
   */
  waitForPid?: boolean;
}
export interface ListParams extends OnHost { /** Include foreign tmux/screen sessions. */ all?: boolean }
export interface ListResult { jobs: JobRecord[]; foreign: ForeignSession[] }
/** A job by id, unique id prefix or name. */
export interface JobRef extends OnHost { id: string }
export interface LogsParams extends OnHost {
  id: string;
  tailLines?: number;
  /** Offset in the log file bytes (a previous result's `size`), for following. */
  fromByte?: number;
  /** true: the terminal stream as shown (what a terminal needs); default: the program's bytes. */
  raw?: boolean;
  /** How `text` holds the bytes: 'utf8' (default; bytes that are not UTF-8 become U+FFFD) or 'base64' (exact). */
  encoding?: 'utf8' | 'base64';
}
export interface LogsResult {
  text: string;
  /** Offset in the log file bytes to ask from next (a smaller one than before means it rotated). */
  size: number;
  encoding: 'utf8' | 'base64';
}
export interface KillParams extends OnHost {
  id: string;
  /** First signal ('SIGTERM', 'TERM', '15'); default SIGTERM. */
  signal?: string;
  /** Milliseconds between the signal and SIGKILL; absent: the agent's linger.killGraceSeconds. */
  graceMs?: number;
}
export interface RemoveParams extends OnHost { ids?: string[]; finished?: boolean }
export interface RemoveResult { removed: string[] }
export interface ForeignAttachParams extends OnHost { session: ForeignSession }
export type DoctorParams = OnHost;
/** The full list of one host's jobs (host absent = this host's). */
export interface JobsChangedParams extends OnHost { jobs: JobRecord[] }
export interface HostsResult { hosts: HostInfo[] }
export type GroupsParams = OnHost;
export interface GroupsResult { groups: GroupInfo[] }
/** parallel: at most this many at once; null = unlimited (the group's setting is removed). */
export interface GroupSetParams extends OnHost { name: string; parallel: number | null }
export interface GroupRef extends OnHost { name: string }
export interface HostsChangedParams { hosts: HostInfo[] }
export interface HostRef { host: string }
/**
 * Whether anyone is looking at the jobs now (the Remote Sessions view is visible). Progress costs
 * a read of each running job's log growth, so the agent reads it only while this is true.
 */
export interface WatchProgressParams { visible: boolean }
export interface InstallCliParams extends OnHost {}
export interface InstallCliResult { /** Where the launcher was written on that host (~/.local/bin/linger). */ path: string; /** False when ~/.local/bin is not on that host's login PATH: say so. */ onPath: boolean }

/** client → agent: start a job detached; resolves once its own process exists. */
export const RunRequest = new RequestType<RunParams, JobRecord, void>('linger/run');
/** client → agent: all jobs (and foreign sessions when asked). */
export const ListRequest = new RequestType<ListParams, ListResult, void>('linger/list');
/** client → agent: one job by id, prefix or name. */
export const ShowRequest = new RequestType<JobRef, JobRecord, void>('linger/show');
/** client → agent: what a terminal must run to attach. */
export const AttachRequest = new RequestType<JobRef, AttachCommand, void>('linger/attach');
/** client → agent: attach command for a foreign tmux/screen session. */
export const ForeignAttachRequest = new RequestType<ForeignAttachParams, AttachCommand, void>('linger/attachForeign');
/** client → agent: log text (tail, or from a byte offset for following). */
export const LogsRequest = new RequestType<LogsParams, LogsResult, void>('linger/logs');
/** client → agent: kill the job's process group (TERM, grace, KILL). Resolves when it is dead. */
export const KillRequest = new RequestType<KillParams, JobRecord, void>('linger/kill');
/** client → agent: run the same command again as a new job. */
export const RestartRequest = new RequestType<JobRef, JobRecord, void>('linger/restart');
/** client → agent: remove finished jobs' records and logs. */
export const RemoveRequest = new RequestType<RemoveParams, RemoveResult, void>('linger/remove');
/** client → agent: host report (backends, logind, sshd keepalive). */
export const DoctorRequest = new RequestType<DoctorParams, DoctorReport, void>('linger/doctor');
/** client → agent: every group on the host with its limit and counts (groups with jobs or a setting). */
export const GroupsRequest = new RequestType<GroupsParams, GroupsResult, void>('linger/groups');
/** client → agent: set a group's parallel limit; queued jobs that now fit start. */
export const GroupSetRequest = new RequestType<GroupSetParams, GroupInfo, void>('linger/groupSet');
/** client → agent: pause a group: nothing new starts in it, running jobs go on. */
export const GroupPauseRequest = new RequestType<GroupRef, GroupInfo, void>('linger/groupPause');
/** client → agent: resume a group; queued jobs that fit start. */
export const GroupResumeRequest = new RequestType<GroupRef, GroupInfo, void>('linger/groupResume');
/** agent → client: the job list changed on disk (any process may have changed it). */
export const JobsChangedNotification = new NotificationType<JobsChangedParams>('linger/jobsChanged');
/**
 * client → agent: the view became visible (or hidden). While visible the agent reads running jobs'
 * progress (only what their logs grew by) and pushes it in jobsChanged, at most every
 * PROGRESS_PUSH_MS and only when it changed; hidden, it reads nothing and records carry none.
 */
export const WatchProgressNotification = new NotificationType<WatchProgressParams>('linger/watchProgress');
/** How often, at most, the agent pushes new progress while the view is visible. */
export const PROGRESS_PUSH_MS = 1500;
/** client → agent: every host (this host first) with how it is reached right now. */
export const HostsRequest = new RequestType<Record<string, never>, HostsResult, void>('linger/hosts');
/** client → agent: try an unreachable host again now (the agent also retries by itself). */
export const HostRetryRequest = new RequestType<HostRef, HostInfo, void>('linger/hostRetry');
/** client → agent: put a `linger` launcher into ~/.local/bin on that host (or this one). */
export const InstallCliRequest = new RequestType<InstallCliParams, InstallCliResult, void>('linger/installCli');
/**
 * agent → agent: liveness of a connection to another host's agent (the heartbeat of core/hosts for
 * ssh configs without ServerAlive). Any answer counts, MethodNotFound from an older agent too.
 */
export const PingRequest = new RequestType<Record<string, never>, PingResult, void>('linger/ping');
export interface PingResult { version: string }
/** agent → client: a host's status changed (connected, unreachable…); the whole list. */
export const HostsChangedNotification = new NotificationType<HostsChangedParams>('linger/hostsChanged');
