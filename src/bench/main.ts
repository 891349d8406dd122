/**
 * `npm run bench`: whole-sweep times against the local reflector, both oracles, several
 * concurrencies, on bare loopback and through the simulated firewall with a 5 ms delay each way;
 * then the whole port space (65,536 reply-oracle probes) with its peak memory. The sweep runs as its
 * own process (the CLI, as users run it); the reflector and the simulator run here. Prints figures
 * and whether each target is met; never part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../servers/firewallSimulator.js';
import type { RunningServer } from '../servers/listen.js';
import { startReflector } from '../servers/reflector.js';

const CLI = fileURLToPath(new URL('../bin/main.js', import.meta.url));
const REPEAT = Number(process.env.FTPSWEEP_BENCH_REPEAT ?? 3);

/** Makes the child print its peak RSS (getrusage, KiB) on exit, without code in the CLI for it. */
const MAXRSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss '+process.resourceUsage().maxRSS+'\\n'))`;

interface Run {
  /** Wall time of the whole sweep process, spawn to exit, in ms. */
  readonly processMs: number;
  /** The sweep itself, from summary.json, in ms. */
  readonly sweepMs: number;
  readonly maxRssMb: number;
  readonly counts: Readonly<Record<string, number>>;
}

/** Runs `node args…` to its end (killed after two minutes), collecting its output. */
async function runNode(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr };
}

async function sweepProcess(port: number, oracle: string, concurrency: number, out: string, extra: readonly string[] = []): Promise<Run> {
  // The V8 flag the CLI's shebang gives it (src/cli/main.ts): run it as `npx ftpsweep` would.
  const args = ['--max-semi-space-size=4', '--import', MAXRSS, CLI, 'sweep', '--host', '127.0.0.1', '--port', String(port), '--oracle', oracle, '--concurrency', String(concurrency), '--out', out, '--force', ...extra];
  const started = performance.now();
  const { code, stderr } = await runNode(args);
  const processMs = performance.now() - started;
  if (code !== 0 && code !== 1) throw new Error(`sweep exited ${code} (${args.slice(2).join(' ')}): ${stderr}`);
  const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as { durationMs: number; counts: Record<string, number> };
  return { processMs, sweepMs: summary.durationMs, maxRssMb: Number(/maxrss (\d+)/.exec(stderr)?.[1] ?? 0) / 1024, counts: summary.counts };
}

/** Runs warm.ts in its own process (the servers stay here): warm sweep times per concurrency. */
async function warmSweeps(port: number, oracle: string, concurrencies: readonly number[]): Promise<Record<string, number[]>> {
  const script = fileURLToPath(new URL('./warm.js', import.meta.url));
  const { code, stdout, stderr } = await runNode(['--max-semi-space-size=4', script, String(port), oracle, String(REPEAT), ...concurrencies.map(String)]);
  if (code !== 0) throw new Error(`warm sweeps failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as Record<string, number[]>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const check = (label: string, ok: boolean, figure: string): void => console.log(`  ${ok ? 'MET ' : 'MISS'} ${label}: ${figure}`);

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-bench-'));
  const servers: RunningServer[] = [];
  try {
    const reflector = await startReflector({ host: '127.0.0.1', port: 0 });
    servers.push(reflector);
    const slow = await startSimulator({ host: '127.0.0.1', port: 0, upstream: { host: '127.0.0.1', port: reflector.port }, corrupt: [], delayMs: 5 });
    servers.push(slow);
    const links = [
      { name: 'bare loopback', port: reflector.port },
      { name: '5 ms each way', port: slow.port },
    ];
    const table = new Map<string, { processMs: number; sweepMs: number }>();
    console.log(`ftpsweep bench: 256 values per sweep, median of ${REPEAT} runs (FTPSWEEP_BENCH_REPEAT)\n`);
    console.log('link            oracle  conc  process ms  sweep ms  probes/s');
    for (const link of links) {
      for (const oracle of ['data', 'reply']) {
        for (const concurrency of [1, 4, 16, 64]) {
          const runs: Run[] = [];
          for (let i = 0; i < REPEAT; i++) {
            const run = await sweepProcess(link.port, oracle, concurrency, path.join(work, `${link.port}-${oracle}-${concurrency}-${i}`));
            if (run.counts.pass !== 256) throw new Error(`expected 256 pass, got ${JSON.stringify(run.counts)}`);
            runs.push(run);
          }
          const run = { processMs: median(runs.map((r) => r.processMs)), sweepMs: median(runs.map((r) => r.sweepMs)) };
          table.set(`${link.name}/${oracle}/${concurrency}`, run);
          console.log(
            `${link.name.padEnd(15)} ${oracle.padEnd(6)} ${String(concurrency).padStart(5)} ${run.processMs.toFixed(0).padStart(11)} ${String(run.sweepMs).padStart(9)} ${(256 / (run.sweepMs / 1000)).toFixed(0).padStart(9)}`,
          );
        }
      }
    }

    // The whole port space: 65,536 reply-oracle probes (p1,p2), bare loopback.
    const plane = await sweepProcess(reflector.port, 'reply', 16, path.join(work, 'plane'), ['--field', 'p1,p2', '--confirm', '0']);
    const probes = Object.values(plane.counts).reduce((a, b) => a + b, 0);
    console.log(
      `\n2-D sweep (--field p1,p2, reply oracle, concurrency 16): ${probes} probes, sweep ${(plane.sweepMs / 1000).toFixed(2)} s ` +
        `(${(probes / (plane.sweepMs / 1000)).toFixed(0)} probes/s), whole process ${(plane.processMs / 1000).toFixed(2)} s, peak RSS ${plane.maxRssMb.toFixed(0)} MB`,
    );

    console.log('\nTargets:');
    const bare = table.get('bare loopback/data/4')!;
    check('full data-oracle sweep on bare loopback, whole process, default concurrency 4, within 1 s', bare.processMs <= 1000, `${bare.processMs.toFixed(0)} ms`);
    const speedups = (oracle: string): { n: number; speedup: number; text: string }[] => {
      const one = table.get(`5 ms each way/${oracle}/1`)!.sweepMs;
      return [16, 64].map((n) => {
        const t = table.get(`5 ms each way/${oracle}/${n}`)!.sweepMs;
        return { n, speedup: one / t, text: `${(one / t).toFixed(1)}× (${one} ms → ${t} ms; floor ${(one / n).toFixed(0)} ms, ${(t / (one / n)).toFixed(2)}× the floor)` };
      });
    };
    for (const { n, speedup, text } of speedups('data')) {
      const need = n === 16 ? 12.5 : 40;
      check(`data oracle on the 5 ms link, fresh process each sweep, concurrency ${n} at least ${need}× faster than 1`, speedup >= need, text);
    }
    // The same scaling in one warm process (the library in a long-lived service): a fresh process
    // pays V8's compilation at the start of every sweep, which weighs most when the sweep is short.
    const warm = await warmSweeps(slow.port, 'data', [1, 16, 64]);
    const warmOne = median(warm['1']!);
    for (const [n, need] of [
      [16, 12.5],
      [64, 40],
    ] as const) {
      const t = median(warm[String(n)]!);
      check(
        `data oracle on the 5 ms link, warm process, concurrency ${n} at least ${need}× faster than 1`,
        warmOne / t >= need,
        `${(warmOne / t).toFixed(1)}× (${warmOne} ms → ${t} ms; floor ${(warmOne / n).toFixed(0)} ms, ${(t / (warmOne / n)).toFixed(2)}× the floor; runs ${warm[String(n)]!.join(', ')})`,
      );
    }
    check('65,536 reply-oracle probes in under 10 s', probes === 65536 && plane.processMs < 10_000, `${(plane.processMs / 1000).toFixed(2)} s whole process`);
    check('peak RSS of that sweep under 200 MB', plane.maxRssMb > 0 && plane.maxRssMb < 200, `${plane.maxRssMb.toFixed(0)} MB`);
    // Figures only: a reply-oracle probe is one round trip, while opening a connection costs three
    // one-way delays (greeting, USER, PASS), so at 64 connections the floor is below a login.
    for (const { n, text } of speedups('reply')) console.log(`  info reply oracle on the 5 ms link, concurrency ${n}: ${text}`);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    await rm(work, { recursive: true, force: true });
  }
}

await main();
