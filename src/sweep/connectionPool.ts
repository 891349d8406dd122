/**
 * Control connections for a sweep. Concurrency means N connections, each running one probe at a
 * time (RFC 959: one command at a time). A connection that timed out, was reset or closed is never
 * reused: it is discarded and the next probe opens a fresh one.
 */
import { isIP } from 'node:net';
import { ControlConnection, type TlsSettings } from '../ftp/controlConnection.js';
import { clearDataChannel, login } from '../ftp/login.js';
import { LocalError, UsageError } from '../ftp/errors.js';
import { unmapIPv4 } from '../ftp/portCommand.js';
import type { HighBytePool } from './highBytes.js';
import type { DataCommand } from './plan.js';

export interface Target {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Whether the password is a secret to keep out of every output (false for anonymous). */
  readonly passwordIsSecret: boolean;
  readonly timeoutMs: number;
  /** The address the data-port command carries; default: the control connection's local address. */
  readonly advertise: string | undefined;
  /** PORT (and PASV) are IPv4 only; EPRT and EPSV either family. */
  readonly command: DataCommand;
  /** Explicit FTPS (AUTH TLS) on the control connection, or undefined for plain FTP. */
  readonly tls?: TlsSettings | undefined;
}

/** A logged-in connection and the port byte it owns (see plan.ts). */
export interface Lease {
  readonly connection: ControlConnection;
  readonly ownByte: number;
  /** What PORT carries. */
  readonly advertise: string;
  /** Where data listeners bind: the address the server reaches us on. */
  readonly listenAddress: string;
}

export class ConnectionPool {
  private readonly idle: Lease[] = [];
  private readonly live = new Set<Lease>();
  private first: Promise<boolean> | undefined;

  constructor(
    private readonly target: Target,
    private readonly owned: HighBytePool,
    private readonly settings: {
      /** Keep each connection's transcript (for `ftpsweep probe`). */
      readonly transcript?: boolean;
      /** Idle connections are closed to make room beyond this many (--concurrency). */
      readonly maxConnections?: number;
    } = {},
  ) {}

  /** Opens a fresh connection (connect, greeting, login). Throws the typed error if it cannot. */
  open(): Promise<Lease> {
    // Each caller holds at most one lease at a time, so closing idle ones keeps the total bounded.
    while (this.settings.maxConnections !== undefined && this.live.size >= this.settings.maxConnections && this.idle.length > 0) this.discard(this.idle.pop()!);
    const opening = this.openLease();
    this.first ??= opening.then(
      () => true,
      () => false,
    );
    return opening;
  }

  /**
   * Whether the first connection this pool tried to open succeeded (waits for it to finish). When it
   * did not, a failure to connect is the target's problem (wrong host, refused login), not a value's.
   */
  firstSucceeded(): Promise<boolean> {
    return this.first ?? Promise.resolve(false);
  }

  private async openLease(): Promise<Lease> {
    const ownByte = this.owned.take();
    if (ownByte === undefined) throw new LocalError('no free port byte left for another connection', { hint: 'lower --concurrency' });
    let connection: ControlConnection | undefined;
    try {
      const { host, port, timeoutMs, password, passwordIsSecret } = this.target;
      connection = await ControlConnection.open({ host, port, timeoutMs, transcript: this.settings.transcript === true, ...(passwordIsSecret && password ? { secret: password } : {}) });
      if (this.target.tls) await connection.secure(this.target.tls);
      await login(connection, this.target.user, password);
      if (this.target.tls) await clearDataChannel(connection);
      const listenAddress = unmapIPv4(connection.localAddress);
      const advertise = this.target.advertise ?? listenAddress;
      const { command } = this.target;
      if ((command === 'PORT' || command === 'PASV') && isIP(advertise) !== 4) {
        throw new UsageError(
          `the control connection to ${connection.label} uses IPv6 (${listenAddress}), and ${command} carries IPv4 addresses only`,
          `use --command ${command === 'PORT' ? 'EPRT' : 'EPSV'} (RFC 2428), connect over IPv4, or give --advertise with an IPv4 address`,
        );
      }
      const lease: Lease = { connection, ownByte, advertise, listenAddress };
      this.live.add(lease);
      return lease;
    } catch (error) {
      connection?.close();
      this.owned.release(ownByte);
      throw error;
    }
  }

  /** An idle connection if there is one, else a fresh one. */
  async acquire(): Promise<Lease> {
    return this.idle.pop() ?? this.open();
  }

  /** Back to the idle list if still usable; otherwise discarded. */
  release(lease: Lease): void {
    if (lease.connection.closed) this.discard(lease);
    else this.idle.push(lease);
  }

  /** Ends the connection (QUIT if it is still usable) and frees its high byte. */
  discard(lease: Lease): void {
    lease.connection.quit();
    this.forget(lease);
  }

  /** Sends QUIT on every connection still open and closes them (without waiting for 221). */
  closeAll(): void {
    for (const lease of [...this.live]) {
      lease.connection.quit();
      this.forget(lease);
    }
  }

  private forget(lease: Lease): void {
    if (this.live.delete(lease)) this.owned.release(lease.ownByte);
    const i = this.idle.indexOf(lease);
    if (i !== -1) this.idle.splice(i, 1);
  }
}
