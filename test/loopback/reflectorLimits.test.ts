/**
 * The reflector, safe to expose: each limit has a test, and a load test shows it keeps answering a
 * well-behaved sweep while refusing a flood from another address. Loopback only: 127.0.0.2 plays
 * the other address (the whole 127/8 is this host).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackOptions, valuesNot } from '../helpers/sweep.js';
import { ControlConnection } from '../../src/ftp/controlConnection.js';
import { login } from '../../src/ftp/login.js';
import { formatPortArgument } from '../../src/ftp/portCommand.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector, type ReflectorOptions } from '../../src/servers/reflector.js';
import { runSweep } from '../../src/sweep/sweep.js';

const running: RunningServer[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function reflector(options: Partial<ReflectorOptions> = {}): Promise<RunningServer> {
  const server = await startReflector({ host: '127.0.0.1', port: 0, ...options });
  running.push(server);
  return server;
}

/** A raw connection (from `from`), resolving with its first line once it arrives. */
function rawClient(port: number, from = '127.0.0.1'): Promise<{ socket: net.Socket; first: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from });
    sockets.push(socket);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      const lf = text.indexOf('\n');
      if (lf !== -1) resolve({ socket, first: text.slice(0, lf), closed });
    });
    socket.on('error', reject);
    setTimeout(() => reject(new Error('no first line within 3 s')), 3000).unref();
  });
}

/** Collects what a raw client receives until it closes (bounded). */
function untilClosed(socket: net.Socket, ms = 3000): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.once('close', () => resolve(text));
    setTimeout(() => resolve(`${text}(still open)`), ms).unref();
  });
}

describe('reflector limits', () => {
  it('at most --max-connections at once: the next one gets 421 and is closed', async () => {
    // The reflector's log says when it has let a connection go: the slot is free from then on.
    const closedIds: string[] = [];
    const waiters: (() => void)[] = [];
    const log = (line: string): void => {
      const closed = /^#(\d+) closed/.exec(line);
      if (closed) closedIds.push(closed[1]!), waiters.splice(0).forEach((w) => w());
    };
    const released = async (id: string): Promise<void> => {
      const until = Date.now() + 3000;
      while (!closedIds.includes(id) && Date.now() < until) await new Promise<void>((resolve) => (waiters.push(resolve), setTimeout(resolve, until - Date.now()).unref()));
    };
    const server = await reflector({ limits: { maxConnections: 3 }, log });
    const admitted: Awaited<ReturnType<typeof rawClient>>[] = [];
    for (let i = 0; i < 3; i++) admitted.push(await rawClient(server.port));
    expect(admitted.every((c) => c.first.startsWith('220 '))).toBe(true);
    const refused = await rawClient(server.port);
    expect(refused.first).toMatch(/^421 Too many connections \(3\)/);
    await refused.closed;
    // A slot freed is a slot to take.
    admitted[0]!.socket.destroy();
    await released('1');
    expect(closedIds).toContain('1');
    expect((await rawClient(server.port)).first).toMatch(/^220 /);
  });

  it('at most --max-per-address from one address; another address still gets in', async () => {
    const server = await reflector({ limits: { maxPerAddress: 2 } });
    await rawClient(server.port);
    await rawClient(server.port);
    expect((await rawClient(server.port)).first).toMatch(/^421 Too many connections from 127\.0\.0\.1 \(2\)/);
    expect((await rawClient(server.port, '127.0.0.2')).first).toMatch(/^220 /);
  });

  it('a connection silent for --idle-timeout is told so and closed', async () => {
    const server = await reflector({ limits: { idleTimeoutMs: 300 } });
    const client = await rawClient(server.port);
    const started = performance.now();
    const rest = await untilClosed(client.socket);
    expect(rest).toMatch(/^421 Idle for 0\.3 s, closing control connection/);
    expect(performance.now() - started).toBeGreaterThan(250);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('an over-long line gets 500; repeated abuse closes the connection', async () => {
    const server = await reflector({ limits: { maxLineBytes: 64, maxLongLines: 3 } });
    const client = await rawClient(server.port);
    const long = `NOOP ${'x'.repeat(100)}\r\n`;
    client.socket.write(long + long + 'NOOP\r\n' + long);
    const rest = await untilClosed(client.socket);
    expect(rest.match(/^500 Command line too long \(over 64 bytes\)/gm)).toHaveLength(2);
    expect(rest).toMatch(/^200 OK/m); // the well-formed NOOP in between was still answered
    expect(rest).toMatch(/^421 3 command lines over 64 bytes, closing control connection/m);
  });

  it('commands with NUL are refused', async () => {
    const server = await reflector();
    const client = await rawClient(server.port);
    client.socket.write('NO\0OP\r\nQUIT\r\n');
    expect(await untilClosed(client.socket)).toMatch(/^500 Command refused: it contains NUL/m);
  });

  it('RFC 2577: no connection to another host, nor to a port below 1024', async () => {
    const server = await reflector();
    const connection = await ControlConnection.open({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
    try {
      await login(connection, 'anonymous', 'x@');
      const foreign = await connection.command('PORT 127,0,0,2,100,1', 'port-reply');
      expect(foreign.code).toBe(501);
      expect(foreign.lines[0]).toMatch(/only to this connection's peer 127\.0\.0\.1 \(RFC 2577/);
      const privileged = await connection.command('PORT 127,0,0,1,0,21', 'port-reply');
      expect(privileged.code).toBe(501);
      expect(privileged.lines[0]).toMatch(/privileged port 21/);
    } finally {
      connection.quit();
    }
  });

  it('an active listing connects before its 150: a refused port gets a plain 425', async () => {
    const server = await reflector();
    const connection = await ControlConnection.open({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
    // A port nobody listens on: bound by the kernel, then released.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    try {
      await login(connection, 'anonymous', 'x@');
      expect((await connection.command(`PORT ${formatPortArgument('127.0.0.1', closedPort >> 8, closedPort & 255)}`, 'port-reply')).code).toBe(200);
      const refused = await connection.command('NLST', 'list-reply');
      expect(refused.code).toBe(425);
      expect(refused.lines[0]).toMatch(/Cannot open data connection to 127\.0\.0\.1:\d+/);
      // The control channel is still in step: the next command gets its own reply.
      expect((await connection.command('NOOP', 'login')).code).toBe(200);
    } finally {
      connection.quit();
    }
  });

  it('a client sending data on a data connection is cut off past --max-data', async () => {
    const server = await reflector({ limits: { maxDataBytes: 1024 } });
    const connection = await ControlConnection.open({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
    try {
      await login(connection, 'anonymous', 'x@');
      const offer = await connection.command('PASV', 'port-reply');
      const [p1, p2] = /,(\d+),(\d+)\)/.exec(offer.lines[0]!)!.slice(1).map(Number) as [number, number];
      const data = net.connect({ host: '127.0.0.1', port: p1 * 256 + p2 });
      sockets.push(data);
      await new Promise((r) => data.once('connect', r));
      const closed = new Promise<void>((r) => data.once('close', () => r()));
      data.on('error', () => undefined);
      for (let i = 0; i < 8 && !data.destroyed; i++) data.write(Buffer.alloc(1024, 1));
      const started = performance.now();
      await closed;
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      connection.quit();
    }
  });
});

describe('slowloris: idle means no complete command, and a line must arrive whole in time', () => {
  /** Sends `bytes` one at a time, `everyMs` apart, until the connection closes (bounded by the test). */
  function trickle(socket: net.Socket, bytes: string, everyMs: number): void {
    let i = 0;
    const timer = setInterval(() => (socket.destroyed || i >= bytes.length ? clearInterval(timer) : socket.write(bytes[i++]!)), everyMs);
    timer.unref();
  }

  it('a command line trickled a byte at a time is cut at --line-timeout', async () => {
    const server = await reflector({ limits: { lineTimeoutMs: 300 } });
    const client = await rawClient(server.port);
    const started = performance.now();
    trickle(client.socket, 'NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP\r\n', 60);
    const rest = await untilClosed(client.socket);
    expect(rest).toMatch(/^421 No command line arrived whole within 0\.3 s, closing control connection/m);
    expect(performance.now() - started).toBeGreaterThan(250);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('bytes that finish no command do not keep a connection: it is idle at --idle-timeout', async () => {
    // Each byte ends a line of its own too late to matter: only whole commands reset the clock.
    const server = await reflector({ limits: { idleTimeoutMs: 400, lineTimeoutMs: 10_000 } });
    const client = await rawClient(server.port);
    const started = performance.now();
    trickle(client.socket, 'x'.repeat(100), 50);
    const rest = await untilClosed(client.socket);
    expect(rest).toMatch(/^421 Idle for 0\.4 s, closing control connection/m);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('two sources flooding cannot take every connection: the last ones are kept for other addresses', async () => {
    const server = await reflector({ limits: { maxConnections: 20, maxPerAddress: 10, reserve: 8 } });
    const flood = async (from: string): Promise<number> => {
      let admitted = 0;
      for (let i = 0; i < 20; i++) if ((await rawClient(server.port, from)).first.startsWith('220 ')) admitted++;
      return admitted;
    };
    expect(await flood('127.0.0.1')).toBe(10);
    expect(await flood('127.0.0.2')).toBe(4); // 2 before the reserve, then a fair share of 4 in all
    const third = await rawClient(server.port, '127.0.0.3');
    expect(third.first).toMatch(/^220 /);
    const refused = await rawClient(server.port, '127.0.0.2');
    expect(refused.first).toMatch(/^421 Too many connections from 127\.0\.0\.2 \(4\): the last 8 are kept for other addresses/);
  });
});

describe('password guessing', () => {
  it('each refused login waits, the third closes the connection, each is logged with its source; a source that keeps failing waits longer', async () => {
    const log: string[] = [];
    const server = await reflector({ credentials: { user: 'deploy', password: 'right' }, limits: { loginDelayMs: 100 }, log: (line) => log.push(line) });
    /** One wrong guess: how long its 530 took, and what came with it. */
    const guess = async (socket: net.Socket, password: string): Promise<{ ms: number; text: string }> => {
      const started = performance.now();
      socket.write(`USER deploy\r\nPASS ${password}\r\n`);
      const text = await new Promise<string>((resolve) => {
        let got = '';
        const onData = (d: Buffer): void => {
          got += d.toString('latin1');
          if (/^530 /m.test(got)) (socket.off('data', onData), resolve(got));
        };
        socket.on('data', onData);
      });
      return { ms: performance.now() - started, text };
    };
    const client = await rawClient(server.port);
    const closed = untilClosed(client.socket);
    const guesses = [await guess(client.socket, 'a'), await guess(client.socket, 'b'), await guess(client.socket, 'c')];
    for (const { ms } of guesses) expect(ms).toBeGreaterThanOrEqual(90);
    expect(await closed).toMatch(/^530 Login incorrect[\s\S]*^421 3 failed logins, closing control connection/m);
    expect(log.filter((line) => /login failed for user "deploy" from 127\.0\.0\.1 \(\d of 3 on this connection\)/.test(line))).toHaveLength(3);
    // A new connection from the same source: three failures are behind it, so it waits twice as long.
    const again = await rawClient(server.port);
    expect((await guess(again.socket, 'd')).ms).toBeGreaterThanOrEqual(190);
    // The right password still works, and forgets the source's failures.
    again.socket.write('USER deploy\r\nPASS right\r\n');
    expect(await untilClosed(again.socket, 500)).toMatch(/^230 Logged in/m);
  });
});

describe('password guessing over many connections at once', () => {
  it('a source\'s refusals come one after another: 9 parallel guesses take as long as 9 in a row', async () => {
    const server = await reflector({ credentials: { user: 'deploy', password: 'right' }, limits: { loginDelayMs: 40 } });
    const started = performance.now();
    const clients = await Promise.all(Array.from({ length: 9 }, () => rawClient(server.port, '127.0.0.6')));
    const answered = clients.map(async (client) => {
      client.socket.write('USER deploy\r\nPASS wrong\r\n');
      await new Promise<void>((resolve) => {
        let got = '';
        client.socket.on('data', (d: Buffer) => {
          got += d.toString('latin1');
          if (/^530 /m.test(got)) resolve();
        });
      });
      return performance.now() - started;
    });
    const times = (await Promise.all(answered)).sort((a, b) => a - b);
    for (const c of clients) c.socket.destroy();
    // 3 × 40 + 3 × 80 + 3 × 160 ms: the doubling counts the source's failures, whichever connection.
    expect(times.at(-1)!).toBeGreaterThanOrEqual(3 * 40 + 3 * 80 + 3 * 160 - 20);
    expect(times[0]!).toBeLessThan(200);
  });
});

describe('load', () => {
  it('a flood of 200 connections from one address is refused beyond its share, while a sweep from another passes', async () => {
    const server = await reflector({ limits: { maxConnections: 40, maxPerAddress: 10 } });
    const started = performance.now();
    const flood = Array.from({ length: 200 }, () => rawClient(server.port, '127.0.0.2').then((c) => c.first, (e: Error) => `error ${e.message}`));
    const sweep = runSweep(loopbackOptions(server.port, { values: Array.from({ length: 64 }, (_, v) => v), concurrency: 4 }));
    const [firsts, outcome] = await Promise.all([Promise.all(flood), sweep]);
    expect(firsts.filter((l) => l.startsWith('220 '))).toHaveLength(10);
    expect(firsts.filter((l) => l.startsWith('421 '))).toHaveLength(190);
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
