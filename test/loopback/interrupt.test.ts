/**
 * Nothing lost: a real sweep process is stopped mid-run (SIGTERM, by its pid), keeps every row it
 * finished, says so in summary.json, and `--resume` finishes it without probing those values again.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import { loopbackOptions } from '../helpers/sweep.js';
import { startFtpServer, type Session } from '../../src/servers/ftpServer.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { reflectorVerbs } from '../../src/servers/reflectorVerbs.js';
import { runSweep } from '../../src/sweep/sweep.js';

let work: string;
let reflector: RunningServer;
let slow: RunningServer;
/** How many listings each value got: a probe that passes makes exactly one. */
const listings = new Map<number, number>();

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-interrupt-'));
  // The reflector, counting listings per value (the control-channel check sends no NLST).
  const verbs = reflectorVerbs({ allowForeign: false, dataTimeoutMs: 2000 }).map((verb) =>
    verb.directive !== 'NLST'
      ? verb
      : {
          ...verb,
          handler: (s: Session, arg: string) => {
            const value = Number(/,(\d+)$/.exec(s.dataTarget?.line ?? '')?.[1]);
            listings.set(value, (listings.get(value) ?? 0) + 1);
            return verb.handler(s, arg);
          },
        },
  );
  reflector = await startFtpServer({ host: '127.0.0.1', port: 0, greeting: 'ftpsweep-reflector (counting)', echo: true, verbs });
  // A slow link, so the sweep is still running when it is stopped.
  slow = await startFirewall(reflector, [], 8);
});
afterAll(async () => {
  await Promise.all([slow, reflector].map((s) => s?.close()));
  await rm(work, { recursive: true, force: true });
});

function rowsIn(file: string): Record<string, string>[] {
  return existsSync(file) ? (parse(readFileSync(file, 'utf8'), { columns: true, relax_column_count: true }) as Record<string, string>[]) : [];
}

describe('interrupting a sweep', () => {
  it('SIGTERM mid-run: exit 143, every finished row kept, summary.json says interrupted; --resume finishes it', async () => {
    const out = path.join(work, 'stopped');
    const args = ['sweep', '--host', '127.0.0.1', '--port', String(slow.port), '--concurrency', '2', '--out', out];
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Wait (bounded) until some rows are on disk, then stop it by its pid.
    const csv = path.join(out, 'results.csv');
    const until = Date.now() + 20_000;
    while (rowsIn(csv).length < 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(rowsIn(csv).length).toBeGreaterThanOrEqual(20);
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(killer);

    expect(code).toBe(143);
    expect(stderr).toMatch(/SIGTERM: stopping; writing the report for the values done/);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    const first = rowsIn(csv);
    expect(summary).toMatchObject({ interrupted: true, probes: 256, done: first.length, exitCode: 143, exitReason: expect.stringMatching(/^stopped by SIGTERM: \d+ of 256 probes done/) });
    expect(first.length).toBeLessThan(256);
    expect(first.every((r) => r.verdict === 'pass' && r.data === 'arrived')).toBe(true);
    expect(new Set(first.map((r) => r.value)).size).toBe(first.length);
    const doneBefore = first.map((r) => Number(r.value));

    const resumed = await runCli([...args.filter((a, i) => a !== '--out' && args[i - 1] !== '--out'), '--resume', out], { timeoutMs: 60_000 });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resumed: ${first.length} probes were done before, ${256 - first.length} probed now`));
    const all = rowsIn(csv);
    expect(all.map((r) => Number(r.value))).toEqual(Array.from({ length: 256 }, (_, v) => v));
    expect(JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'))).toMatchObject({ interrupted: false, done: 256, resumed: first.length });
    // The values done before the stop were not probed again.
    for (const value of doneBefore) expect(listings.get(value)).toBe(1);
    for (let v = 0; v < 256; v++) expect(listings.get(v)).toBeGreaterThanOrEqual(1);
  });

  it('resuming with another sweep\'s options is refused, naming what differs', async () => {
    const out = path.join(work, 'stopped');
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(slow.port), '--oracle', 'reply', '--resume', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is a different sweep \(oracle "data"\)/);
  });

  it('in process: an aborted sweep reports only probes that finished, none judged on a closed connection', async () => {
    const controller = new AbortController();
    let seen = 0;
    const outcome = await runSweep(loopbackOptions(slow.port, { concurrency: 4 }), {
      signal: controller.signal,
      onRow: () => {
        if (++seen === 10) controller.abort();
      },
    });
    expect(outcome.interrupted).toBe(true);
    expect(outcome.results.length).toBeGreaterThanOrEqual(10);
    expect(outcome.results.length).toBeLessThan(256);
    expect(outcome.results.every((r) => r.verdict === 'pass')).toBe(true);
  });
});
