/**
 * Opening the control connection's TCP socket, with the reasons it can fail said the way a user
 * can act on them.
 */
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { LocalError, errnoCode } from '../errors.js';
import { formatEndpoint } from './address.js';
import { ConnectError, ConnectionClosedError, StoppedError, TimeoutError } from './errors.js';

/** Opens the TCP connection, turning socket errors into a ConnectError with a hint. */
export function connectSocket(options: { readonly host: string; readonly port: number; readonly timeoutMs: number; readonly signal?: AbortSignal | undefined }): Promise<net.Socket> {
  const where = formatEndpoint(options.host, options.port);
  const socket = net.connect({ host: options.host, port: options.port });
  // Stopped (Ctrl-C) while connecting: the socket goes at once, not after --timeout.
  const stop = (): void => void socket.destroy(new StoppedError(where));
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  return settleConnection(socket, 'connect', options.timeoutMs, {
    timeout: () => new ConnectError(`no answer from ${where} within ${options.timeoutMs} ms`, 'check --host and --port, that a firewall is not dropping the connection, or raise --timeout'),
    error: (error) => (error instanceof StoppedError ? error : connectError(where, error)),
  }).finally(() => options.signal?.removeEventListener('abort', stop));
}

/**
 * Resolves with `socket` once it is `ready`; on its first error, or when `timeoutMs` passes first,
 * destroys it and rejects with what `fail` makes of that. Every connection attempt, ours or the
 * reflector's, is bounded this one way.
 */
export function settleConnection<S extends net.Socket>(socket: S, ready: 'connect' | 'secureConnect', timeoutMs: number, fail: { timeout(): Error; error(error: Error): Error }): Promise<S> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(fail.timeout());
    }, timeoutMs);
    socket.once(ready, () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(fail.error(error));
    });
  });
}

/** A greeting that never came, said the way a user can act on it; other errors as they are. */
export function greetingError(where: string, error: unknown, timeoutMs: number): unknown {
  if (error instanceof TimeoutError) return new ConnectError(`${where} sent no FTP greeting within ${timeoutMs} ms`, 'check that --port is the FTP control port, or raise --timeout');
  if (error instanceof ConnectionClosedError) {
    return new ConnectError(
      `${where} closed the connection before its greeting`,
      "check that --port is the FTP control port and that the server accepts you — a limit on new connections (ftp-proxy's ForkLimit, a rate rule) closes them so too: wait, then try again",
    );
  }
  return error;
}

function connectError(where: string, error: Error): ConnectError | LocalError {
  switch (errnoCode(error)) {
    case 'ECONNREFUSED':
      return new ConnectError(`connection to ${where} refused`, 'check --host and --port, and that the FTP server is running');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectError(`cannot resolve host of ${where}`, 'check the spelling of --host');
    case 'EMFILE':
    case 'ENFILE':
      return new LocalError(`out of file descriptors while connecting to ${where}`, { cause: error, hint: 'lower --concurrency or raise `ulimit -n`' });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectError(`${where} is unreachable (${errnoCode(error)})`, 'check --host and this machine\'s routes');
    default:
      return new ConnectError(`cannot connect to ${where}: ${error.message}`, 'check --host and --port');
  }
}

/** How the control connection is secured with AUTH TLS (RFC 4217), once the server agreed. */
export interface TlsSettings {
  /** PEM certificates to trust besides the system's (a self-signed server, a private CA). */
  readonly ca?: string;
  /** Skip verifying the server's certificate (then anyone between can read the password). */
  readonly insecure: boolean;
}

/**
 * Turns the plain socket into TLS (the client side of the handshake, RFC 4217 §4), verifying the
 * server's certificate for `host` unless told not to.
 */
export async function upgradeToTls(socket: net.Socket, host: string, settings: TlsSettings, timeoutMs: number): Promise<TLSSocket> {
  const where = formatEndpoint(host, socket.remotePort ?? 0);
  // Loaded when asked for: node:tls costs every start a few milliseconds, and most sweeps are clear.
  const { default: tls } = await import('node:tls');
  const secure = tls.connect({
    socket,
    // `host` is what the certificate is checked against (an IP address against its IP SANs); left
    // out, Node checks "localhost". SNI carries names only, never an address (RFC 6066 §3).
    host,
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
    ...(settings.ca ? { ca: settings.ca } : {}),
    rejectUnauthorized: !settings.insecure,
  });
  return settleConnection(secure, 'secureConnect', timeoutMs, {
    timeout: () => new ConnectError(`TLS handshake with ${where} did not finish within ${timeoutMs} ms`, 'check that the server speaks explicit FTPS (AUTH TLS), or raise --timeout'),
    error: (error) => handshakeError(where, host, error, settings),
  });
}

/** OpenSSL's codes for a certificate no trusted certificate vouches for. */
const UNTRUSTED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);

/** A failed handshake, with a hint that fits what was given (--tls-ca or not) and what failed. */
function handshakeError(where: string, host: string, error: Error, settings: TlsSettings): ConnectError {
  const code = errnoCode(error);
  const insecure = '(or, knowingly, --tls-insecure)';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // The certificate is trusted but is another server's, or names this one differently.
    const cert = (error as Error & { cert?: { subjectaltname?: string; subject?: { CN?: string } } }).cert;
    const names = cert?.subjectaltname ?? (cert?.subject?.CN === undefined ? undefined : `CN ${cert.subject.CN}`);
    return new ConnectError(
      `TLS handshake with ${where} failed: the certificate does not name ${host}${names === undefined ? '' : ` (it names ${names})`}`,
      `give --host a name or address the certificate names, or give the server a certificate that names ${host} ${insecure}`,
    );
  }
  if (code !== undefined && UNTRUSTED.has(code)) {
    return settings.ca === undefined
      ? new ConnectError(`TLS handshake with ${where} failed: ${error.message}`, `trust the server's certificate with --tls-ca FILE ${insecure}`)
      : new ConnectError(`TLS handshake with ${where} failed: no certificate in --tls-ca vouches for the server's (${error.message})`, `give --tls-ca the server's certificate or the CA that issued it ${insecure}`);
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new ConnectError(`TLS handshake with ${where} failed: ${error.message}`, `the server needs a certificate valid now ${insecure}`);
  }
  return new ConnectError(`TLS handshake with ${where} failed: ${error.message}`, settings.ca === undefined ? `trust the server's certificate with --tls-ca FILE ${insecure}` : `check the server's certificate and --tls-ca ${insecure}`);
}
