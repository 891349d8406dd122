/**
 * Hosts, ports and numbers on the command line: `--host HOST:PORT` and `[v6]:PORT`, IPv6 printed in
 * brackets wherever a host and a port are joined, and a number flag's text quoted as typed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, startCli } from '../helpers/cli.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

const SMOKE = fileURLToPath(new URL('../../sweeps/smoke.yaml', import.meta.url));

let work: string;
let reflector: RunningServer;
let reflector6: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-hostport-'));
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  reflector6 = await startReflector({ host: '::1', port: 0 });
});
afterAll(async () => {
  await Promise.all([reflector, reflector6].map((s) => s?.close()));
  await rm(work, { recursive: true, force: true });
});

describe('--host HOST:PORT', () => {
  it('127.0.0.1:PORT without --port sweeps that port', async () => {
    const run = await runCli(['sweep', '--host', `127.0.0.1:${reflector.port}`, '--values', '1', '--confirm', '0', '--out', path.join(work, 'v4')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`127.0.0.1:${reflector.port}, PORT`);
    const summary = JSON.parse(await readFile(path.join(work, 'v4', 'summary.json'), 'utf8'));
    expect(summary.target).toMatchObject({ host: '127.0.0.1', port: reflector.port });
  });

  it('[::1]:PORT sweeps ::1 on that port, printed [::1]:PORT, into a folder named __1-PORT-…', async () => {
    const run = await runCli(['sweep', '--host', `[::1]:${reflector6.port}`, '--command', 'EPRT', '--values', '1', '--confirm', '0'], { cwd: work });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`[::1]:${reflector6.port}, EPRT`);
    expect(run.stdout).not.toMatch(/[^[]::1:\d/);
    const dir = /Report: (\S+)/.exec(run.stdout)![1]!;
    expect(dir).toMatch(new RegExp(`^reports/__1-${reflector6.port}-\\d{8}-\\d{6}$`));
    const md = await readFile(path.join(work, dir, 'report.md'), 'utf8');
    expect(md).toContain(`[::1]:${reflector6.port}`);
    expect(md).not.toMatch(/[^[]::1:\d/);
  });

  it('a bare IPv6 address stays a host: ::1 with --port', async () => {
    const run = await runCli(['sweep', '--host', '::1', '--port', String(reflector6.port), '--command', 'EPRT', '--values', '1', '--confirm', '0', '--out', path.join(work, 'bare6')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`[::1]:${reflector6.port}, EPRT`);
  });

  it('the same port twice is fine; two different ports are a one-line usage error', async () => {
    const same = await runCli(['sweep', '--host', `127.0.0.1:${reflector.port}`, '--port', String(reflector.port), '--values', '1', '--confirm', '0', '--out', path.join(work, 'same')]);
    expect(same.code).toBe(0);
    expectOneLineError(await runCli(['sweep', '--host', '127.0.0.1:2121', '--port', '21']), /^ftpsweep: --host 127\.0\.0\.1:2121 names port 2121, but --port is 21 — give the port once: --host 127\.0\.0\.1 --port 21, or --host 127\.0\.0\.1:2121 alone$/m);
    expectOneLineError(await runCli(['sweep', '--host', '[::1]:2121', '--port', '21']), /--host \[::1\]:2121 names port 2121, but --port is 21 — give the port once: --host \[::1\] --port 21/);
    expectOneLineError(await runCli(['sweep', '--host', '127.0.0.1:abc']), /^ftpsweep: --host 127\.0\.0\.1:abc: port abc is not a whole number — use 1\.\.65535$/m);
  });

  it('errors and server logs print IPv6 endpoints in brackets', async () => {
    // Port 1 on ::1: nothing listens there (privileged, never used by these tests).
    expectOneLineError(await runCli(['sweep', '--host', '::1', '--port', '1', '--command', 'EPRT', '--out', path.join(work, 'refused6')]), /connection to \[::1\]:1 refused/);
    const refl = await startCli(['reflect', '--listen', '[::1]:0']);
    try {
      expect(refl.stderr()).toMatch(/reflector listening on \[::1\]:\d+ \(Ctrl-C stops it\)/);
      const run = await runCli(['sweep', '--host', `[::1]:${refl.port}`, '--command', 'EPRT', '--values', '1', '--confirm', '0', '--out', path.join(work, 'logged6')]);
      expect(run.code).toBe(0);
      expect(refl.stderr()).toMatch(/connection from \[::1\]:\d+/);
    } finally {
      expect(await refl.stop()).toBe(0);
    }
  });
});

describe('number flags say what was typed', () => {
  it.each([
    [['sweep', '--host', 'x', '--port', 'abc'], '--port abc is not a whole number — use 1..65535'],
    [['sweep', '--host', 'x', '--port=abc'], '--port abc is not a whole number — use 1..65535'],
    [['sweep', '--host', 'x', '--port', '0x15'], '--port 0x15 is not a whole number — use 1..65535'],
    [['sweep', '--host', 'x', '--port', '70000'], '--port 70000 is out of range — use a whole number 1..65535'],
    [['sweep', '--host', 'x', '--timeout', '5s'], '--timeout 5s is not a whole number — use 100..600000'],
    [['sweep', '--host', 'x', '--concurrency', '1.5'], '--concurrency 1.5 is not a whole number — use 1..100'],
    [['sweep', '--host', 'x', '--confirm', 'two'], '--confirm two is not a whole number — use 0..10'],
    [['run', SMOKE, '--host', 'x', '--port', 'abc'], '--port abc is not a whole number — use 1..65535'],
    [['reflect', '--max-connections', 'many'], '--max-connections many is not a whole number — use 1 or more'],
    [['reflect', '--max-connections', '0'], '--max-connections 0 is out of range — use a whole number 1 or more'],
    [['simulate', '--upstream', '127.0.0.1:1', '--delay-ms', '1.5'], '--delay-ms 1.5 is not a whole number — use 0..60000'],
    [['simulate', '--upstream', '127.0.0.1:x'], '--upstream 127.0.0.1:x: port x is not a whole number — use 0..65535'],
  ])('%j', async (args, message) => {
    const run = await runCli(args, { cwd: work });
    expectOneLineError(run, new RegExp(`^ftpsweep: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });

});
