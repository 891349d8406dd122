/**
 * The server side of active-mode data connections: connect back to where PORT/EPRT pointed.
 */
import net from 'node:net';
import { errnoCode } from '../ftp/errors.js';
import type { DataAddress } from '../ftp/portCommand.js';

/**
 * Connects to `target`, rejecting with a short reason after `timeoutMs` or when refused. The source
 * address is left to the routing table on purpose: binding it first (bind-before-connect) makes the
 * kernel pick a source port without knowing the destination, so ports held in TIME_WAIT by earlier
 * data connections (the server closes first, so it holds them) cannot be reused, and after a few
 * thousand probes connecting slows down and then fails with EADDRINUSE.
 */
export function connectBack(target: DataAddress, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(errnoCode(error) ?? error.message));
    });
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
