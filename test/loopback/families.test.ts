/**
 * The probe families beyond PORT's last octet, over loopback: other fields and 2-D sweeps, EPRT on
 * IPv4 and IPv6, syntax variants, split segments — against the reflector, straight and through the
 * simulated firewall corrupting 227.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import { loopbackOptions, valuesNot } from '../helpers/sweep.js';
import { parseVariants, VARIANTS } from '../../src/model/variants.js';
import { startFtpServer } from '../../src/servers/ftpServer.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';
import { reflectorVerbs } from '../../src/servers/reflectorVerbs.js';
import { runSweep } from '../../src/sweep/sweep.js';

let reflector: RunningServer;
let reflector6: RunningServer;
let firewall: RunningServer;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-families-'));
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  reflector6 = await startReflector({ host: '::1', port: 0 });
  firewall = await startFirewall(reflector, [227]);
});
afterAll(async () => {
  await Promise.all([firewall, reflector, reflector6].map((s) => s?.close()));
  await rm(work, { recursive: true, force: true });
});

describe('other fields', () => {
  it('p1 (the high byte): values 4..63 pass against the reflector; a port taken locally is an error, never the firewall\'s', async () => {
    // The other test files, running at the same time, hold whole high bytes while they confirm
    // (256 listeners each), and their connections cycle through 64..127 and then 5..63: a value
    // whose ports are all taken here is an `error` naming them, rightly — and nothing else.
    const outcome = await runSweep(loopbackOptions(reflector.port, { fields: ['p1'], values: Array.from({ length: 60 }, (_, i) => i + 4) }));
    const taken = outcome.results.filter((r) => r.verdict === 'error' && /^local problem, not the firewall: no free local port for value \d+ \(local port \d+ was taken/.test(r.detail));
    expect(outcome.results.filter((r) => r.verdict !== 'pass' && !taken.includes(r)).map((r) => `${r.value} ${r.verdict}: ${r.detail}`)).toEqual([]);
    expect(taken.length).toBeLessThanOrEqual(4);
    expect(outcome.results.every((r) => /^PORT 127,0,0,1,(\d+),(\d+)$/.test(r.sent) && r.sent.split(',')[4] === String(r.value))).toBe(true);
  });

  it('h4 (an address octet): the reflector refuses other hosts, but its echo shows each arrived unchanged', async () => {
    const outcome = await runSweep(loopbackOptions(reflector.port, { fields: ['h4'], values: [1, 2, 9, 227] }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    expect(outcome.results.map((r) => r.seen)).toEqual(outcome.results.map((r) => r.sent));
    expect(outcome.results[0]!.data).toEqual({ kind: 'arrived' }); // 127.0.0.1 is this machine
    expect(outcome.results[2]!.detail).toMatch(/not this machine's/);
  });

  it('through the firewall, p1 sweeps are untouched by a last-octet bug, h4 sweeps show it where p2 = 227', async () => {
    const p1 = await runSweep(loopbackOptions(firewall.port, { fields: ['p1'], values: [4, 100, 227], confirm: 0 }));
    expect(valuesNot(p1.results, 'pass')).toEqual([]);
    const h4 = await runSweep(loopbackOptions(firewall.port, { fields: ['h4'], values: [1, 227], confirm: 0 }));
    expect(valuesNot(h4.results, 'pass')).toEqual([227]); // h4 = p2 = 227: the last octet is 227
    expect(h4.results[1]!.seen).toMatch(/^PORT 127,0,0,227,\d+,22_$/);
  });

  it('two fields: every pair, value = first × 256 + second, a 256 × 256 matrix.csv', async () => {
    // High bytes kept below 128: ports from 32768 up are this machine's ephemeral range, where the
    // sweep's own connections may hold the very port a probe needs (reported as a local error).
    const corrupts120 = await startFirewall(reflector, [120]);
    const out = path.join(work, 'plane');
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(corrupts120.port), '--field', 'p1,p2', '--values', '100,101,120', '--confirm', '0', '--out', out]);
    await corrupts120.close();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => Number(r.value))).toEqual([100, 101, 120].flatMap((a) => [100, 101, 120].map((b) => a * 256 + b)));
    expect(rows.filter((r) => r.verdict !== 'pass').map((r) => Number(r.value) & 255)).toEqual([120, 120, 120]);
    const matrix = parse(await readFile(path.join(out, 'matrix.csv'), 'utf8')) as string[][];
    expect(matrix).toHaveLength(257);
    expect(matrix[0]).toHaveLength(257);
    expect(matrix[1 + 101]![1 + 120]).toBe('corrupted');
    expect(matrix[1 + 101]![1 + 100]).toBe('pass');
    expect(matrix[1 + 5]![1 + 5]).toBe('');
    expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain('<canvas id="plane"');
  });
  it('p1,p2 against the reflector finishes clean: p1 below 4 (ports below 1024, RFC 2577) is not probed', async () => {
    const out = path.join(work, 'plane-clean');
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--field', 'p1,p2', '--values', '0-2,100,101', '--confirm', '0', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => Number(r.value))).toEqual([100, 101].flatMap((a) => [0, 1, 2, 100, 101].map((b) => a * 256 + b)));
    expect(rows.filter((r) => r.verdict !== 'pass')).toEqual([]);
  });
});

describe('EPRT (RFC 2428)', () => {
  it('IPv4: every value passes against the reflector, and 227 is caught through the firewall', async () => {
    const clean = await runSweep(loopbackOptions(reflector.port, { command: 'EPRT', values: [0, 1, 226, 227, 255] }));
    expect(valuesNot(clean.results, 'pass')).toEqual([]);
    expect(clean.results[0]!.sent).toMatch(/^EPRT \|1\|127\.0\.0\.1\|\d+\|$/);
    const broken = await runSweep(loopbackOptions(firewall.port, { command: 'EPRT', values: [226, 227] }));
    expect(valuesNot(broken.results, 'pass')).toEqual([227]);
    expect(broken.results[1]!.seen).toMatch(/^EPRT \|1\|127\.0\.0\.1\|\d+_\|$/);
  });

  it('IPv6 on ::1: the command carries |2|::1| and the data connection arrives over IPv6', async () => {
    const outcome = await runSweep({ ...loopbackOptions(reflector6.port, { command: 'EPRT', values: [0, 100, 227] }), host: '::1' });
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    for (const r of outcome.results) {
      expect(r.sent).toMatch(/^EPRT \|2\|::1\|\d+\|$/);
      expect(r.data).toEqual({ kind: 'arrived' });
    }
  });

  it('PORT over an IPv6 control connection is a one-line usage error naming EPRT', async () => {
    const run = await runCli(['sweep', '--host', '::1', '--port', String(reflector6.port), '--values', '1', '--out', path.join(work, 'v6port')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/PORT carries IPv4 addresses only — use --command EPRT/);
  });
});

describe('syntax variants and split segments', () => {
  it('every variant passes against the reflector, which sees exactly the bytes sent', async () => {
    const outcome = await runSweep(loopbackOptions(reflector.port, { variants: parseVariants('all'), values: [5, 227] }));
    expect(outcome.results).toHaveLength(VARIANTS.length * 2);
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    const byVariant = new Map(outcome.results.map((r) => [`${r.variant} ${r.value}`, r]));
    expect(byVariant.get('lower 227')!.sent).toMatch(/^port /);
    expect(byVariant.get('bare-lf 227')!.seen).toMatch(/\\n$/);
    expect(byVariant.get('pad-256 5')!.sent.length).toBeGreaterThan(256);
    expect(byVariant.get('pipelined 5')!.reply).toMatch(/^200 .* \| 200 OK \| 150 /);
  });

  it('through the firewall, each variant is a named row: it corrupts 227 except with a trailing space', async () => {
    const out = path.join(work, 'variants');
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(firewall.port), '--variant', 'all', '--values', '226,227', '--confirm', '0', '--out', out]);
    expect(run.code).toBe(1);
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const failing = rows.filter((r) => r.verdict !== 'pass').map((r) => `${r.variant} ${r.value}`);
    expect(failing).toEqual(VARIANTS.filter((v) => v !== 'trailing-space').map((v) => `${v} 227`));
    const matrix = await readFile(path.join(out, 'matrix.csv'), 'utf8');
    expect(matrix.match(/^variant,/gm)).toHaveLength(VARIANTS.length);
  });

  it('--split auto cuts each command at every point in turn; the reflector reassembles them (TCP is a stream)', async () => {
    const outcome = await runSweep(loopbackOptions(reflector.port, { split: { kind: 'auto' }, values: Array.from({ length: 30 }, (_, i) => i) }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    expect(outcome.results.every((r) => r.seen === r.sent)).toBe(true);
  });
});

describe('the control-channel check before the sweep', () => {
  it('against the reflector: SYST, echo and address checked, nothing found', async () => {
    const outcome = await runSweep(loopbackOptions(reflector.port, { values: [1] }));
    expect(outcome.inspection).toEqual({ checked: ['SYST', 'echo', 'address'], findings: [] });
  });

  it('a masked SYST reply (Cisco ASA style) is reported', async () => {
    const masking = await startFtpServer({
      host: '127.0.0.1',
      port: 0,
      greeting: 'masking peer',
      echo: false,
      verbs: [...reflectorVerbs({ allowForeign: false, dataTimeoutMs: 2000 }).filter((v) => v.directive !== 'SYST'), { directive: 'SYST', needsLogin: false, syntax: 'SYST', description: 'masked', handler: (s) => s.reply(215, 'XXXXXXXXXXXXXXXX') }],
    });
    try {
      const outcome = await runSweep(loopbackOptions(masking.port, { values: [1] }));
      expect(outcome.inspection!.findings).toEqual([expect.stringMatching(/SYST reply is masked \("215 XXXXXXXXXXXXXXXX"\)/)]);
      // No echo, but the reflector's listing names the command it connected back for: the address
      // check runs, and finds the command arrived as sent.
      expect(outcome.inspection!.checked).toEqual(['SYST', 'address']);
    } finally {
      await masking.close();
    }
  });
});

describe('the server-to-client direction: PASV and EPSV', () => {
  it.each(['PASV', 'EPSV'] as const)('%s against the reflector: every offered port arrives intact and connects', async (command) => {
    const outcome = await runSweep(loopbackOptions(reflector.port, { command, values: [0, 1, 226, 227, 255] }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
    expect(outcome.reflector).toBe(true);
    for (const r of outcome.results) {
      expect(r.seen).toBe(r.sent); // what the reflector sent is what arrived
      expect(r.data).toEqual({ kind: 'arrived' });
      expect(r.sent).toMatch(command === 'PASV' ? new RegExp(`^227 Entering Passive Mode \\(127,0,0,1,\\d+,${r.value}\\)\\.$`) : /^229 Entering Extended Passive Mode \(\|\|\|\d+\|\)$/);
    }
  });

  it.each(['PASV', 'EPSV'] as const)('%s through the firewall corrupting 227: the reply it mangled is caught', async (command) => {
    const outcome = await runSweep(loopbackOptions(firewall.port, { command, values: [226, 227, 228] }));
    expect(valuesNot(outcome.results, 'pass')).toEqual([227]);
    const bad = outcome.results[1]!;
    expect(bad.verdict).toBe('corrupted');
    expect(bad.seen).toMatch(command === 'PASV' ? /,22_\)\.$/ : /\d+_\|\)$/);
    expect(bad.detail).toMatch(/the reflector sent ".*" and ftpsweep received/);
  });

  it('a port taken on the reflector\'s host is not the firewall\'s doing: the offer moves to another high byte', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: '127.0.0.1', port: 100 * 256 + 50, exclusive: true }, resolve));
    try {
      const outcome = await runSweep(loopbackOptions(reflector.port, { command: 'PASV', highByte: 100, concurrency: 1, values: [49, 50, 51] }));
      expect(valuesNot(outcome.results, 'pass')).toEqual([]);
      expect(outcome.results[1]!.detail).toMatch(/the reflector's port 25650 was taken, moved to p1 \d+/);
      expect(outcome.results[1]!.sent).not.toContain('(127,0,0,1,100,50)');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('EPSV over IPv6 on ::1', async () => {
    const outcome = await runSweep({ ...loopbackOptions(reflector6.port, { command: 'EPSV', values: [5, 227] }), host: '::1' });
    expect(valuesNot(outcome.results, 'pass')).toEqual([]);
  });
});
