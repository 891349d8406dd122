/**
 * One FTP control connection over a raw `node:net` socket: no FTP client library, so the bytes on the
 * wire are exactly the ones we chose (RFC 959 §5.3: commands end in CRLF).
 *
 * Rules kept here (after basic-ftp's FtpContext): one command at a time; every socket event goes
 * through the one idempotent `close()`, which keeps the first reason so later calls can say why the
 * connection ended; a timer runs only while a caller waits for a reply, and a timeout closes the
 * connection because its state is then unknown.
 */
import type net from 'node:net';
import { FtpSweepError, UsageError, errnoCode } from '../errors.js';
import { formatEndpoint, unmapIPv4 } from './address.js';
import { connectSocket, greetingError, upgradeToTls, type TlsSettings } from './connect.js';
import { ConnectionClosedError, ProtocolError, SessionRefusedError, StoppedError, TimeoutError, type Phase } from './errors.js';
import { parseReplies, replyKind, replyMessage, type Reply } from './replyParser.js';
import type { Redactor } from './secretSpellings.js';
import { Transcript, type TranscriptEntry } from './transcript.js';
import { monotonicMs } from '../clock.js';

export interface ControlOptions {
  readonly host: string;
  readonly port: number;
  /** Deadline for connecting and for each reply, in milliseconds. */
  readonly timeoutMs: number;
  /** A string that must never appear in the transcript or in replies (the password). */
  readonly secret?: string;
  /** Keep a transcript of the dialogue (for `ftpsweep probe`). Off in sweeps: it costs per line. */
  readonly transcript?: boolean;
  /** Stops connecting and waiting for the greeting at once (Ctrl-C), instead of after --timeout. */
  readonly signal?: AbortSignal;
}

/** The pause between the two segments of a split command: long enough to leave as two segments. */
const SPLIT_PAUSE_MS = 20;

export class ControlConnection {
  private socket: net.Socket;
  private readonly log: Transcript;
  private readonly queue: Reply[] = [];
  private rest = '';
  private reason: FtpSweepError | undefined;
  private waiter: { resolve: (reply: Reply) => void; reject: (error: FtpSweepError) => void; timer: NodeJS.Timeout } | undefined;
  private phase: Phase = 'connect';
  private greetedByReflector = false;
  private peerClosedAt: number | undefined;

  private constructor(
    socket: net.Socket,
    private readonly options: ControlOptions,
  ) {
    this.socket = socket;
    this.log = new Transcript(options.transcript === true, options.secret);
    socket.setNoDelay(true);
    this.attach(socket);
  }

  private readonly onSocketData = (chunk: Buffer): void => this.onData(chunk);
  private readonly onSocketError = (error: Error): void => {
    const reset = errnoCode(error) === 'ECONNRESET' || errnoCode(error) === 'EPIPE';
    this.closedByPeer(new ConnectionClosedError(this.phase, reset, `control connection to ${this.label}: ${error.message}`, error));
  };
  private readonly onSocketClose = (): void => this.closedByPeer(new ConnectionClosedError(this.phase, false, `control connection to ${this.label} was closed by the server`));

  private closedByPeer(reason: ConnectionClosedError): void {
    if (!this.reason) this.peerClosedAt = monotonicMs();
    this.close(reason);
  }

  private attach(socket: net.Socket): void {
    socket.on('data', this.onSocketData);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onSocketClose);
  }

  private detach(socket: net.Socket): void {
    socket.removeListener('data', this.onSocketData);
    socket.removeListener('error', this.onSocketError);
    socket.removeListener('close', this.onSocketClose);
  }

  /**
   * The TLS handshake on this connection, once the server agreed to AUTH TLS (login.ts, RFC 4217
   * §4). From here on an inspecting firewall sees only ciphertext.
   */
  async upgrade(settings: TlsSettings): Promise<void> {
    this.log.add('*', 'TLS handshake');
    const plain = this.socket;
    this.detach(plain);
    plain.on('error', () => undefined); // the TLS socket reports for it from now on
    let secured;
    try {
      secured = await upgradeToTls(plain, this.options.host, settings, this.options.timeoutMs);
    } catch (error) {
      this.close(error instanceof FtpSweepError ? error : undefined);
      throw error;
    }
    this.socket = secured;
    this.attach(secured);
    this.log.add('*', `${secured.getProtocol() ?? 'TLS'} established`);
  }

  /** Connects and waits for the greeting (220; a 120 "ready in nnn minutes" is waited through). */
  static async open(options: ControlOptions): Promise<ControlConnection> {
    const socket = await connectSocket(options);
    const connection = new ControlConnection(socket, options);
    const stop = (): void => connection.close(new StoppedError(connection.label));
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      let greeting = await connection.nextReply('greeting');
      while (greeting.code === 120) greeting = await connection.nextReply('greeting');
      connection.greetedByReflector = greeting.lines.some((line) => line.includes('ftpsweep-reflector'));
      if (greeting.code !== 220) {
        throw new SessionRefusedError(
          `${connection.label} refused the session: ${greeting.code} ${replyMessage(greeting)}`,
          'the server is not accepting FTP sessions now; check that it is an FTP server and not overloaded',
          greeting.code,
        );
      }
    } catch (error) {
      connection.close(error instanceof FtpSweepError ? error : undefined);
      throw error instanceof StoppedError ? error : greetingError(connection.label, error, options.timeoutMs);
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
    return connection;
  }

  get label(): string {
    return formatEndpoint(this.options.host, this.options.port);
  }
  /** The server's address as this connection sees it (EPSV offers a port there). */
  get remoteAddress(): string {
    return unmapIPv4(this.socket.remoteAddress ?? '');
  }
  /** Whether the greeting came from an ftpsweep reflector (it then echoes and takes SITE OFFER). */
  get isReflector(): boolean {
    return this.greetedByReflector;
  }
  /** Our address on this connection: what PORT advertises unless told otherwise. */
  get localAddress(): string {
    return this.socket.localAddress ?? '';
  }
  /** Both ends, client → server, as a firewall logs them (made on demand: sweeps never ask). */
  get ends(): { readonly from: string; readonly to: string } {
    return { from: formatEndpoint(this.socket.localAddress ?? '', this.socket.localPort ?? 0), to: formatEndpoint(this.socket.remoteAddress ?? '', this.socket.remotePort ?? 0) };
  }
  get closed(): boolean {
    return this.reason !== undefined;
  }
  /**
   * Whether replies arrived that nobody asked for yet (a `421` idle timeout before the close): a
   * command sent now would be paired with the wrong reply.
   */
  get hasUnreadReplies(): boolean {
    return this.queue.length > 0;
  }
  /** When the far side closed or reset the connection (monotonicMs()), if it was the far side. */
  get closedByPeerAt(): number | undefined {
    return this.peerClosedAt;
  }
  /** Why the connection ended (the first reason), if it has. */
  get closeReason(): FtpSweepError | undefined {
    return this.reason;
  }

  /**
   * Every line sent and received, with PASS masked: what `ftpsweep probe` prints for a ticket.
   * Empty unless the `transcript` option is on.
   */
  get transcript(): readonly TranscriptEntry[] {
    return this.log.entries;
  }

  /** Whether a transcript is kept: callers skip building notes when it is not. */
  get recording(): boolean {
    return this.log.recording;
  }

  /** Adds an event line (`*`) to the transcript. */
  note(text: string): void {
    this.log.add('*', text);
  }

  /** Sends one command line. CR, LF and NUL inside a command are refused (RFC 959 §5.3 framing). */
  send(command: string, shown: string = command): void {
    if (/[\r\n\0]/.test(command)) throw new UsageError(`refusing to send a command containing CR, LF or NUL: ${JSON.stringify(this.log.redact(shown))}`);
    if (this.reason) throw this.reason;
    this.log.add('>', shown);
    this.socket.write(`${command}\r\n`, 'latin1');
  }

  /**
   * The next reply (preliminary or final) in arrival order, waiting at most `timeoutMs`. Replies
   * that arrived before the call are returned first, so a `421` sent just before a close is not lost.
   */
  nextReply(phase: Phase, timeoutMs: number = this.options.timeoutMs): Promise<Reply> {
    this.phase = phase;
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.reason) return Promise.reject(this.reason);
    if (this.waiter) return Promise.reject(new ProtocolError('internal: two waits for a reply on one connection'));
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close(new TimeoutError(phase, timeoutMs, `control connection to ${this.label}`));
      }, timeoutMs);
      timer.unref();
      this.waiter = { resolve, reject, timer };
    });
  }

  /**
   * Sends bytes exactly as given — a syntax variant, a bare LF, two commands in one segment — in one
   * write, or in two TCP segments cut at byte `cut` with a short pause between them (Nagle is off,
   * so each write leaves as its own segment). `shown` is what the transcript records.
   */
  async sendRaw(bytes: Buffer, shown: string, cut?: number): Promise<void> {
    if (this.reason) throw this.reason;
    this.log.add('>', () => (cut === undefined ? shown : `${shown}   [in two segments, cut after byte ${cut}]`));
    if (cut === undefined || cut <= 0 || cut >= bytes.length) {
      this.socket.write(bytes);
      return;
    }
    this.socket.write(bytes.subarray(0, cut));
    await new Promise((resolve) => setTimeout(resolve, SPLIT_PAUSE_MS).unref());
    if (this.reason) throw this.reason;
    this.socket.write(bytes.subarray(cut));
  }

  /** Sends a command and waits for its reply. */
  async command(command: string, phase: Phase, shown?: string): Promise<Reply> {
    this.send(command, shown);
    return this.nextReply(phase);
  }

  /**
   * Ends the session: QUIT (RFC 959 §4.1.1), then our FIN. The 221 is not waited for — the server
   * closes after it anyway — so ending N connections costs no round trip. A server that never
   * closes its side is cut off after a second. Never throws; idempotent.
   */
  quit(): void {
    if (this.reason) return;
    this.send('QUIT');
    this.close(new ConnectionClosedError('quit', false, `control connection to ${this.label} was closed by ftpsweep (QUIT)`), 'end');
  }

  /**
   * The one close path: idempotent, keeps the first reason, fails a pending wait with it. `end`
   * lets what was written go out first (after QUIT); a peer that never closes its side is cut off
   * after a second.
   */
  close(reason?: FtpSweepError, how: 'destroy' | 'end' = 'destroy'): void {
    if (this.reason) return;
    this.reason = reason ?? new ConnectionClosedError(this.phase, false, `control connection to ${this.label} was closed by ftpsweep`);
    this.note(`closed: ${this.reason.message}`);
    if (how === 'destroy') {
      this.socket.destroy();
    } else {
      this.socket.end();
      const timer = setTimeout(() => this.socket.destroy(), 1000);
      this.socket.once('close', () => clearTimeout(timer));
    }
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.reject(this.reason);
    }
  }

  /** Masks the password in text made from replies, for people (replies themselves stay raw). */
  get redact(): Redactor {
    return this.log.redact;
  }

  private onData(chunk: Buffer): void {
    if (this.reason) return;
    let parsed;
    try {
      parsed = parseReplies(this.rest + chunk.toString('latin1'));
    } catch (error) {
      this.close(error instanceof FtpSweepError ? error : new ProtocolError(String(error)));
      return;
    }
    this.rest = parsed.rest;
    // Replies stay as they came: they are evidence, judged byte for byte (a short password also
    // occurs in echoes and addresses). Text made from them for people is masked where it is made.
    for (const line of parsed.stray) {
      this.log.add('<', line);
      // RFC 959 §4.2: outside a multi-line reply every line is a reply. Anything else means the
      // stream is not FTP (or no longer is): give up at once rather than wait out the timeout.
      if (line.trim() !== '') {
        this.close(new ProtocolError(`${this.label} sent a line that is not an FTP reply (RFC 959 §4.2): ${JSON.stringify(this.log.redact(line).slice(0, 60))}`));
        return;
      }
    }
    for (const reply of parsed.replies) {
      if (this.recording) for (const line of reply.lines) this.log.add('<', line);
      if (replyKind(reply.code) === 'invalid') {
        this.close(new ProtocolError(`${this.label} sent a reply code out of range (RFC 959 §4.2: 1xx..5xx): ${this.log.redact(reply.lines[0]!).slice(0, 80)}`));
        return;
      }
      this.deliver(reply);
    }
  }

  private deliver(reply: Reply): void {
    const waiter = this.waiter;
    if (!waiter) {
      this.queue.push(reply);
      return;
    }
    this.waiter = undefined;
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }
}
