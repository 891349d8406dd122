import type net from 'node:net';
import { LocalError, errnoCode } from '../errors.js';
import { formatEndpoint } from '../ftp/address.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes every connection it accepted. Idempotent. */
  close(): Promise<void>;
}

/** Listens (port 0 picks a free one) and returns a handle that closes the server and its sockets. */
export async function listen(server: net.Server, host: string, port: number): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => reject(listenError(host, port, error));
    server.once('error', fail);
    server.listen({ host, port }, () => {
      server.removeListener('error', fail);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function listenError(host: string, port: number, error: Error): LocalError {
  const where = formatEndpoint(host, port);
  switch (errnoCode(error)) {
    case 'EADDRINUSE':
      return new LocalError(`cannot listen on ${where}: the port is in use`, { cause: error, hint: 'choose another port with --listen, or stop what holds it' });
    case 'EACCES':
      return new LocalError(`cannot listen on ${where}: permission denied`, { cause: error, hint: 'use a port above 1023, or run with the needed privileges' });
    case 'EADDRNOTAVAIL':
      return new LocalError(`cannot listen on ${where}: this machine has no such address`, { cause: error, hint: 'check the address given to --listen' });
    default:
      return new LocalError(`cannot listen on ${where}: ${error.message}`, { cause: error, hint: 'check --listen' });
  }
}
