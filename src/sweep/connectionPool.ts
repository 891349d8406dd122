/**
 * Control connections for a sweep. Concurrency means N connections, each running one probe at a
 * time (RFC 959: one command at a time). A connection that timed out, was reset or closed is never
 * reused: it is discarded and the next probe opens a fresh one. A new connection that fails before
 * any probed command was sent is made again (connectionRetries.ts); when the far side keeps
 * refusing more connections while others are open, the sweep goes on with those it has.
 */
import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import pLimit from 'p-limit';
import { LocalError, UsageError } from '../errors.js';
import { formatEndpoint, unmapIPv4 } from '../ftp/address.js';
import type { TlsSettings } from '../ftp/connect.js';
import { ControlConnection } from '../ftp/controlConnection.js';
import { LoginError, SessionRefusedError } from '../ftp/errors.js';
import { clearDataChannel, login, secure } from '../ftp/login.js';
import type { OwnedBytePool } from '../model/ownedBytes.js';
import type { DataCommand } from '../model/plan.js';
import { backoffMs, isRetryable, MAX_RETRIES, RetryLog, TargetLostError, type RetryStage } from './connectionRetries.js';
import { pause } from './pause.js';

export interface Target {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The password from the environment: a secret, kept out of every output. Undefined: anonymous. */
  readonly password: string | undefined;
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

/** Connections opened at once, at most (a server's listen backlog is often 32, or less). */
const MAX_OPENING = 16;

export class ConnectionPool {
  private readonly idle: Lease[] = [];
  private readonly live = new Set<Lease>();
  /** Callers waiting for a lease another caller releases (the far side takes no more connections). */
  private readonly waiting: ((lease: Lease | undefined) => void)[] = [];
  /** Whether any connection ever opened; opens still under way; who waits to know. */
  private opened = false;
  private opening = 0;
  /**
   * At most this many connections are being opened at once: 64 connects at once overflowed
   * vsftpd's listen backlog (32), and a dropped SYN is sent again only after a second.
   */
  private readonly opens = pLimit(MAX_OPENING);
  /** Connections still logging in: closed at once when a login is refused (the same for all). */
  private readonly loggingIn = new Set<ControlConnection>();
  private readonly askers: ((opened: boolean) => void)[] = [];
  /** How many connections the far side takes at once, once it refused more; else unbounded. */
  private capacity = Number.POSITIVE_INFINITY;
  /** Why no more connections are handed out: the target was lost, or closeAll() ended the pool. */
  private ended: Error | undefined;
  /** Aborted by closeAll(): connections still being made, and backoffs, end at once (Ctrl-C). */
  private readonly stopping = new AbortController();
  /** Connections that failed before any probed command was sent. */
  readonly retries = new RetryLog();
  /** The last connections the far side closed, and when: to tell one closed alone from many at once. */
  private readonly peerCloses: { readonly connection: ControlConnection; readonly at: number }[] = [];

  constructor(
    private readonly target: Target,
    private readonly owned: OwnedBytePool,
    private readonly settings: {
      /** Keep each connection's transcript (for `ftpsweep probe`). */
      readonly transcript?: boolean;
      /** Idle connections are closed to make room beyond this many (--concurrency). */
      readonly maxConnections?: number;
      /** The target took connections before (a sweep just ran): a refused one is retried at once. */
      readonly reachable?: boolean;
    } = {},
  ) {
    this.opened = settings.reachable === true;
    // One abort listener per connection being made or logging in (removed once it is): as many as
    // --concurrency at the start, not a leak, so no MaxListenersExceededWarning on stderr.
    setMaxListeners(0, this.stopping.signal);
  }

  /** Opens a fresh connection (connect, greeting, login). Throws the typed error if it cannot. */
  open(): Promise<Lease> {
    // Each caller holds at most one lease at a time, so closing idle ones keeps the total bounded.
    while (this.settings.maxConnections !== undefined && this.live.size >= this.settings.maxConnections && this.idle.length > 0) this.discard(this.idle.pop()!);
    this.opening++;
    const opening = this.opens(() => this.openLease());
    const settled = (ok: boolean): void => {
      this.opening--;
      this.opened ||= ok;
      if (this.opened || this.opening === 0) for (const ask of this.askers.splice(0)) ask(this.opened);
    };
    opening.then(
      () => settled(true),
      () => settled(false),
    );
    return opening;
  }

  /**
   * Whether any connection ever opened (waiting, while none has, for those under way). When none
   * did, a failure to connect is the target's problem (wrong host, refused login), not a value's —
   * but one refused connection among several opened at once is not (a per-address limit, a
   * middlebox refusing some): the others decide.
   */
  anySucceeded(): Promise<boolean> {
    if (this.opened || this.opening === 0) return Promise.resolve(this.opened);
    return new Promise((resolve) => this.askers.push(resolve));
  }

  private async openLease(): Promise<Lease> {
    const ownByte = this.owned.take();
    if (ownByte === undefined) throw new LocalError('no free port byte left for another connection', { hint: 'lower --concurrency' });
    let connection: ControlConnection | undefined;
    let stage: RetryStage = 'connect';
    try {
      const { host, port, timeoutMs, password } = this.target;
      const { signal } = this.stopping;
      connection = await ControlConnection.open({ host, port, timeoutMs, signal, transcript: this.settings.transcript === true, ...(password ? { secret: password } : {}) });
      // Stopped while securing or logging in: closed at once, and its waits end.
      const opened = connection;
      const cut = (): void => opened.close();
      signal.addEventListener('abort', cut, { once: true });
      try {
        stage = 'tls';
        if (this.target.tls) await secure(opened, this.target.tls);
        stage = 'login';
        this.loggingIn.add(opened);
        await login(opened, this.target.user, password ?? ANONYMOUS_PASSWORD).finally(() => this.loggingIn.delete(opened));
        if (this.target.tls) await clearDataChannel(opened);
      } finally {
        signal.removeEventListener('abort', cut);
      }
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
      // Refused before any connection opened: every other would be refused too (the same login),
      // and a server that slows refusals would make each wait. End the pool with this error now.
      if (error instanceof LoginError && !this.opened && !this.ended) {
        this.end(error);
        for (const other of this.loggingIn) other.close();
      }
      if (typeof error === 'object' && error !== null) failedAt.set(error, stage);
      throw error;
    }
  }

  /**
   * A logged-in connection for one attempt: an idle one, else a new one (`fresh`: a new one, for
   * confirmations). A new connection that fails is made again after a backoff, up to MAX_RETRIES
   * times; then, if others are open, the far side is taken to accept no more (a per-address limit,
   * ftp-proxy's ForkLimit), and from then on every caller — fresh or not — reuses one of those.
   * Throws a connection's error when none ever opened (the target is unusable), and
   * TargetLostError when connections stop opening altogether.
   */
  async acquire(fresh = false): Promise<Lease> {
    let failures = 0;
    for (;;) {
      if (this.ended) throw this.ended;
      if (!fresh && this.idle.length > 0) return this.idle.pop()!;
      // Connections still opening count: once the far side has said how many it takes, no caller
      // opens one beyond that while others are on their way.
      if (this.live.size + this.opening >= this.capacity) {
        const spare = this.idle.pop() ?? (await this.nextReleased());
        if (spare) return spare;
        continue; // one was discarded: room for a new one
      }
      try {
        return await this.open();
      } catch (error) {
        if (this.ended) throw this.ended; // closed (Ctrl-C) while this one was being made
        if (!(await this.anySucceeded()) || !isRetryable(error)) throw error;
        this.retries.note((typeof error === 'object' && error !== null && failedAt.get(error)) || 'connect', error);
        // 421 at the greeting while others are open: the far side says it takes no more sessions
        // from us (vsftpd's max_per_ip, 50 by default; the reflector's share). Believe it at once
        // and share what is open, rather than knock again after a backoff (64 connections to
        // vsftpd took 1.4 s that way, slower than 16).
        if (error instanceof SessionRefusedError && error.replyCode === 421 && this.live.size > 0) {
          this.capacity = Math.max(1, Math.min(this.capacity, this.live.size + this.opening));
          this.retries.lowerConcurrency(this.capacity);
          continue;
        }
        if (failures < MAX_RETRIES) {
          await pause(backoffMs(failures++), this.stopping.signal);
          continue;
        }
        if (this.live.size === 0) throw this.end(new TargetLostError(formatEndpoint(this.target.host, this.target.port), failures + 1, error));
        this.capacity = this.live.size;
        this.retries.lowerConcurrency(this.capacity);
        failures = 0; // waiting for a released connection is no failure: start counting anew
      }
    }
  }

  /** No more leases from now on: every caller waiting, and every later one, gets `reason`. */
  private end(reason: Error): Error {
    this.ended ??= reason;
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
    return this.ended;
  }

  /** Resolves with the next lease released by another caller, or undefined when one is discarded. */
  private nextReleased(): Promise<Lease | undefined> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Back to a waiting caller or the idle list if still usable; otherwise discarded. */
  release(lease: Lease): void {
    if (lease.connection.closed) return this.discard(lease);
    const waiter = this.waiting.shift();
    if (waiter) waiter(lease);
    else this.idle.push(lease);
  }

  /** Ends the connection (QUIT if it is still usable) and frees its high byte. */
  discard(lease: Lease): void {
    lease.connection.quit();
    this.forget(lease);
    // Room for another connection now: a waiting caller may open one.
    this.waiting.shift()?.(undefined);
  }

  /** Sends QUIT on every connection still open and closes them (without waiting for 221); no more leases. */
  closeAll(): void {
    for (const lease of [...this.live]) {
      lease.connection.quit();
      this.forget(lease);
    }
    this.end(new LocalError('the sweep is over: no more control connections'));
    this.stopping.abort();
  }

  /**
   * How many other connections the far side closed within SHARED_CLOSE_MS of closing `connection`
   * (0 when it did not close it). Many sessions closed at once — a server restarting, every
   * session killed — says nothing about the command any one of them was sending. Waits that long
   * first, so the others' close events have arrived.
   */
  async closedAlongside(connection: ControlConnection): Promise<number> {
    const at = connection.closedByPeerAt;
    if (at === undefined) return 0;
    await new Promise((resolve) => setTimeout(resolve, SHARED_CLOSE_MS));
    const others = new Set<ControlConnection>();
    for (const c of [...[...this.live].map((l) => l.connection), ...this.peerCloses.map((p) => p.connection)]) {
      const theirs = c.closedByPeerAt;
      if (c !== connection && theirs !== undefined && Math.abs(theirs - at) <= SHARED_CLOSE_MS) others.add(c);
    }
    return others.size;
  }

  private forget(lease: Lease): void {
    const at = lease.connection.closedByPeerAt;
    if (at !== undefined) {
      this.peerCloses.push({ connection: lease.connection, at });
      if (this.peerCloses.length > 64) this.peerCloses.shift();
    }
    if (this.live.delete(lease)) this.owned.release(lease.ownByte);
    const i = this.idle.indexOf(lease);
    if (i !== -1) this.idle.splice(i, 1);
  }
}

/** Connections the far side closed this close together were closed by one event, not by a command. */
const SHARED_CLOSE_MS = 50;

/** RFC 1635: anonymous FTP asks for an e-mail-like identification as password; not a secret. */
const ANONYMOUS_PASSWORD = 'ftpsweep@';

/** Where openLease failed, for each error it threw (for the retry count). */
const failedAt = new WeakMap<object, RetryStage>();

