/**
 * Holds data ports on a NAT's address, as another client behind the same NAT would.
 *
 * Linux's FTP helper keeps one expectation per control connection (the last PORT/EPRT it saw), and
 * nf_nat_ftp gives each expectation a port on the NAT address: the port the client asked for, or
 * another one when an expectation of another connection already holds that port for the same
 * server (FIELD-NOTES §5). The holder opens one control connection per port from `from` (an address
 * in namespace `ns`), logs in, sends `PORT <from>,p1,p2` (or `EPRT |2|<from>|port|` for an IPv6
 * `from`) and never asks for a listing: each expectation stays until `close()`. A sweep from
 * another client for the same ports then sees its commands remapped to other ports.
 *
 * The connections live in a child process (`ip netns exec ns node …`), stopped by its pid. The
 * expectations outlive `close()` for a while (until the firewall's conntrack drops the closed
 * connections): a test that needs a clean firewall afterwards builds a new topology.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';

export interface HeldPort {
  /** The port asked for (p1·256 + p2). */
  readonly port: number;
  /** The command sent, without its CRLF. */
  readonly sent: string;
  /** The server's whole reply to it (the reflector's says where it would connect). */
  readonly reply: string;
  readonly code: number;
}

export interface NatHolder {
  readonly pid: number;
  readonly held: readonly HeldPort[];
  /** Closes every held connection (the child exits), at most `deadlineMs` later it is killed. */
  close(deadlineMs?: number): Promise<void>;
}

export interface HoldOptions {
  /** The namespace the connections start in (the client namespace of the test topology). */
  readonly ns: string;
  /** The local address to connect from: the second client's. */
  readonly from: string;
  /** The FTP server, through the firewall. */
  readonly host: string;
  readonly port?: number;
  /** The data ports to hold, one control connection each (1024..65535). */
  readonly ports: readonly number[];
  readonly user?: string;
  readonly password?: string;
  /** Deadline for all connections to be held, in ms. */
  readonly timeoutMs?: number;
}

/**
 * The child: plain JavaScript (it runs under `node -e`, outside the test's TypeScript), one JSON
 * line per held port on stdout, then `{"ready":true}`; a failure is `{"error":…}` and exit 1.
 */
const CHILD = String.raw`
import net from 'node:net';
const o = JSON.parse(process.argv[1]);
const sockets = [];
const say = (x) => process.stdout.write(JSON.stringify(x) + '\n');
const fail = (message) => { say({ error: message }); for (const s of sockets) s.destroy(); process.exit(1); };
// A reset, not a FIN: the firewall forgets a reset connection (and its expectation) within 10 s,
// a closed one only after TIME_WAIT (2 minutes).
process.on('SIGTERM', () => { for (const s of sockets) s.resetAndDestroy(); process.exit(0); });
setTimeout(() => fail('not all ports held within ' + o.timeoutMs + ' ms'), o.timeoutMs).unref();

function replies(socket) {
  let buffer = '';
  let lines = [];
  const waiting = [];
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i).replace(/\r$/, '');
      buffer = buffer.slice(i + 1);
      lines.push(line);
      // RFC 959 section 4.2: the last line of a reply is "NNN " (a multi-line one starts "NNN-").
      if (/^\d{3} /.test(line) && (lines.length === 1 || lines[0].slice(0, 3) === line.slice(0, 3))) {
        const reply = { code: Number(line.slice(0, 3)), text: lines.join('\n') };
        lines = [];
        waiting.shift()?.(reply);
      }
    }
  });
  return () => new Promise((resolve) => waiting.push(resolve));
}

async function hold(port) {
  const socket = net.connect({ host: o.host, port: o.port, localAddress: o.from });
  sockets.push(socket);
  socket.on('error', (e) => fail(o.from + ' -> ' + o.host + ':' + o.port + ': ' + e.message));
  socket.on('close', () => fail('the server closed the connection holding port ' + port));
  const next = replies(socket);
  const send = (line) => { socket.write(line + '\r\n'); return next(); };
  const greeting = await next();
  if (greeting.code !== 220) fail('greeting: ' + greeting.text);
  let login = await send('USER ' + o.user);
  if (login.code === 331) login = await send('PASS ' + o.password);
  if (login.code !== 230) fail('login: ' + login.text);
  const sent = net.isIPv6(o.from)
    ? 'EPRT |2|' + o.from + '|' + port + '|'
    : 'PORT ' + o.from.split('.').join(',') + ',' + (port >> 8) + ',' + (port & 255);
  const reply = await send(sent);
  say({ port, sent, code: reply.code, reply: reply.text });
}

// One at a time: the order the expectations are made in is the order of o.ports.
for (const port of o.ports) await hold(port);
say({ ready: true });
`;

/** Opens the connections and resolves once every port is held (each answered by the server). */
export function holdNatPorts(options: HoldOptions): Promise<NatHolder> {
  for (const port of options.ports) {
    if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new RangeError(`cannot hold port ${port}: 1024..65535 only`);
  }
  if (net.isIP(options.from) === 0) throw new RangeError(`from must be an IP address, not ${options.from}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const config = {
    from: options.from,
    host: options.host,
    port: options.port ?? 21,
    ports: options.ports,
    user: options.user ?? 'anonymous',
    password: options.password ?? 'holder@',
    timeoutMs,
  };
  const child = spawn('ip', ['netns', 'exec', options.ns, process.execPath, '--input-type=module', '-e', CHILD, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const close = async (deadlineMs = 3000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    await exited;
    clearTimeout(killer);
  };
  return new Promise<NatHolder>((resolve, reject) => {
    const held: HeldPort[] = [];
    let stdout = '';
    let stderr = '';
    let settled = false;
    const give = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) void close().then(() => reject(error));
      else resolve({ pid: child.pid!, held, close });
    };
    // The child keeps its own deadline; this one covers a child that never starts.
    const timer = setTimeout(() => give(new Error(`holding ports ${options.ports.join(', ')}: no answer within ${timeoutMs + 2000} ms ${stderr}`)), timeoutMs + 2000);
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      let i: number;
      while ((i = stdout.indexOf('\n')) >= 0) {
        const line = stdout.slice(0, i);
        stdout = stdout.slice(i + 1);
        const message = JSON.parse(line) as { ready?: true; error?: string } & Partial<HeldPort>;
        if (message.error !== undefined) give(new Error(`holding ports from ${options.from}: ${message.error}`));
        else if (message.ready) give(undefined);
        else held.push({ port: message.port!, sent: message.sent!, reply: message.reply!, code: message.code! });
      }
    });
    child.once('close', (code, signal) => give(new Error(`the holder exited (${code ?? signal}) before holding every port: ${stderr.trim()}`)));
  });
}
