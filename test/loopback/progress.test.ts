/**
 * What a sweep says while it runs: progress lines off a terminal (the library's reporter with a
 * short interval), a live line on one (a pseudo-terminal made by `script`), the early diagnosis
 * when every PORT times out, --max-failures, --quiet and --verbose. Every peer and process a test
 * starts, it stops.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { startMisbehavingPeer } from '../helpers/peers.js';
import { loopbackOptions } from '../helpers/sweep.js';
import { runSweepJob } from '../../src/jobs/sweepJob.js';
import { ProgressReporter } from '../../src/report/progressReporter.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

let work: string;
let reflector: RunningServer;
/** Never answers a PORT: every value times out. */
let silent: RunningServer;
/** Answers PORT for values 0..9 only; 10.. time out. */
let silentFrom10: RunningServer;
/** Never answers PORT for values 2 and 3. */
let silentAt2And3: RunningServer;

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const never = (): void => undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-progress-'));
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  silent = await startMisbehavingPeer(range(0, 255), never);
  silentFrom10 = await startMisbehavingPeer(range(10, 255), never);
  silentAt2And3 = await startMisbehavingPeer([2, 3], never);
});
afterAll(async () => {
  await Promise.all([reflector, silent, silentFrom10, silentAt2And3].map((s) => s?.close()));
  await rm(work, { recursive: true, force: true });
});

/** A sweep through the library with progress lines every 25 ms, as a CI log would get them. */
async function sweepWithProgress(port: number, values: number[], out: string, timeoutMs: number): Promise<{ lines: string[]; failing: number }> {
  const options = loopbackOptions(port, { values, timeoutMs, confirm: 0 });
  const lines: string[] = [];
  const progress = new ProgressReporter({ status: (t) => lines.push(`(status) ${t}`), line: (t) => lines.push(t) }, { tty: false, intervalMs: 25, sweep: options });
  const { summary } = await runSweepJob({ options, out, baseline: undefined, junit: undefined }, { onProgress: progress.update }).finally(() => progress.stop());
  expect(summary.complete).toBe(true);
  return { lines, failing: summary.failing.length };
}

const DIAGNOSIS = "ftpsweep: every PORT times out so far (first 16 values): PORT may be blocked outright — check the firewall's FTP rules; the sweep goes on";

describe('progress through the library', () => {
  it('off a terminal: lines with done/total, failing, rate and ETA; the diagnosis once when every PORT times out', async () => {
    const { lines, failing } = await sweepWithProgress(silent.port, range(0, 19), path.join(work, 'silent'), 200);
    expect(failing).toBe(20);
    const progress = lines.filter((l) => l.startsWith('ftpsweep: ') && l.includes(' values/s'));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(line).toMatch(/^ftpsweep: \d+\/20 values \(\d+%\), \d+ failing, [\d.]+ values\/s, ETA (unknown|\d\S*) \(\d\S* elapsed\)$/);
    // Every timeout waits 200 ms, so lines come while values are done and some are left.
    expect(progress.some((l) => /ETA \d/.test(l) && !/ 20\/20 /.test(l))).toBe(true);
    expect(lines.filter((l) => l === DIAGNOSIS)).toHaveLength(1);
    expect(lines.some((l) => l.startsWith('(status)'))).toBe(false);
  });

  it('no diagnosis when values pass', async () => {
    const { lines, failing } = await sweepWithProgress(reflector.port, range(0, 31), path.join(work, 'passing'), 5000);
    expect(failing).toBe(0);
    expect(lines.filter((l) => / so far /.test(l))).toEqual([]);
  });
});

/** Runs the CLI in a pseudo-terminal (`script`, util-linux): stdout and stderr both reach it. */
function runInTerminal(args: readonly string[], timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '100' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ftpsweep ${args.join(' ')} in a terminal did not finish within ${timeoutMs} ms\n${output}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `--timeout 200` unless `more` gives one: values that should pass get more (the machine may be busy). */
const sweepArgs = (port: number, values: string, out: string, ...more: string[]): string[] => ['sweep', '--host', '127.0.0.1', '--port', String(port), '--values', values, ...(more.includes('--timeout') ? [] : ['--timeout', '200']), '--out', out, ...more];

describe('progress on the command line', () => {
  it('in a terminal: a live line redrawn in place and cleared, and the diagnosis; --quiet: one line and nothing else', async () => {
    const loud = await runInTerminal(sweepArgs(silent.port, '0-19', path.join(work, 'tty'), '--confirm', '0'));
    expect(loud.code).toBe(1);
    expect(loud.output).toMatch(/\r\x1b\[Ksweeping \d+\/20 values \(\d+%\), \d+ failing/);
    expect(loud.output).toContain(DIAGNOSIS);
    // Cleared before the report is printed.
    expect(loud.output).toMatch(/\r\x1b\[Kftpsweep \d/);

    const quiet = await runInTerminal(sweepArgs(silent.port, '0-19', path.join(work, 'tty-quiet'), '--confirm', '0', '--quiet'));
    expect(quiet.code).toBe(1);
    expect(quiet.output).not.toContain('\x1b');
    expect(quiet.output.trim().split('\n')).toHaveLength(1);
    expect(quiet.output.trim()).toMatch(/^ftpsweep: 127\.0\.0\.1:\d+ PORT: 20 probes: timeout 20; report .*tty-quiet$/);
  });

  it('off a terminal: the diagnosis on stderr; with --quiet no diagnosis, no report, only the one-line result', async () => {
    const loud = await runCli(sweepArgs(silent.port, '0-19', path.join(work, 'loud'), '--confirm', '0'));
    expect(loud.code).toBe(1);
    expect(loud.progress).toContain(DIAGNOSIS);
    expect(loud.stderr).toBe('');
    expect(loud.stdout).toMatch(/^ftpsweep \d/);

    const run = await runCli(sweepArgs(silent.port, '0-19', path.join(work, 'quiet'), '--confirm', '0', '--quiet'));
    expect(run.code).toBe(1);
    expect(run.progress).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^ftpsweep: 127\.0\.0\.1:\d+ PORT: 20 probes: timeout 20; report \S+quiet\n$/);
    expect(existsSync(path.join(work, 'quiet', 'report.html'))).toBe(true);
  });

  it('--verbose: one line per attempt, confirmations included, with verdict and time', async () => {
    const run = await runCli(sweepArgs(silentAt2And3.port, '0-5', path.join(work, 'verbose'), '--confirm', '1', '--timeout', '1500', '--verbose'));
    expect(run.code).toBe(1);
    const attempts = run.stderr.split('\n').filter((l) => l.startsWith('value '));
    expect(attempts).toHaveLength(4 + 2 * 2);
    for (const line of attempts) expect(line).toMatch(/^value \d attempt (1|2 \(confirmation\)): (pass|timeout), \d+ ms$/);
    const of = (value: number): string[] => attempts.filter((l) => l.startsWith(`value ${value} `)).map((l) => l.replace(/, \d+ ms$/, '')).sort();
    for (const value of [0, 1, 4, 5]) expect(of(value)).toEqual([`value ${value} attempt 1: pass`]);
    for (const value of [2, 3]) expect(of(value)).toEqual([`value ${value} attempt 1: timeout`, `value ${value} attempt 2 (confirmation): timeout`]);
  });

  it('--quiet and --verbose together: a one-line usage error', async () => {
    const run = await runCli(sweepArgs(reflector.port, '0-3', path.join(work, 'both'), '--quiet', '--verbose'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('ftpsweep: --quiet and --verbose contradict each other — give one of them');
    expect(existsSync(path.join(work, 'both'))).toBe(false);
  });
});

describe('--max-failures', () => {
  it('stops after 3 failing values: the rows done kept, the report written, exit 1, summary.json says why; --resume finishes it', async () => {
    const out = path.join(work, 'max-failures');
    const args = sweepArgs(silentFrom10.port, '0-14', out, '--confirm', '0', '--timeout', '1500', '--concurrency', '2');
    const run = await runCli([...args, '--max-failures', '3']);
    expect(run.code).toBe(1);
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.verdict !== 'pass').map((r) => r.verdict)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(rows.length).toBeLessThan(15);
    expect(rows.filter((r) => r.verdict === 'pass').map((r) => Number(r.value))).toEqual(range(0, 9).filter((v) => rows.some((r) => Number(r.value) === v)));
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ interrupted: true, complete: false, probes: 15, done: rows.length, exitCode: 1 });
    expect(summary.stopped).toEqual({ by: 'max-failures', reason: '3 values failed, the limit --max-failures 3 sets: no further value was probed', hint: expect.stringMatching(/--resume DIR/) });
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
    expect(run.stdout).toContain('STOPPED: 3 values failed, the limit --max-failures 3 sets: no further value was probed');
    expect(run.stdout).toMatch(new RegExp(`INTERRUPTED: ${rows.length} of 15 probes done — finish with the same command and --resume `));
    // Not an error: no one-line error on stderr.
    expect(run.stderr).not.toMatch(/^ftpsweep: .* — /m);

    // The rest, without the limit: the 10..14 not done yet are probed, the rows done are kept.
    const resumed = await runCli([...args.filter((a, i) => a !== '--out' && args[i - 1] !== '--out'), '--resume', out]);
    expect(resumed.code).toBe(1);
    const all = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(all.map((r) => [Number(r.value), r.verdict])).toEqual(range(0, 14).map((v) => [v, v < 10 ? 'pass' : 'timeout']));
    expect(JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'))).toMatchObject({ interrupted: false, complete: true, stopped: null, resumed: rows.length });
  });
});
