/**
 * Typed errors. FTP reply codes are data (see replyParser.ts); these are for what is not a reply:
 * transport failures, local problems and user mistakes. Each has a stable string `code` so callers
 * branch on it, never on message text (the pattern of got's RequestError).
 */

/** Which wait a timeout or failure happened in; recorded so a verdict can say where it stalled. */
export type Phase =
  | 'connect'
  | 'greeting'
  | 'login'
  | 'port-reply'
  | 'list-reply'
  | 'transfer'
  | 'data'
  | 'quit';

export type ErrorCode =
  | 'ETIMEOUT'
  | 'ECLOSED'
  | 'ECONNECT'
  | 'ELOGIN'
  | 'EPROTOCOL'
  | 'ELOCAL'
  | 'EUSAGE';

export class FtpSweepError extends Error {
  override readonly name: string = 'FtpSweepError';
  readonly code: ErrorCode;
  /** A short hint for the user: what to do about it. Printed after the message by the CLI. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

/** No reply (or no data) before the deadline of `phase`. */
export class TimeoutError extends FtpSweepError {
  override readonly name = 'TimeoutError';
  constructor(
    readonly phase: Phase,
    readonly timeoutMs: number,
    what: string,
  ) {
    super('ETIMEOUT', `${what}: no answer within ${timeoutMs} ms (${phase})`);
  }
}

/** The peer closed or reset the connection. `reset` tells an RST from an orderly FIN. */
export class ConnectionClosedError extends FtpSweepError {
  override readonly name = 'ConnectionClosedError';
  constructor(
    readonly phase: Phase,
    readonly reset: boolean,
    message: string,
    cause?: unknown,
  ) {
    super('ECLOSED', message, { cause });
  }
}

/** Could not open the control connection at all (refused, unreachable, DNS). */
export class ConnectError extends FtpSweepError {
  override readonly name = 'ConnectError';
  constructor(message: string, hint: string, cause?: unknown) {
    super('ECONNECT', message, { cause, hint });
  }
}

/** The server refused USER/PASS. Never carries the password. */
export class LoginError extends FtpSweepError {
  override readonly name = 'LoginError';
  constructor(message: string, hint: string) {
    super('ELOGIN', message, { hint });
  }
}

/** The peer broke the protocol in a way we refuse to follow (oversized reply, code out of range). */
export class ProtocolError extends FtpSweepError {
  override readonly name = 'ProtocolError';
  constructor(message: string) {
    super('EPROTOCOL', message);
  }
}

/** A problem on this machine (cannot bind, out of file descriptors). Never a firewall verdict. */
export class LocalError extends FtpSweepError {
  override readonly name = 'LocalError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('ELOCAL', message, options);
  }
}

/** Bad flags or option values. */
export class UsageError extends FtpSweepError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super('EUSAGE', message, hint === undefined ? {} : { hint });
  }
}

/** Node's errno code of an error, if any (ECONNRESET, EADDRINUSE …). */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
