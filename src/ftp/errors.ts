/**
 * Transport failures: what is not a reply (FTP reply codes are data, see replyParser.ts). Each has
 * a stable string `code` (../errors.ts) so callers branch on it, never on message text.
 */
import { FtpSweepError, LocalError } from '../errors.js';

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
  override readonly name: string = 'ConnectError';
  constructor(message: string, hint: string, cause?: unknown) {
    super('ECONNECT', message, { cause, hint });
  }
}

/** The server greeted with a refusal instead of 220: `code` is its reply code (421: no more sessions). */
export class SessionRefusedError extends ConnectError {
  override readonly name = 'SessionRefusedError';
  constructor(
    message: string,
    hint: string,
    readonly replyCode: number,
  ) {
    super(message, hint);
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

/** A connection given up because the run was stopped (Ctrl-C): nobody's failure, never a verdict. */
export class StoppedError extends LocalError {
  constructor(where: string) {
    super(`stopped while connecting to ${where}`);
  }
}
