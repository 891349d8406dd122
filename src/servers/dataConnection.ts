/**
 * The server side of active-mode data connections: connect back to where PORT/EPRT pointed.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { errnoCode } from '../errors.js';
import { sameAddress, unmapIPv4 } from '../ftp/address.js';
import { settleConnection } from '../ftp/connect.js';
import type { DataAddress } from '../ftp/portCommand.js';
import type { PassiveListener } from './ftpServer.js';
import { monotonicMs } from '../clock.js';

/**
 * Connects to `target` from `from` (the control connection's local address), rejecting with a short
 * reason after `timeoutMs` or when refused.
 *
 * The source address matters: a firewall's FTP helper expects the data connection from the address
 * the control connection went to (nf_conntrack_ftp's expectation names it), so a reflector on a
 * host's second address that connects back from the routing default is dropped (FIELD-NOTES §5).
 * vsftpd binds its data socket to the control connection's local address; so do we — but only when
 * the route would pick another source. Binding first (bind-before-connect) makes the kernel pick a
 * source port without knowing the destination, so ports held in TIME_WAIT by earlier data
 * connections (the server closes first, so it holds them) cannot be reused, and after a few
 * thousand probes connecting slows down and then fails with EADDRINUSE.
 */
export async function connectBack(target: DataAddress, timeoutMs: number, from?: string): Promise<net.Socket> {
  const localAddress = from !== undefined && !sameAddress(from, (await routeSource(target)) ?? from) ? from : undefined;
  const socket = await settleConnection(net.connect({ host: target.host, port: target.port, ...(localAddress ? { localAddress } : {}) }), 'connect', timeoutMs, {
    timeout: () => new Error(`no answer within ${timeoutMs} ms`),
    error: (error) => new Error(errnoCode(error) ?? error.message),
  });
  socket.on('error', () => undefined); // from now on the data transfer's own close path handles it
  return socket;
}

/** Route lookups are cached this long: routes rarely change, and a listing must not wait on one. */
const ROUTE_CACHE_MS = 5000;
const routeCache = new Map<string, { readonly source: string | undefined; readonly at: number }>();

/**
 * The source address the routing table picks towards `target`: a UDP socket's connect() asks the
 * kernel for the route and sends nothing. Undefined when there is no route (connecting will say so).
 */
async function routeSource(target: DataAddress): Promise<string | undefined> {
  const cached = routeCache.get(target.host);
  if (cached && monotonicMs() - cached.at < ROUTE_CACHE_MS) return cached.source;
  const socket = dgram.createSocket(target.family === 6 ? 'udp6' : 'udp4');
  let source: string | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(target.port, target.host, () => resolve());
    });
    source = unmapIPv4(socket.address().address);
  } catch {
    source = undefined;
  } finally {
    socket.close();
  }
  if (routeCache.size >= 1024) routeCache.clear();
  routeCache.set(target.host, { source, at: monotonicMs() });
  return source;
}

/**
 * Bytes a client sends on a data connection are read and dropped (the reflector needs none), and
 * beyond `maxBytes` the connection is cut: nobody gets to fill memory or hold the socket.
 */
export function capIncoming(socket: net.Socket, maxBytes: number): void {
  let bytes = 0;
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxBytes) socket.destroy();
  });
}

/**
 * Writes `payload` and closes our side (FIN), resolving once that is handed to the kernel — the
 * moment a server like vsftpd sends its 226: it does not wait for the client's FIN. The socket is
 * destroyed when the client closes, or after 10 s if it never does.
 */
export function sendAndClose(socket: net.Socket, payload: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), 10_000);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.end(payload, () => resolve());
  });
}

/**
 * Listens for a passive-mode data connection on `host:port` (0: any free port). Only the control
 * connection's peer may connect (RFC 2577 §4: no data connection theft); others are closed at once.
 * Rejects when the port cannot be listened on.
 */
export async function listenPassive(host: string, port: number, peer: string, maxDataBytes = Number.POSITIVE_INFINITY): Promise<PassiveListener> {
  const waiting: ((socket: net.Socket) => void)[] = [];
  let accepted: net.Socket | undefined;
  const server = net.createServer((socket) => {
    if (!sameAddress(socket.remoteAddress ?? '', peer) || accepted) {
      socket.destroy();
      return;
    }
    accepted = socket;
    socket.on('error', () => undefined);
    capIncoming(socket, maxDataBytes);
    server.close(); // one data connection per offer
    for (const resolve of waiting.splice(0)) resolve(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(errnoCode(error) ?? error.message)));
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  server.on('error', () => undefined);
  const bound = server.address() as net.AddressInfo;
  return {
    address: { family: net.isIP(host) === 6 ? 6 : 4, host, port: bound.port },
    connection(timeoutMs) {
      if (accepted) return Promise.resolve(accepted);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no data connection within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
        waiting.push((socket) => {
          clearTimeout(timer);
          resolve(socket);
        });
      });
    },
    close() {
      server.close();
      accepted?.destroy();
    },
  };
}
