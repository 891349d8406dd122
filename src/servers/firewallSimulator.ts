/**
 * A TCP proxy that behaves like the seed's broken DMZ firewall: its "FTP inspection" turns
 * `PORT 10,225,1,89,124,227` into `PORT 10,225,1,89,124,22_` for the last-octet values it is told
 * to corrupt (and an EPRT whose port ends in such a byte likewise), and passes everything else. `delayMs` adds latency to each direction (a long
 * link, for benchmarks). Only the control connection is proxied; data connections go direct.
 */
import net from 'node:net';
import { listen, type RunningServer } from './listen.js';

export interface SimulatorOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly upstream: { readonly host: string; readonly port: number };
  /** Last-octet values whose PORT commands get their last character replaced by `_`. */
  readonly corrupt: readonly number[];
  /** Delay added to every chunk in each direction, in milliseconds. */
  readonly delayMs: number;
  readonly log?: (line: string) => void;
}

/** Like an inspecting firewall, hold a partial line until its LF, but never more than this. */
const MAX_HELD_BYTES = 4096;

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

export async function startSimulator(options: SimulatorOptions): Promise<RunningServer> {
  const corrupt = new Set(options.corrupt);
  let nextId = 1;

  const server = net.createServer((client) => {
    const id = nextId++;
    const upstream = net.connect(options.upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    options.log?.(`#${id} ${client.remoteAddress}:${client.remotePort} -> ${options.upstream.host}:${options.upstream.port}`);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);

    const toServer = delayed(upstream, options.delayMs);
    const toClient = delayed(client, options.delayMs);
    let held = '';
    client.on('data', (chunk: Buffer) => {
      // Nothing to corrupt: a plain (delaying) proxy, like a firewall without FTP inspection.
      if (corrupt.size === 0) return toServer.write(chunk);
      held += chunk.toString('latin1');
      let out = '';
      for (let lf = held.indexOf('\n'); lf !== -1; lf = held.indexOf('\n')) {
        out += corruptLine(held.slice(0, lf + 1), corrupt);
        held = held.slice(lf + 1);
      }
      if (held.length > MAX_HELD_BYTES) {
        out += held;
        held = '';
      }
      if (out) toServer.write(Buffer.from(out, 'latin1'));
    });
    client.on('end', () => {
      if (held) toServer.write(Buffer.from(held, 'latin1'));
      toServer.end();
    });
    upstream.on('data', (chunk: Buffer) => toClient.write(chunk));
    upstream.on('end', () => toClient.end());
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
