/**
 * A TCP proxy that behaves like the example broken DMZ firewall: its "FTP inspection" turns
 * `PORT 10,225,1,89,124,227` into `PORT 10,225,1,89,124,22_` for the last-octet values it is told
 * to corrupt (likewise an EPRT whose port ends in such a byte, and the server's 227/229 passive
 * offers), and passes everything else. `delayMs` adds latency to each direction (a long
 * link, for benchmarks); `refuseEvery` resets some new connections (a connection-rate limit). Only
 * the control connection is proxied; data connections go direct.
 */
import net from 'node:net';
import { listen, type RunningServer } from './listen.js';
import { formatEndpoint } from '../ftp/address.js';

export interface SimulatorOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly upstream: { readonly host: string; readonly port: number };
  /** Last-octet values whose PORT commands get their last character replaced by `_`. */
  readonly corrupt: readonly number[];
  /** Delay added to every chunk in each direction, in milliseconds. */
  readonly delayMs: number;
  /**
   * Reset every N-th new control connection at once, as a middlebox that limits new connections
   * does (ftp-proxy's `ForkLimit`, a connection-rate rule). 0 or undefined: refuse none.
   */
  readonly refuseEvery?: number;
  readonly log?: (line: string) => void;
}

/** Like an inspecting firewall, hold a partial line until its LF, but never more than this. */
const MAX_HELD_BYTES = 4096;
/** …nor longer than this, in milliseconds. */
const HOLD_MS = 50;

/**
 * Rewrites one client→server line (terminator included) the way the broken firewall does: a PORT
 * whose last octet, or an EPRT whose port's low byte, is in `corrupt` loses its last digit to `_`.
 */
export function corruptLine(line: string, corrupt: ReadonlySet<number>): string {
  const port = /^(PORT [^\r\n]*,)(\d+)(\r?\n)$/i.exec(line);
  if (port && corrupt.has(Number(port[2]) & 255)) return `${port[1]}${port[2]!.slice(0, -1)}_${port[3]}`;
  const eprt = /^(EPRT (.)[12]\2[^\r\n]*\2)(\d+)(\2\r?\n)$/i.exec(line);
  if (eprt && corrupt.has(Number(eprt[3]) & 255)) return `${eprt[1]}${eprt[3]!.slice(0, -1)}_${eprt[4]}`;
  return line;
}

/**
 * Rewrites one server→client line the same way: a 227 reply whose last number (PASV, RFC 959), or
 * a 229 reply whose port's low byte (EPSV, RFC 2428), is in `corrupt`.
 */
export function corruptReply(line: string, corrupt: ReadonlySet<number>): string {
  const pasv = /^(227 [^\r\n]*?\d+,\d+,\d+,\d+,\d+,)(\d+)([^\d\r\n][^\r\n]*|)(\r?\n)$/.exec(line);
  if (pasv && corrupt.has(Number(pasv[2]) & 255)) return `${pasv[1]}${pasv[2]!.slice(0, -1)}_${pasv[3]}${pasv[4]}`;
  const epsv = /^(229 [^\r\n]*\((.)\2\2)(\d+)(\2\)[^\r\n]*\r?\n)$/.exec(line);
  if (epsv && corrupt.has(Number(epsv[3]) & 255)) return `${epsv[1]}${epsv[3]!.slice(0, -1)}_${epsv[4]}`;
  return line;
}

/**
 * Line-wise rewriting of one direction, as an inspecting firewall reads it. A partial line is held
 * back only while it could still become a line worth rewriting (`candidate`), and never more than
 * 4 KiB or 50 ms; anything else — other commands, TLS records after AUTH TLS — passes at once.
 */
function lineRewriter(rewrite: (line: string) => string, candidate: RegExp, out: (chunk: Buffer) => void): { data(chunk: Buffer): void; end(): void } {
  let held = '';
  let midLine = false; // the start of the current line was already passed on unexamined
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (held) {
      out(Buffer.from(held, 'latin1'));
      midLine = true;
    }
    held = '';
  };
  return {
    data(chunk) {
      clearTimeout(timer);
      let text = held + chunk.toString('latin1');
      held = '';
      let passed = '';
      for (let lf = text.indexOf('\n'); lf !== -1; lf = text.indexOf('\n')) {
        const line = text.slice(0, lf + 1);
        passed += midLine ? line : rewrite(line);
        midLine = false;
        text = text.slice(lf + 1);
      }
      if (text && !midLine && candidate.test(text) && text.length <= MAX_HELD_BYTES) {
        held = text;
        timer = setTimeout(flush, HOLD_MS);
      } else if (text) {
        passed += text;
        midLine = true;
      }
      if (passed) out(Buffer.from(passed, 'latin1'));
    },
    end() {
      flush();
    },
  };
}

/** Partial lines that may still turn into a PORT/EPRT command, or a 227/229 reply. */
const COMMAND_PREFIX = /^(?:p(?:o(?:r(?:t(?: .*)?)?)?)?|e(?:p(?:r(?:t(?: .*)?)?)?)?)$/is;
const REPLY_PREFIX = /^(?:2(?:2(?:[79](?: .*)?)?)?)$/s;

/**
 * Starts the simulated firewall on `host:port` (port 0: a free one, read it from the handle),
 * forwarding control connections to `upstream`. Resolves once it listens; `close()` stops it and
 * every connection it holds. Throws LocalError when it cannot listen.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningServer> {
  const corrupt = new Set(options.corrupt);
  let nextId = 1;

  const server = net.createServer((client) => {
    const id = nextId++;
    if (options.refuseEvery && id % options.refuseEvery === 0) {
      options.log?.(`#${id} ${formatEndpoint(client.remoteAddress ?? '?', client.remotePort ?? 0)} refused (every ${options.refuseEvery}th connection)`);
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(options.upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    options.log?.(`#${id} ${formatEndpoint(client.remoteAddress ?? '?', client.remotePort ?? 0)} -> ${formatEndpoint(options.upstream.host, options.upstream.port)}`);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    // One side closed: the other goes too, once what is still delayed for it has gone out (the
    // reflector's 221 to QUIT was dropped on a delayed link).
    const closeLater = (): void => void (options.delayMs > 0 ? setTimeout(closeBoth, options.delayMs + 1) : closeBoth());
    client.on('close', closeLater);
    upstream.on('close', closeLater);

    const toServer = delayed(upstream, options.delayMs);
    const toClient = delayed(client, options.delayMs);
    // Nothing to corrupt: a plain (delaying) proxy, like a firewall without FTP inspection.
    const inspect = corrupt.size > 0;
    const up = lineRewriter((line) => corruptLine(line, corrupt), COMMAND_PREFIX, (chunk) => toServer.write(chunk));
    const down = lineRewriter((line) => corruptReply(line, corrupt), REPLY_PREFIX, (chunk) => toClient.write(chunk));
    client.on('data', (chunk: Buffer) => (inspect ? up.data(chunk) : toServer.write(chunk)));
    client.on('end', () => {
      up.end();
      toServer.end();
    });
    upstream.on('data', (chunk: Buffer) => (inspect ? down.data(chunk) : toClient.write(chunk)));
    upstream.on('end', () => {
      down.end();
      toClient.end();
    });
  });

  return listen(server, options.host, options.port);
}

/**
 * Writes to `socket` after `delayMs`. Timers of equal duration fire in the order they were set
 * (Node keeps one FIFO list per duration), so the byte order is preserved.
 */
function delayed(socket: net.Socket, delayMs: number): { write(chunk: Buffer): void; end(): void } {
  const later = (fn: () => void): void => {
    if (delayMs <= 0) fn();
    else setTimeout(fn, delayMs);
  };
  return {
    write: (chunk) => later(() => !socket.destroyed && socket.write(chunk)),
    end: () => later(() => !socket.destroyed && socket.end()),
  };
}
