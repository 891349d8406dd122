/**
 * `npm run bench`: ftpsweep side by side with what it replaces and with its floor, each a whole
 * process as users run it, and the targets it is held to (printed MET or MISS, never a test):
 *
 * - start-up: `ftpsweep --version` against `node -e 0`;
 * - bare loopback: the default sweep (256 values, data oracle) against the method of the story,
 *   Python's ftplib one value after another (scripts/ftplib-sweep.py), both against real vsftpd;
 *   the CPU one probe costs, start-up taken out; and the floor under both, a bare Node client
 *   doing the same exchange (scripts/node-floor.mjs);
 * - a 5 ms link (the simulated firewall delaying each direction, in front of vsftpd): ftplib against
 *   ftpsweep at 16 and 64 connections;
 * - the whole port space: 64,512 reply-oracle probes (every port from 1024) against the reflector, time and memory.
 *
 * The servers run here, each sweep in its own process. Without vsftpd (scripts/peers.sh, root) the
 * comparisons run against the reflector and say so.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../servers/firewallSimulator.js';
import type { RunningServer } from '../servers/listen.js';
import { startReflector } from '../servers/reflector.js';
import { median, runFtplib, runNode, runProcess, sideBySide, type ProcessRun } from './processes.js';
import { startVsftpd } from './vsftpd.js';

const CLI = fileURLToPath(new URL('../bin/main.js', import.meta.url));
const FTPLIB = fileURLToPath(new URL('../../scripts/ftplib-sweep.py', import.meta.url));
const FLOOR = fileURLToPath(new URL('../../scripts/node-floor.mjs', import.meta.url));
// 11, not 7: the ftplib reference itself moves from 0.24 to 0.68 s between runs on this machine.
const REPEAT = Number(process.env.FTPSWEEP_BENCH_REPEAT ?? 11);
/** The V8 flags the CLI's shebang gives it (src/cli/main.ts), read off the bin: run as `ftpsweep` runs. */
const NODE_FLAGS = readFileSync(CLI, 'utf8').split('\n', 1)[0]!.split(/\s+/).filter((word) => word.startsWith('--'));

const check = (label: string, ok: boolean, figure: string): void => console.log(`  ${ok ? 'MET ' : 'MISS'} ${label}: ${figure}`);
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

let outs = 0;
let work = '';
function sweep(port: number, ...extra: string[]): Promise<ProcessRun> {
  return runNode(NODE_FLAGS, CLI, ['sweep', '--host', '127.0.0.1', '--port', String(port), '--out', path.join(work, `out-${outs++}`), '--force', ...extra]);
}

/** A sweep that ran to its end: exit 0, or 1 where some values are expected to fail. */
function expectPass(run: ProcessRun, what: string, codes: readonly number[] = [0]): void {
  if (!codes.includes(run.code ?? -1)) throw new Error(`${what} exited ${run.code}: ${run.stderr.replace(/^(rss|usage) .*\n/gm, '').slice(-500)}`);
}

async function startUp(): Promise<void> {
  console.log('\nStart-up: ftpsweep --version against node -e 0');
  const { a, b, ratio } = await sideBySide(REPEAT, () => runNode(NODE_FLAGS, CLI, ['--version']), () => runProcess(process.execPath, ['-e', '0']));
  console.log(`  ftpsweep ${s(median(a.map((r) => r.wallMs)))}, node ${s(median(b.map((r) => r.wallMs)))}`);
  check('start-up at most 1.5× node -e 0', ratio <= 1.5, `${ratio.toFixed(2)}×`);
}

async function bareLoopback(port: number, against: string): Promise<void> {
  console.log(`\nBare loopback, against ${against}: the default sweep (256 values, data oracle, 4 connections) and ftplib, one value after another`);
  const { a, b, ratio } = await sideBySide(
    REPEAT,
    async () => {
      const run = await sweep(port);
      expectPass(run, 'the sweep');
      return run;
    },
    async () => {
      const run = await runFtplib(FTPLIB, '127.0.0.1', port);
      if (run.passed !== 256) throw new Error(`ftplib passed ${run.passed} of 256: ${run.stderr.slice(-300)}`);
      return run;
    },
  );
  const cpu = (runs: ProcessRun[]): number => median(runs.map((r) => r.cpuMs ?? Number.NaN));
  console.log(`  whole process: ftpsweep ${s(median(a.map((r) => r.wallMs)))} (CPU ${s(cpu(a))}), ftplib ${s(median(b.map((r) => r.wallMs)))} (CPU ${s(cpu(b))})`);
  check('whole process at most 1.5× ftplib', ratio <= 1.5, `${ratio.toFixed(2)}× (median of ${REPEAT} pairs)`);
  // The engine: a sweep's CPU less that of a run that stops at once (a refused connection).
  const idle: ProcessRun[] = [];
  for (let i = 0; i < REPEAT; i++) idle.push(await sweep(1));
  const perProbe = (cpu(a) - cpu(idle)) / 256;
  check('CPU per probe, start-up taken out, at most 1 ms', perProbe <= 1, `${perProbe.toFixed(2)} ms (ftplib: ${(cpu(b) / 256).toFixed(2)} ms with its start-up)`);
  // The floor: a bare Node client doing the same exchange, with nothing of ftpsweep's bookkeeping.
  const floor: ProcessRun[] = [];
  const floorIdle: ProcessRun[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const run = await runNode([], FLOOR, ['127.0.0.1', String(port)]);
    if (!run.stdout.includes('"passed":256')) throw new Error(`the bare Node client did not pass 256 values: ${run.stdout}${run.stderr.slice(-300)}`);
    floor.push(run);
    floorIdle.push(await runNode([], FLOOR, ['127.0.0.1', String(port), '0']));
  }
  const floorPerProbe = (cpu(floor) - cpu(floorIdle)) / 256;
  console.log(`  the floor, a bare Node client doing the same exchange (scripts/node-floor.mjs): ${s(median(floor.map((r) => r.wallMs)))} whole process, CPU per probe ${floorPerProbe.toFixed(2)} ms`);
  // The engine alone: what each probe more costs, from a sweep ten times longer (2,500 probes,
  // ports 16448..29041: --field p1,p2 over 64..113), so the one-time work of a run (reports, code
  // run once and cold, the first listener's modules) is taken out too.
  const long: ProcessRun[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(REPEAT / 2)); i++) {
    const run = await sweep(port, '--field', 'p1,p2', '--values', '64-113');
    expectPass(run, 'the 2,500-probe sweep');
    long.push(run);
  }
  const marginal = (cpu(long) - cpu(a)) / (2500 - 256);
  check('the engine alone: CPU per additional probe (2,500 probes against 256), at most 1 ms', marginal <= 1, `${marginal.toFixed(2)} ms`);
}

async function slowLink(upstream: number, against: string, servers: RunningServer[]): Promise<void> {
  const link = await startSimulator({ host: '127.0.0.1', port: 0, upstream: { host: '127.0.0.1', port: upstream }, corrupt: [], delayMs: 5 });
  servers.push(link);
  console.log(`\nA 5 ms link (each direction) in front of ${against}`);
  const ftplib = await runFtplib(FTPLIB, '127.0.0.1', link.port);
  console.log(`  ftplib: ${s(ftplib.wallMs)} (${ftplib.passed} of 256 passed)`);
  const at: Record<number, number> = {};
  for (const n of [16, 64]) {
    const runs: ProcessRun[] = [];
    for (let i = 0; i < Math.max(3, Math.floor(REPEAT / 2)); i++) {
      const run = await sweep(link.port, '--concurrency', String(n));
      expectPass(run, `the sweep at ${n} connections`);
      runs.push(run);
    }
    at[n] = median(runs.map((r) => r.wallMs));
    console.log(`  ftpsweep, ${n} connections: ${s(at[n])} whole process (${(at[n] / ftplib.wallMs).toFixed(3)}× ftplib)`);
  }
  check('16 connections, whole process, at most 0.10× ftplib', at[16]! <= 0.1 * ftplib.wallMs, `${(at[16]! / ftplib.wallMs).toFixed(3)}×`);
  check('64 connections never slower than 16', at[64]! <= at[16]! * 1.05, `${s(at[64]!)} against ${s(at[16]!)}`);
}

async function portSpace(reflector: number): Promise<void> {
  console.log('\nThe whole port space: 64,512 reply-oracle probes (--field p1,p2: ports 1024..65535, 16 connections) against the reflector, the median of 3 runs');
  // Three runs, the median one kept: one run of 5 s moves by a fifth on this machine.
  const runs: ProcessRun[] = [];
  for (let i = 0; i < 3; i++) {
    const one = await runNode(NODE_FLAGS, CLI, ['sweep', '--host', '127.0.0.1', '--port', String(reflector), '--field', 'p1,p2', '--oracle', 'reply', '--confirm', '0', '--concurrency', '16', '--out', path.join(work, 'plane'), '--force'], 100);
    // 64,512 probes since the 2-D plan leaves out ports below 1024 (p1 0..3, RFC 2577): all pass.
    expectPass(one, 'the 2-D sweep', [0]);
    runs.push(one);
  }
  const run = [...runs].sort((x, y) => x.wallMs - y.wallMs)[1]!;
  const samples = run.rssSamples;
  // Flat: RSS in the last quarter of the run against the second quarter (start-up excluded).
  const quarter = (k: number): number => median(samples.filter(([t]) => t >= (k * run.wallMs) / 4 && t < ((k + 1) * run.wallMs) / 4).map(([, mb]) => mb));
  const [q2, q4] = [quarter(1), quarter(3)];
  // Memory: the highest peak of the three, not the median's.
  const peak = Math.max(...runs.map((r) => r.maxRssMb ?? Infinity));
  console.log(`  whole process ${s(run.wallMs)} (runs: ${runs.map((r) => s(r.wallMs)).join(', ')}), peak RSS ${peak.toFixed(0)} MB; RSS ${q2.toFixed(0)} MB in the second quarter, ${q4.toFixed(0)} MB in the last`);
  check('64,512 probes in under 5 s', run.wallMs < 5000, s(run.wallMs));
  check('peak RSS under 100 MB', peak < 100, `${peak.toFixed(0)} MB`);
  check('memory flat over the run (last quarter within 20% of the second)', q4 <= q2 * 1.2, `${q2.toFixed(0)} → ${q4.toFixed(0)} MB`);
}

async function main(): Promise<void> {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-bench-'));
  const servers: RunningServer[] = [];
  let vsftpd: Awaited<ReturnType<typeof startVsftpd>> | undefined;
  try {
    console.log(`ftpsweep bench: whole processes, medians of ${REPEAT} runs (FTPSWEEP_BENCH_REPEAT)`);
    const reflector = await startReflector({ host: '127.0.0.1', port: 0 });
    servers.push(reflector);
    vsftpd = await startVsftpd();
    const far = typeof vsftpd === 'string' ? { port: reflector.port, name: `the reflector (no vsftpd: ${vsftpd})` } : { port: vsftpd.port, name: 'vsftpd' };
    await startUp();
    await bareLoopback(far.port, far.name);
    await slowLink(far.port, far.name, servers);
    await portSpace(reflector.port);
  } finally {
    await Promise.all(servers.map((server) => server.close()));
    if (vsftpd !== undefined && typeof vsftpd !== 'string') await vsftpd.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
