/**
 * Ctrl-C ends `probe --repeat` at once even while an attempt is still being connected: a server
 * that takes the connection and never greets must not hold the run for --timeout, nor for the
 * retries after it. The stop listens on every connection being made: many at once are no leak.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

let reflector: RunningServer;
let relay: net.Server;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  // The first connection goes through to the reflector; every later one is taken and left silent.
  let first = true;
  relay = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (!first) return;
    first = false;
    const upstream = net.connect({ host: '127.0.0.1', port: reflector.port });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => relay.listen({ host: '127.0.0.1', port: 0 }, resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => relay?.close(resolve));
  await reflector?.close();
});

it('Ctrl-C while the next attempt waits for a greeting: the tally at once, not after --timeout and its retries', async () => {
  const port = (relay.address() as net.AddressInfo).port;
  const args = ['probe', '--host', '127.0.0.1', '--port', String(port), '--value', '227', '--repeat', '3', '--interval', '100', '--timeout', '20000'];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const until = Date.now() + 15_000;
  while (!stdout.includes('attempt 1/3') && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  expect(stdout).toContain('attempt 1/3');
  // The second attempt is now connected and waiting for a greeting that never comes.
  while (sockets.size < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  const stoppedAt = Date.now();
  child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await exited;
  clearTimeout(killer);
  // Before the fix this took the 20 s greeting timeout, then up to five retries more.
  expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  expect(code).toBe(0);
  expect(stdout.trimEnd().split('\n').at(-1)).toBe('227: pass 1/1');
});

it('32 connections being made at once: their stop listeners put no warning on stderr', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'ftpsweep-stop-'));
  try {
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--concurrency', '32', '--values', '0-63', '--quiet', '--out', out, '--force']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
