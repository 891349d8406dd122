/**
 * Failures before a value was sent are never blamed on the value: a middlebox that refuses some new
 * control connections, a server whose later logins stall, a pooled connection found closed. They
 * are retried, counted, and kept out of the matrix; a target that stops taking connections ends the
 * sweep with exit 2 and keeps the finished rows.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import { loopbackOptions, valuesNot } from '../helpers/sweep.js';
import { ControlConnection } from '../../src/ftp/controlConnection.js';
import { applyVariant } from '../../src/model/variants.js';
import { runAttempt } from '../../src/probe/attempt.js';
import { startFtpServer, type Session, type Verb } from '../../src/servers/ftpServer.js';
import { listen, type RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';
import { reflectorVerbs } from '../../src/servers/reflectorVerbs.js';
import { runSweep, sweepDeadlineMs } from '../../src/sweep/sweep.js';

let work: string;
let reflector: RunningServer;
const running: RunningServer[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-retries-'));
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await reflector?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a middlebox that refuses every N-th new connection (a connection-rate limit)', () => {
  it('refused connections are retried and counted; only the value the firewall corrupts fails', async () => {
    // Every third new connection is reset; the confirmations of 227 and 228 need fresh ones.
    const firewall = await startFirewall(reflector, [227, 228], 0, 3);
    running.push(firewall);
    const outcome = await runSweep(loopbackOptions(firewall.port, { concurrency: 4 }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([227, 228]);
    for (const v of [227, 228]) expect(outcome.results[v]).toMatchObject({ verdict: 'corrupted', failures: 3, attempts: 3 });
    // No row was judged on an attempt that never sent its command.
    expect(outcome.results.every((r) => r.sent !== '' && r.ms > 0)).toBe(true);
    expect(outcome.retries.total).toBeGreaterThanOrEqual(1);
    expect(outcome.retries.byStage.connect).toBe(outcome.retries.total);
    expect(outcome.interrupted).toBe(false);
  });

  it('the CLI says how many connections were retried, in the console and in summary.json; exit 1 for the corrupted value only', async () => {
    const firewall = await startFirewall(reflector, [227], 0, 2);
    running.push(firewall);
    const out = path.join(work, 'every-2nd');
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(firewall.port), '--values', '220-235', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/connections: \d+ control connections? retried, never counted against a value: \d+ failed connecting or at the greeting \(e\.g\. .*\)/);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.connectionRetries.total).toBeGreaterThanOrEqual(1);
    expect(summary.failing.map((f: { value: number }) => f.value)).toEqual([227]);
  });
});

/**
 * A plain TCP forwarder to the reflector that, when `trigger(line)` first holds for a command it
 * forwards, closes every connection it carries at once — as a server restarting, or an admin
 * killing every session, does — and `drop` says whether to reset the very first connection.
 */
function forwarder(options: { trigger?: (chunk: string) => boolean; resetFirst?: boolean }): Promise<RunningServer> {
  const open = new Set<net.Socket>();
  let fired = false;
  let count = 0;
  return listen(
    net.createServer((client) => {
      client.on('error', () => undefined);
      if (options.resetFirst && ++count === 1) return client.resetAndDestroy();
      const upstream = net.connect({ host: '127.0.0.1', port: reflector.port });
      upstream.on('error', () => undefined);
      open.add(client);
      client.on('close', () => (open.delete(client), upstream.destroy()));
      upstream.on('close', () => client.destroy());
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        if (!fired && options.trigger?.(chunk.toString('latin1'))) {
          fired = true;
          setImmediate(() => [...open].forEach((s) => s.destroy()));
        }
      });
    }),
    '127.0.0.1',
    0,
  );
}

describe('failures that say nothing about the value in flight', () => {
  it('the first connection opened is the one refused, the others open: the sweep goes on (no exit 2)', async () => {
    const front = await forwarder({ resetFirst: true });
    running.push(front);
    const outcome = await runSweep(loopbackOptions(front.port, { values: Array.from({ length: 16 }, (_, v) => v) }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    expect(outcome.retries.total).toBe(1);
  });

  it('every session closed at once while commands are out (a restart): retried, not a value\'s reset', async () => {
    const front = await forwarder({ trigger: (chunk) => /^PORT [\d,]+,100\r\n/.test(chunk) });
    running.push(front);
    const outcome = await runSweep(loopbackOptions(front.port, { concurrency: 4 }));
    expect(valuesNot(outcome.results, 'pass').map((v) => `${v} ${outcome.results[v]!.verdict} ${outcome.results[v]!.detail}`)).toEqual([]);
    expect(outcome.retries.byStage.together).toBeGreaterThanOrEqual(1);
  });
});

/** The reflector, whose logins stall (no answer to PASS) after the first `good` ones. */
function stallingLogins(good: number, failAt: number): Promise<RunningServer> {
  let logins = 0;
  const verbs = reflectorVerbs({ allowForeign: false, dataTimeoutMs: 2000 }).map((verb): Verb => {
    if (verb.directive === 'PASS') return { ...verb, handler: (s, arg) => (++logins > good ? undefined : verb.handler(s, arg)) };
    // Value `failAt` resets its connection, so its confirmations need new connections.
    if (verb.directive === 'PORT') return { ...verb, handler: (s: Session, arg) => (arg.endsWith(`,${failAt}`) ? s.abort() : verb.handler(s, arg)) };
    return verb;
  });
  return startFtpServer({ host: '127.0.0.1', port: 0, greeting: 'ftpsweep-reflector (stalling logins)', echo: true, verbs });
}

describe('a target that stops taking connections mid-sweep', () => {
  it('ends with exit 2 and one line saying so; the finished rows are kept, and the unfinished value is not judged', async () => {
    const peer = await stallingLogins(2, 5);
    running.push(peer);
    const out = path.join(work, 'lost');
    const started = performance.now();
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(peer.port), '--values', '0-9', '--concurrency', '2', '--timeout', '300', '--out', out], { timeoutMs: 60_000 });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^ftpsweep: lost 127\.0\.0\.1:\d+: 6 control connections in a row failed before any command could be judged \(last: .*\) — .*--resume DIR/);
    expect(run.stdout).toMatch(/INTERRUPTED: \d+ of 10 probes done/);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ interrupted: true, probes: 10 });
    expect(summary.stopped.reason).toMatch(/^lost 127\.0\.0\.1/);
    expect(summary.stopped.hint).toMatch(/--resume DIR/);
    expect(summary.connectionRetries.byStage.login).toBeGreaterThanOrEqual(6);
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as { value: string; verdict: string }[];
    expect(rows.length).toBe(summary.done);
    // Value 5 reset its connection, and its confirmations never got one: no row, no accusation.
    expect(rows.map((r) => r.value)).not.toContain('5');
    expect(rows.every((r) => r.verdict === 'pass')).toBe(true);
    expect(performance.now() - started).toBeLessThan(sweepDeadlineMs(loopbackOptions(peer.port, { values: Array.from({ length: 10 }, (_, v) => v), concurrency: 2, timeoutMs: 300 })));
  });
});

describe('a pooled connection found closed before its command', () => {
  it('gets no command: the attempt says it was not sent, so it cannot judge the value', async () => {
    // A server that greets, logs in, and then says 421 on its own (an idle timeout).
    const server = await listen(
      net.createServer((socket) => {
        socket.on('error', () => undefined);
        socket.write('220 hi\r\n');
        socket.on('data', (d: Buffer) => {
          if (d.toString().startsWith('USER')) socket.write('230 in\r\n');
          setTimeout(() => socket.write('421 Timeout.\r\n'), 20);
        });
      }),
      '127.0.0.1',
      0,
    );
    running.push(server);
    const connection = await ControlConnection.open({ host: '127.0.0.1', port: server.port, timeoutMs: 2000 });
    try {
      await connection.command('USER anonymous', 'login');
      const until = Date.now() + 2000;
      while (!connection.hasUnreadReplies && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      const line = 'PORT 127,0,0,1,64,1';
      const attempt = await runAttempt(connection, {
        value: 1,
        command: 'PORT',
        target: { line, port: 64 * 256 + 1, dataExpected: true },
        variant: 'plain',
        wire: applyVariant(line, 'plain'),
        cut: undefined,
        oracle: 'data',
        timeoutMs: 1000,
        widePorts: [],
        listenAddress: '127.0.0.1',
        bindRequired: true,
      });
      expect(attempt.commandSent).toBe(false);
      expect(attempt.replies).toEqual([]);
      expect(attempt.failure).toMatchObject({ kind: 'closed' });
    } finally {
      connection.close();
    }
  });
});

describe('a server that takes only so many sessions from one address (vsftpd max_per_ip)', () => {
  it('its 421 at the greeting is believed at once: the sweep goes on with the sessions it has, without backoff', async () => {
    const server = await startReflector({ host: '127.0.0.1', port: 0, limits: { maxPerAddress: 10 } });
    try {
      const started = performance.now();
      const outcome = await runSweep(loopbackOptions(server.port, { values: Array.from({ length: 64 }, (_, v) => v), concurrency: 30 }));
      expect(valuesNot(outcome.results, 'pass')).toEqual([]);
      expect(outcome.retries.concurrencyLoweredTo).toBe(10);
      // Each connection beyond the ten is refused once, not five times with backoff (3.1 s).
      expect(outcome.retries.total).toBeLessThanOrEqual(20);
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await server.close();
    }
  });
});
