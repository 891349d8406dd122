/**
 * A small FTP server core for the servers we write (the reflector, test peers): line framing with the
 * rest carried across chunks, a verb registry, and the same checks for every verb before its handler
 * (after ftp-srv's dispatcher: unknown → 502, needs login → 530). Commands on one connection are
 * handled strictly one after another, even when a client pipelines them.
 */
import net from 'node:net';
import tls from 'node:tls';
import { formatEndpoint, unmapIPv4 } from '../ftp/address.js';
import { echoTag } from '../ftp/echo.js';
import type { DataAddress } from '../ftp/portCommand.js';
import { splitCommand } from '../ftp/portCommand.js';
import { Admission, DEFAULT_LIMITS, type ServerLimits } from './admission.js';
import { LineFramer, type FramedLine } from './lineFramer.js';
import { listen, type RunningServer } from './listen.js';

export type { RunningServer } from './listen.js';

export interface Session {
  readonly id: number;
  /** The control connection's peer: the only address data connections go to (RFC 2577). */
  readonly peerAddress: string;
  readonly localAddress: string;
  user: string | undefined;
  loggedIn: boolean;
  /** Refused logins on this connection. */
  loginFailures: number;
  /** Where the next data connection goes (set by PORT/EPRT), and the command that set it. */
  dataTarget: { readonly address: DataAddress; readonly line: string; readonly raw: Buffer } | undefined;
  /** A passive listener waiting for the client's data connection (set by PASV/EPSV). */
  passive: PassiveListener | undefined;
  /** Listening already for the next PASV/EPSV to offer (the reflector's `SITE OFFER`). */
  offer: PassiveListener | undefined;
  /** The exact bytes of the command being handled, terminator included. */
  readonly raw: Buffer;
  /** Sends a reply; `text` with '\n' becomes a multi-line reply (RFC 959 §4.2). */
  reply(code: number, text: string): void;
  /** Writes bytes as they are, no reply framing: for test peers that misbehave on purpose. */
  send(bytes: string | Buffer): void;
  /** Closes the control connection after pending replies are written. */
  end(): void;
  /** A line for the server's log, naming this connection. */
  log(text: string): void;
  /** Resets the control connection (TCP RST), as a firewall that kills a session would. */
  abort(): void;
  /** Whether the control connection is under TLS (after AUTH TLS). */
  readonly secured: boolean;
  /** Whether the control connection is gone (closed by either side). */
  readonly closed: boolean;
  /** Whether this server has a certificate, i.e. can do AUTH TLS. */
  readonly tlsAvailable: boolean;
  /**
   * Starts the server side of the TLS handshake on this connection (RFC 4217 §4), right after the
   * 234 reply. False when the server has no certificate.
   */
  startTls(): boolean;
}

export interface PassiveListener {
  readonly address: DataAddress;
  /** The first data connection from the client, or a rejection after the deadline. */
  connection(timeoutMs: number): Promise<net.Socket>;
  close(): void;
}

export interface Verb {
  readonly directive: string;
  readonly needsLogin: boolean;
  readonly syntax: string;
  readonly description: string;
  /**
   * The feature FEAT lists for it (RFC 2389), if it is an extension of RFC 959: `EPRT`, `AUTH TLS`
   * … With `needsTls`, only where the server has a certificate.
   */
  readonly feature?: { readonly name: string; readonly needsTls?: boolean };
  handler(session: Session, argument: string): void | Promise<void>;
}

export interface FtpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly verbs: readonly Verb[];
  readonly greeting: string;
  /** Append `[ftpsweep-echo HEX]` of the received command to every reply (the reflector). */
  readonly echo: boolean;
  /** Connection, idle, line and data limits (admission.ts); default DEFAULT_LIMITS. */
  readonly limits?: Partial<ServerLimits>;
  /** Certificate and key for AUTH TLS; without them AUTH is refused. */
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly log?: (line: string) => void;
}

/** Starts the server and resolves once it listens. */
export async function startFtpServer(options: FtpServerOptions): Promise<RunningServer> {
  const registry = new Map(options.verbs.map((verb) => [verb.directive, verb]));
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const admission = new Admission(limits);
  let nextId = 1;
  const server = net.createServer((socket) => {
    const id = nextId++;
    const address = unmapIPv4(socket.remoteAddress ?? '');
    socket.on('error', () => undefined);
    const refusal = admission.admit(address);
    if (refusal) {
      options.log?.(`#${id} refused ${formatEndpoint(address, socket.remotePort ?? 0)}: ${refusal}`);
      socket.end(`421 ${refusal}\r\n`);
      return;
    }
    socket.on('close', () => admission.leave(address));
    serveConnection(socket, id, registry, options, limits);
  });
  return listen(server, options.host, options.port);
}

/** A timer to start, restart and stop; it never keeps the process alive. */
function deadline(ms: number, fire: () => void): { restart(): void; start(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  const restart = (): void => {
    stop();
    timer = setTimeout(fire, ms).unref();
  };
  return { restart, stop, start: () => void (timer ?? restart()) };
}

/**
 * One control connection: the session, its line framing, its command queue and two timers. Idle
 * means no complete command (bytes trickled one a second used to keep a connection forever), and a
 * command line must arrive whole within `lineTimeoutMs` of its first byte.
 */
function serveConnection(socket: net.Socket, id: number, registry: ReadonlyMap<string, Verb>, options: FtpServerOptions, limits: ServerLimits): void {
  options.log?.(`#${id} connection from ${formatEndpoint(socket.remoteAddress ?? '?', socket.remotePort ?? 0)}`);
  socket.setNoDelay(true);
  const lines = new LineFramer(limits.maxLineBytes);
  const onData = (chunk: Buffer): void => {
    const framed = lines.push(chunk);
    if (framed.length > 0) idle.restart();
    if (lines.partial) slowLine.start();
    else slowLine.stop();
    queue.push(framed);
  };
  const session = openSession(socket, id, options, onData, () => lines.reset());
  let closing = '';
  /** 421 and close (RFC 959 §4.2), for a reason the log keeps. */
  const dismiss = (reason: string): void => {
    closing = reason;
    session.reply(421, `${reason}, closing control connection`);
    session.end();
  };
  const queue = new CommandQueue(session, registry, limits, dismiss);
  const idle = deadline(limits.idleTimeoutMs, () => dismiss(`Idle for ${limits.idleTimeoutMs / 1000} s`));
  const slowLine = deadline(limits.lineTimeoutMs, () => dismiss(`No command line arrived whole within ${limits.lineTimeoutMs / 1000} s`));
  idle.restart();
  socket.on('close', () => {
    idle.stop();
    slowLine.stop();
    session.passive?.close();
    session.offer?.close();
    options.log?.(`#${id} closed${closing ? `: ${closing}` : ''}`);
  });
  socket.on('data', onData);
  session.reply(220, options.greeting);
}

/**
 * The session a verb handler works with. Replies go out on the control stream: the socket, or the
 * TLS socket over it once AUTH TLS started (RFC 4217 §4), which then delivers the commands too.
 */
function openSession(socket: net.Socket, id: number, options: FtpServerOptions, onData: (chunk: Buffer) => void, forgetPartialLine: () => void): Session & { raw: Buffer } {
  let stream: net.Socket = socket;
  let secured = false;
  const session: Session & { raw: Buffer } = {
    id,
    peerAddress: unmapIPv4(socket.remoteAddress ?? ''),
    localAddress: unmapIPv4(socket.localAddress ?? ''),
    user: undefined,
    loggedIn: false,
    loginFailures: 0,
    dataTarget: undefined,
    passive: undefined,
    offer: undefined,
    raw: Buffer.alloc(0),
    reply(code, text) {
      if (stream.destroyed) return;
      const lines = text.split('\n');
      const tag = options.echo && session.raw.length > 0 ? ` ${echoTag(maskPassword(session.raw))}` : '';
      const out = lines.map((line, i) => (i === lines.length - 1 ? `${code} ${line}${tag}` : i === 0 ? `${code}-${line}` : ` ${line}`));
      stream.write(`${out.join('\r\n')}\r\n`, 'latin1');
    },
    send(bytes) {
      if (!stream.destroyed) stream.write(bytes);
    },
    end() {
      stream.end();
    },
    log(text) {
      options.log?.(`#${id} ${text}`);
    },
    abort() {
      socket.resetAndDestroy();
    },
    get secured() {
      return secured;
    },
    get closed() {
      return socket.destroyed;
    },
    tlsAvailable: options.tls !== undefined,
    startTls() {
      if (!options.tls || secured) return false;
      socket.removeListener('data', onData);
      forgetPartialLine(); // anything pipelined after AUTH was meant to be encrypted
      const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: tls.createSecureContext(options.tls) });
      secure.on('error', () => secure.destroy());
      secure.on('data', onData);
      stream = secure;
      secured = true;
      return true;
    },
  };
  return session;
}

/**
 * Commands handled one at a time, in order, even when a client pipelines them; `null` stands for an
 * over-long line, answered in its place (500), and the limit's worth of them ends the session.
 */
class CommandQueue {
  private readonly queue: FramedLine[] = [];
  private busy = false;
  private longLines = 0;

  constructor(
    private readonly session: Session & { raw: Buffer },
    private readonly registry: ReadonlyMap<string, Verb>,
    private readonly limits: ServerLimits,
    private readonly dismiss: (reason: string) => void,
  ) {}

  push(lines: readonly FramedLine[]): void {
    this.queue.push(...lines);
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const { session, limits } = this;
    while (this.queue.length > 0 && !session.closed) {
      const next = this.queue.shift()!;
      session.raw = next ?? Buffer.alloc(0);
      if (next === null && ++this.longLines >= limits.maxLongLines) this.dismiss(`${this.longLines} command lines over ${limits.maxLineBytes} bytes`);
      else if (next === null) session.reply(500, `Command line too long (over ${limits.maxLineBytes} bytes)`);
      else await dispatch(session, next, this.registry).catch((error: unknown) => session.reply(451, `Local error: ${(error as Error).message}`));
    }
    this.busy = false;
  }
}

/**
 * The one exception to echoing exact bytes: PASS, whose argument is masked — a reflector in a DMZ
 * must not hand a password back, not even in hex, to whoever reads the reply.
 */
function maskPassword(raw: Buffer): Buffer {
  const match = /^(pass )[^\r\n]*(\r?\n?)$/i.exec(raw.toString('latin1'));
  return match ? Buffer.from(`${match[1]}****${match[2]}`, 'latin1') : raw;
}

async function dispatch(session: Session, raw: Buffer, registry: ReadonlyMap<string, Verb>): Promise<void> {
  let text = raw.toString('latin1');
  text = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  const { verb, argument } = splitCommand(text);
  const entry = registry.get(verb);
  if (text.includes('\0')) return session.reply(500, 'Command refused: it contains NUL');
  if (!entry) return session.reply(502, `Command not implemented: ${verb.replace(/[^\x21-\x7e]/g, '?').slice(0, 20)}`);
  if (entry.needsLogin && !session.loggedIn) return session.reply(530, 'Please log in with USER and PASS first');
  await entry.handler(session, argument);
}
