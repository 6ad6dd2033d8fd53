// Errors the user caused, with a kind the callers act on. The kind crosses the protocol as data
// (core/protocol.ts UserErrorData), so the extension never has to read meaning out of a message.

/**
 * noSuchJob: the reference matches no job (it may have been removed elsewhere).
 * ambiguous: the reference is a prefix of several ids.
 * notRunning / stillRunning: the verb needs the other state.
 * noBackend: the requested backend (or any) is not installed here.
 * stateDir: the state directory is unusable (owner, mode, permissions).
 * invalid: bad input (argv, flag, parameter shape).
 * failed: the backend refused or could not start the job.
 */
export type UserErrorKind = 'noSuchJob' | 'ambiguous' | 'notRunning' | 'stillRunning' | 'noBackend' | 'stateDir' | 'invalid' | 'failed';

export const USER_ERROR_KINDS: readonly UserErrorKind[] = ['noSuchJob', 'ambiguous', 'notRunning', 'stillRunning', 'noBackend', 'stateDir', 'invalid', 'failed'];

/** Errors the user caused (unknown id, bad flag, missing backend): one line, exit 1, no stack. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, readonly kind: UserErrorKind = 'invalid') { super(message); }
}

export function isUserError(e: unknown): e is UserError {
  // instanceof can fail across bundles/realms; the name is part of the UserError contract.
  return e instanceof UserError || (e instanceof Error && e.name === 'UserError');
}

/** The kind of a user error, also for one from another bundle that may predate kinds. */
export function userErrorKind(e: UserError): UserErrorKind {
  const k = (e as { kind?: unknown }).kind;
  return typeof k === 'string' && (USER_ERROR_KINDS as readonly string[]).includes(k) ? (k as UserErrorKind) : 'invalid';
}
