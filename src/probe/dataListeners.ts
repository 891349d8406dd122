/**
 * The data-connection oracle's listeners. They are bound before PORT is sent (pyftpdlib connects back
 * while handling PORT itself), and record every connection the server makes: the port it reached is
 * the truth about what the server understood, whatever its reply codes said.
 */
import net from 'node:net';
import { LocalError, errnoCode } from '../errors.js';
import { formatEndpoint } from '../ftp/address.js';

export interface DataConnectionRecord {
  /** Our port the server connected to. */
  readonly port: number;
  /** The server's end, as the socket reports it (formatted only when a transcript is kept). */
  readonly remoteAddress: string;
  readonly remotePort: number;
  bytes: number;
  /** The first bytes received (latin1), for the transcript. */
  head: string;
  /** The server finished sending (FIN), i.e. the listing was read to its end — or it sent more
   * than MAX_DATA_BYTES, and ftpsweep stopped reading (`capped`). */
  ended: boolean;
  capped: boolean;
}

/** The port we must listen on is taken locally: not a firewall failure, pick another high byte. */
export class BindConflictError extends LocalError {
  constructor(readonly port: number, cause: unknown) {
    super(`local port ${port} is taken (${errnoCode(cause) ?? 'bind failed'})`, { cause });
  }
}

/** Enough for the reflector's payload line with its target tag (an IPv6 EPRT in full form). */
const HEAD_BYTES = 512;

/**
 * The most a data connection is read, as replies are capped: the oracle needs only to know the data
 * reached the port and flowed (a hostile server streamed 815 MB in 2 s to one probe).
 */
export const MAX_DATA_BYTES = 1024 * 1024;

export class DataListeners {
  readonly connections: DataConnectionRecord[] = [];
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly waiters = new Set<() => void>();
  /** Ports in the wide range that could not be bound (taken). */
  skipped = 0;

  private constructor(readonly address: string, readonly expectedPort: number) {}

  /**
   * Listens on `expectedPort` (required: throws BindConflictError if taken) and, best effort, on
   * `extraPorts` (the other ports of the same high byte, to see where a corrupted PORT led).
   */
  static async open(address: string, expectedPort: number, extraPorts: readonly number[] = []): Promise<DataListeners> {
    const listeners = new DataListeners(address, expectedPort);
    try {
      await listeners.listen(expectedPort);
    } catch (error) {
      listeners.close();
      const code = errnoCode(error);
      if (code === 'EADDRINUSE' || code === 'EACCES') throw new BindConflictError(expectedPort, error);
      if (code === 'EMFILE' || code === 'ENFILE') {
        throw new LocalError(`out of file descriptors while binding port ${expectedPort}`, { cause: error, hint: 'lower --concurrency or raise `ulimit -n`' });
      }
      throw new LocalError(`cannot listen on ${formatEndpoint(address, expectedPort)}: ${(error as Error).message}`, { cause: error, hint: 'check --advertise and this machine\'s addresses' });
    }
    const results = await Promise.allSettled(extraPorts.map((port) => listeners.listen(port)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    // Taken ports are skipped; running out of descriptors is not a port being taken: it starves the
    // other probes too, and a confirmation made on half its ports would judge on half the evidence.
    const starved = failed.find((r) => ['EMFILE', 'ENFILE'].includes(errnoCode(r.reason) ?? ''));
    if (starved) {
      listeners.close();
      throw new LocalError(`out of file descriptors while listening on the ${extraPorts.length} ports of a wide confirmation`, { cause: starved.reason, hint: 'lower --concurrency or raise `ulimit -n`' });
    }
    listeners.skipped = failed.length;
    return listeners;
  }

  /** The first connection that reached the expected port, else the first that reached any other. */
  get first(): DataConnectionRecord | undefined {
    return this.connections.find((c) => c.port === this.expectedPort) ?? this.connections[0];
  }

  /**
   * Resolves once a data connection has been read to its end, or after `timeoutMs`, whichever comes
   * first. The timer runs only during this wait.
   */
  settled(timeoutMs: number): Promise<void> {
    if (this.connections.some((c) => c.ended) || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.waiters.add(done);
    });
  }

  /** Closes every listener and data socket. Idempotent. */
  close(): void {
    for (const server of this.servers.splice(0)) server.close();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    for (const done of [...this.waiters]) done();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.accept(socket, port));
      server.once('error', reject);
      // exclusive: never share a port with another listener (cluster mode), a taken port must fail.
      server.listen({ host: this.address, port, exclusive: true }, () => {
        server.removeListener('error', reject);
        server.on('error', () => undefined);
        this.servers.push(server);
        resolve();
      });
    });
  }

  private accept(socket: net.Socket, port: number): void {
    const record: DataConnectionRecord = { port, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0, bytes: 0, head: '', ended: false, capped: false };
    this.connections.push(record);
    this.sockets.add(socket);
    const finished = (): void => {
      record.ended = true;
      for (const done of [...this.waiters]) done();
    };
    socket.on('data', (chunk: Buffer) => {
      record.bytes += chunk.length;
      if (record.head.length < HEAD_BYTES) record.head += chunk.toString('latin1', 0, HEAD_BYTES - record.head.length);
      if (record.bytes > MAX_DATA_BYTES && !record.capped) {
        record.capped = true;
        socket.destroy();
        finished();
      }
    });
    socket.on('end', finished);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
