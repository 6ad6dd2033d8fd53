// How exceptions leave the agent: a UserError keeps its message under USER_ERROR_CODE (the client
// shows it as is) and its kind as the response's data (UserErrorData), which is what the client
// acts on; anything else becomes an internal error and its stack goes to stderr.
// Nothing thrown by a handler may take the process down.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { USER_ERROR_CODE, type UserErrorData } from '../core/protocol';
import { isUserError, userErrorKind } from '../core/jobs/errors';

export { isUserError };

export function toResponseError(e: unknown): ResponseError<UserErrorData | void> {
  if (e instanceof ResponseError) return e as ResponseError<void>;
  if (isUserError(e)) return new ResponseError<UserErrorData>(USER_ERROR_CODE, e.message, { kind: userErrorKind(e) });
  const message = e instanceof Error ? e.message : String(e);
  return new ResponseError(ErrorCodes.InternalError, message || 'internal error');
}

export function logError(where: string, e: unknown): void {
  if (isUserError(e)) return;
  const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`[linger-agent] ${where}: ${text}\n`);
}

/** Runs `fn`, turning any throw into a ResponseError (requests) — never an unhandled rejection. */
export async function guarded<R>(where: string, fn: () => R | Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    logError(where, e);
    throw toResponseError(e);
  }
}

/** For notifications and fire-and-forget work: log and swallow. */
export function guardedVoid(where: string, fn: () => unknown): void {
  try {
    const r = fn();
    if (r instanceof Promise) r.catch((e: unknown) => logError(where, e));
  } catch (e) {
    logError(where, e);
  }
}
