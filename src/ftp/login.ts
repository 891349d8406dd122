/**
 * Logging in (RFC 959 §4.1.1) and, under TLS, keeping the data channel clear (RFC 4217 §9).
 */
import type { TlsSettings } from './connect.js';
import type { ControlConnection } from './controlConnection.js';
import { stripEcho } from './echo.js';
import { ConnectError, LoginError, TimeoutError } from './errors.js';
import { replyKind, replyMessage, type Reply } from './replyParser.js';
import { wireText } from './secretSpellings.js';

/** How PASS appears in every transcript. */
export const MASKED_PASS = 'PASS ****';

function refused(connection: ControlConnection, reply: Reply): LoginError {
  // A server may quote the password back: the reply's text is masked before it reaches a message.
  return new LoginError(`${connection.label} refused the login: ${reply.code} ${connection.redact(stripEcho(replyMessage(reply))).trim().slice(0, 200)}`, 'check --user and the environment variable named by --password-env');
}

/**
 * USER then PASS. Throws LoginError; the password never appears in it. Both go out as UTF-8, as
 * RFC 2640 §2.2 has non-ASCII text on the control connection, and as servers decode it today.
 */
export async function login(connection: ControlConnection, user: string, password: string): Promise<void> {
  const userReply = await connection.command(`USER ${wireText(user)}`, 'login', `USER ${user}`);
  if (userReply.code === 230 || userReply.code === 202) return;
  if (userReply.code !== 331) throw refused(connection, userReply);
  let passReply: Reply;
  try {
    passReply = await connection.command(`PASS ${wireText(password)}`, 'login', MASKED_PASS);
  } catch (error) {
    // vsftpd, ProFTPD and the reflector wait before refusing a login, longer for a source that
    // keeps failing: silence after PASS is most often a refusal on its way.
    if (!(error instanceof TimeoutError)) throw error;
    throw new LoginError(`${connection.label} did not answer PASS within ${error.timeoutMs} ms: servers delay a refused login, more so after earlier failures, so this one was probably refused`, 'check --user and the environment variable named by --password-env, or raise --timeout');
  }
  if (passReply.code === 230 || passReply.code === 202) return;
  if (passReply.code === 332) throw new LoginError(`${connection.label} asks for an account (ACCT), which ftpsweep does not send`, 'use a user that needs no account');
  throw refused(connection, passReply);
}

/**
 * Explicit FTPS (RFC 4217 §4): AUTH TLS, then the handshake on the same connection — the "TLS
 * control group" of a sweep: a middlebox cannot read or rewrite what it cannot see.
 */
export async function secure(connection: ControlConnection, settings: TlsSettings): Promise<void> {
  const reply = await connection.command('AUTH TLS', 'login');
  if (reply.code !== 234 && reply.code !== 334) {
    throw new ConnectError(`${connection.label} refused AUTH TLS: ${reply.code} ${replyMessage(reply)}`, 'the server does not offer explicit FTPS; run without --tls (or --tls-ca, --tls-insecure, which imply it)');
  }
  await connection.upgrade(settings);
}

/**
 * After AUTH TLS: PBSZ 0 and PROT C, so data connections stay plain TCP — ftpsweep's data oracle
 * needs no TLS there, and only the control channel is what a firewall inspects.
 */
export async function clearDataChannel(connection: ControlConnection): Promise<void> {
  const pbsz = await connection.command('PBSZ 0', 'login');
  const prot = replyKind(pbsz.code) === 'positive' ? await connection.command('PROT C', 'login') : pbsz;
  if (replyKind(prot.code) !== 'positive') {
    throw new ConnectError(`${connection.label} refuses a clear data channel under TLS: ${prot.code} ${connection.redact(replyMessage(prot))}`, 'ftpsweep needs PROT C with --tls (RFC 4217 §9); allow it on the server or run without --tls');
  }
}
