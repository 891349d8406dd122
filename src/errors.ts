/**
 * The errors every layer uses. FTP reply codes are data (ftp/replyParser.ts); transport failures
 * are typed in ftp/errors.ts; these are the base class, local problems and user mistakes. Each has
 * a stable string `code` so callers branch on it, never on message text (the pattern of got's
 * RequestError), and a hint: what the user can do about it.
 */

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

/** Bad flags or option values. */
export class UsageError extends FtpSweepError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super('EUSAGE', message, hint === undefined ? {} : { hint });
  }
}

/** A problem on this machine (cannot bind, out of file descriptors). Never a firewall verdict. */
export class LocalError extends FtpSweepError {
  override readonly name = 'LocalError';
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('ELOCAL', message, options);
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
