// The one protocol between the extension (client) and the agent (server/).
// Every custom message is declared here and nowhere else; both sides import these constants.
// Imports only the protocol package, so it carries no vscode or engine code.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { AttachCommand, DoctorReport, ForeignSession, JobRecord, KillOptions, RunOptions } from './jobs/types';

export type { AttachCommand, DoctorReport, ForeignSession, JobRecord, RunOptions };

/** JSON-RPC error code for user errors (unknown id, running job removed…): show the message as is. */
export const USER_ERROR_CODE = -32001;

/**
 * JSON carries text only: argv, cwd and env values are UTF-8 text. A string with a lone surrogate
 * (which has no UTF-8 form) is refused rather than altered; bytes that are not UTF-8 can be given
 * through the CLI, and a restart of such a job runs its recorded bytes.
 */
export type RunParams = Omit<RunOptions, 'argv' | 'cwd' | 'env'> & { argv: string[]; cwd?: string; env?: Record<string, string> };
export interface ListParams { /** Include foreign tmux/screen sessions. */ all?: boolean }
export interface ListResult { jobs: JobRecord[]; foreign: ForeignSession[] }
export interface JobRef { id: string }
export interface LogsParams {
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
export type KillParams = { id: string } & Pick<KillOptions, 'signal' | 'graceMs'>;
export interface RemoveParams { ids?: string[]; finished?: boolean }
export interface RemoveResult { removed: string[] }
export interface ForeignAttachParams { session: ForeignSession }
export interface JobsChangedParams { jobs: JobRecord[] }

/** client → agent: start a job detached. */
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
export const DoctorRequest = new RequestType<Record<string, never>, DoctorReport, void>('linger/doctor');
/** agent → client: the job list changed on disk (any process may have changed it). */
export const JobsChangedNotification = new NotificationType<JobsChangedParams>('linger/jobsChanged');
