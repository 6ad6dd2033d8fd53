// Error codes the extension recognises, as plain numbers: importing them from core/protocol.ts
// would load the LSP libraries during activation. agent_api.ts checks USER_ERROR_CODE_MIRROR
// against the protocol's constant when it loads, so drift fails loudly.

/** core/protocol.ts USER_ERROR_CODE: a user error whose message is shown as is. */
export const USER_ERROR_CODE_MIRROR = -32001;
/** vscode-jsonrpc ErrorCodes.PendingResponseRejected / ConnectionInactive. */
export const PENDING_RESPONSE_REJECTED = -32097;
export const CONNECTION_INACTIVE = -32096;
/** LSP RequestCancelled. */
export const REQUEST_CANCELLED = -32800;

/**
 * The kind of a user error (core/protocol.ts UserErrorData, carried as the response's data), or
 * undefined when the error is not one. Typed as a string: the kinds are core/jobs/errors.ts's, and
 * an unknown one is treated like any other user error.
 */
export function userErrorKind(err: unknown): string | undefined {
  if (rpcCode(err) !== USER_ERROR_CODE_MIRROR) return undefined;
  const data = (err as { data?: unknown }).data;
  const kind = typeof data === 'object' && data !== null ? (data as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : 'invalid';
}

/** A JSON-RPC error as it arrives (ResponseError), recognised by shape. */
export function rpcCode(err: unknown): number | undefined {
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'number') return (err as unknown as { code: number }).code;
  return undefined;
}
