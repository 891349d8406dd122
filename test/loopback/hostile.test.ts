/**
 * Peers that misbehave, each started and stopped by its test: the sweep must end every time in the
 * right verdict or a clear error, within the deadline its options imply, with bounded memory.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMisbehavingPeer } from '../helpers/peers.js';
import { loopbackOptions, valuesNot } from '../helpers/sweep.js';
import { type SweepOptions } from '../../src/config/settings.js';
import { ConnectError, LoginError, ProtocolError } from '../../src/ftp/errors.js';
import { connectBack } from '../../src/servers/dataConnection.js';
import type { Session } from '../../src/servers/ftpServer.js';
import { listen, type RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';
import { probeOnce } from '../../src/sweep/probeOnce.js';
import { runSweep, sweepDeadlineMs } from '../../src/sweep/sweep.js';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
async function track(server: Promise<RunningServer>): Promise<RunningServer> {
  const s = await server;
  running.push(s);
  return s;
}

/** A raw TCP peer: `serve` gets each connection. */
function rawPeer(serve: (socket: net.Socket) => void): Promise<RunningServer> {
  return track(
    listen(
      net.createServer((socket) => {
        socket.on('error', () => undefined);
        serve(socket);
      }),
      '127.0.0.1',
      0,
    ),
  );
}

/** Short deadlines, few values: the misbehaviour is at value 2. */
function options(port: number, overrides: Partial<SweepOptions> = {}): SweepOptions {
  return loopbackOptions(port, { values: [1, 2, 3], timeoutMs: 400, confirm: 1, ...overrides });
}

/** Runs the sweep and checks it ended within the deadline its options imply. */
async function boundedSweep(opts: SweepOptions) {
  const started = performance.now();
  try {
    return await runSweep(opts);
  } finally {
    expect(performance.now() - started).toBeLessThan(sweepDeadlineMs(opts));
  }
}

/** The reflector, except at PORT …,2 where `misbehave` runs instead. */
function misbehavingAt2(misbehave: (s: Session, answer: () => void) => void): Promise<RunningServer> {
  return track(startMisbehavingPeer([2], misbehave));
}

describe('peers that never get going', () => {
  it('no greeting at all: a ConnectError, after --timeout', async () => {
    const peer = await rawPeer(() => undefined);
    const opts = options(peer.port);
    const started = performance.now();
    await expect(runSweep(opts)).rejects.toThrow(ConnectError);
    await expect(runSweep(opts)).rejects.toThrow(/sent no FTP greeting within 400 ms/);
    expect(performance.now() - started).toBeLessThan(2 * 400 + 1000);
  });

  it('a greeting sent byte by byte, slowly: parsed whole, and the sweep works', async () => {
    const reflector = await track(startReflector({ host: '127.0.0.1', port: 0 }));
    // In front of the reflector: its greeting is swapped for one that trickles in a byte at a time.
    const peer = await rawPeer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: reflector.port });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      let greeted = false;
      upstream.on('data', (chunk: Buffer) => {
        if (greeted) return void client.write(chunk);
        greeted = true; // drop the reflector's own greeting
        const slow = '220-slow\r\n220 hello, one byte at a time\r\n';
        let i = 0;
        const tick = setInterval(() => {
          if (client.destroyed) return clearInterval(tick);
          client.write(slow[i++]!);
          if (i === slow.length) {
            clearInterval(tick);
            client.pipe(upstream);
          }
        }, 5);
      });
    });
    const outcome = await boundedSweep(options(peer.port, { timeoutMs: 2000 }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
  });

  it('garbage instead of replies: a ProtocolError saying what came', async () => {
    const peer = await rawPeer((socket) => {
      socket.write('220 ok\r\n');
      socket.on('data', () => socket.write('hello, I am not FTP\r\n'));
    });
    await expect(runSweep(options(peer.port))).rejects.toThrow(ProtocolError);
    await expect(runSweep(options(peer.port))).rejects.toThrow(/not an FTP reply \(RFC 959 §4\.2\): "hello, I am not FTP"/);
  });

  it('421 at the greeting: a ConnectError naming it', async () => {
    const peer = await rawPeer((socket) => socket.end('421 Too many users, try later\r\n'));
    await expect(runSweep(options(peer.port))).rejects.toThrow(/refused the session: 421 Too many users/);
  });

  it('a refused login ends the sweep at once: the other connections logging in are not waited for', async () => {
    const peer = await track(startReflector({ host: '127.0.0.1', port: 0, credentials: { user: 'u', password: 'p' }, limits: { loginDelayMs: 300 } }));
    const started = performance.now();
    // Four connections at once: the reflector answers a source's refusals one after another, 300 ms apart.
    await expect(runSweep(options(peer.port, { user: 'u', password: 'wrong', concurrency: 4, timeoutMs: 5000 }))).rejects.toThrow(/refused the login: 530 Login incorrect$/);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('a refused login: a LoginError', async () => {
    const peer = await track(startReflector({ host: '127.0.0.1', port: 0, credentials: { user: 'u', password: 'p' }, limits: { loginDelayMs: 50 } }));
    await expect(runSweep(options(peer.port))).rejects.toThrow(LoginError);
  });
});

describe('peers that misbehave at one value: that value gets the verdict, the rest pass', () => {
  it.each<[string, string, RegExp, (s: Session) => void]>([
    ['garbage for the PORT reply', 'reset', /not an FTP reply/, (s) => s.send('what is a PORT?\r\n')],
    ['a reply code out of range', 'reset', /out of range \(RFC 959 §4\.2/, (s) => s.send('999 nine nine nine\r\n')],
    ['421 and a close', 'reset', /closed the session: 421/, (s) => {
      s.reply(421, 'Service not available, closing control connection');
      s.end();
    }],
    ['a reset in the middle of a reply', 'reset', /reset/, (s) => {
      s.send('200 PORT und');
      setTimeout(() => s.abort(), 20);
    }],
    ['no reply at all', 'timeout', /no reply while waiting for the PORT reply/, () => undefined],
  ])('%s → %s', async (_, verdict, detail, misbehave) => {
    const peer = await misbehavingAt2(misbehave);
    const outcome = await boundedSweep(options(peer.port));
    expect(valuesNot(outcome.results, 'pass')).toEqual([2]);
    expect(outcome.results[1]!.verdict).toBe(verdict);
    expect(outcome.results[1]!.detail).toMatch(detail);
  });

  it('a preliminary 1xx before the PORT reply: read on to the final one — pass (it was called rejected)', async () => {
    const peer = await misbehavingAt2((s, answer) => {
      s.reply(150, 'thinking about it');
      answer();
    });
    const outcome = await boundedSweep(options(peer.port));
    expect(outcome.results.map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  it('1xx replies that never end: a protocol error after 4, not rejected', async () => {
    const peer = await misbehavingAt2((s) => s.send('150 wait\r\n'.repeat(6)));
    const outcome = await boundedSweep(options(peer.port));
    expect(valuesNot(outcome.results, 'pass')).toEqual([2]);
    expect(outcome.results[1]!.verdict).not.toBe('rejected');
    expect(outcome.results[1]!.detail).toMatch(/4 preliminary \(1xx\) replies and no final one/);
  });

  it('a 10 MB line: dropped at the cap, with bounded memory', async () => {
    const line = Buffer.alloc(10 * 1024 * 1024, 'x');
    const peer = await misbehavingAt2((s) => s.send(line));
    const before = process.memoryUsage().heapUsed;
    const outcome = await boundedSweep(options(peer.port));
    expect(outcome.results[1]).toMatchObject({ verdict: 'reset' });
    expect(outcome.results[1]!.detail).toMatch(/longer than 65536 bytes/);
    expect(valuesNot(outcome.results, 'pass')).toEqual([2]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('a multi-line reply that never ends: dropped at the cap', async () => {
    const peer = await misbehavingAt2((s) => {
      const tick = setInterval(() => s.send('200-and more\r\n200-and more\r\n200-and more\r\n'.repeat(50)), 1);
      setTimeout(() => clearInterval(tick), 3000).unref();
    });
    const outcome = await boundedSweep(options(peer.port));
    expect(outcome.results[1]!.verdict).toBe('reset');
    expect(outcome.results[1]!.detail).toMatch(/longer than 65536 bytes without an end/);
  });
});

describe('data connections that misbehave', () => {
  /** The reflector, with NLST replaced (PORT still sets the target). */
  function nlstPeer(nlst: (s: Session) => Promise<void>): Promise<RunningServer> {
    return track(
      startMisbehavingPeer([], () => undefined, {
        directive: 'NLST',
        needsLogin: true,
        syntax: 'NLST',
        description: 'misbehaving',
        handler: nlst,
      }),
    );
  }

  it('connected and never closed, no 226: timeout, and the data reached the right port', async () => {
    const peer = await nlstPeer(async (s) => {
      const target = s.dataTarget!;
      s.reply(150, 'here it comes, forever');
      const socket = await connectBack(target.address, 2000);
      socket.write('x');
    });
    const outcome = await boundedSweep(options(peer.port, { values: [2] }));
    expect(outcome.results[0]).toMatchObject({ verdict: 'timeout', data: { kind: 'open' } });
    expect(outcome.results[0]!.detail).toMatch(/end of the listing/);
  });

  it('a data connection that never stops sending: read up to 1 MiB, then the probe goes on (it read 815 MB before)', async () => {
    const peer = await nlstPeer(async (s) => {
      const socket = await connectBack(s.dataTarget!.address, 2000);
      s.reply(150, 'here it comes, all of it');
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
      socket.once('close', () => s.reply(226, 'done'));
    });
    const started = performance.now();
    const outcome = await boundedSweep(options(peer.port, { values: [2], timeoutMs: 5000 }));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(outcome.results[0]).toMatchObject({ verdict: 'pass', data: { kind: 'arrived' } });
    expect(outcome.results[0]!.detail).toMatch(/sent over 1 MiB; ftpsweep stopped reading there/);
    // The dialogue says who ended the data connection: ftpsweep did, not the server.
    const { transcript } = await probeOnce(options(peer.port, { values: [2], timeoutMs: 5000 }), 2);
    expect(transcript.map((e) => e.text).join('\n')).toMatch(/data connection from .* bytes, cut by ftpsweep \(it reads at most 1 MiB\)/);
  });

  it('connected to the wrong port: the confirmation finds where — corrupted', async () => {
    const peer = await nlstPeer(async (s) => {
      const target = s.dataTarget!;
      try {
        const socket = await connectBack({ ...target.address, port: target.address.port + 1 }, 2000);
        s.reply(150, 'sending');
        socket.end('file\r\n');
        s.reply(226, 'done');
      } catch {
        s.reply(425, 'cannot connect');
      }
    });
    const outcome = await boundedSweep(options(peer.port, { values: [2] }));
    const row = outcome.results[0]!;
    expect(row.verdict).toBe('corrupted');
    expect(row.data).toMatchObject({ kind: 'wrong-port' });
    expect(row.data.kind === 'wrong-port' && row.data.port).toBe(Number(/,(\d+),2$/.exec(row.sent)![1]) * 256 + 3);
  });
});
