/**
 * `npm run bench`: whole-sweep times against the local reflector, both oracles, several
 * concurrencies, on bare loopback and through the simulated firewall with a 5 ms delay each way.
 * The sweep runs as its own process (the CLI, as users run it); the reflector and the simulator run
 * here. Prints figures and whether each target is met; never part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../servers/firewallSimulator.js';
import type { RunningServer } from '../servers/listen.js';
import { startReflector } from '../servers/reflector.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const REPEAT = Number(process.env.FTPSWEEP_BENCH_REPEAT ?? 3);

interface Run {
  /** Wall time of the whole sweep process, spawn to exit, in ms. */
  readonly processMs: number;
  /** The sweep itself, from summary.json, in ms. */
  readonly sweepMs: number;
}

async function sweepProcess(port: number, oracle: string, concurrency: number, out: string): Promise<Run> {
  const args = [CLI, 'sweep', '--host', '127.0.0.1', '--port', String(port), '--oracle', oracle, '--concurrency', String(concurrency), '--out', out];
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  const processMs = performance.now() - started;
  if (code !== 0) throw new Error(`sweep exited ${code} (${args.slice(1).join(' ')})`);
  const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as { durationMs: number; counts: { pass: number } };
  if (summary.counts.pass !== 256) throw new Error(`expected 256 pass, got ${JSON.stringify(summary.counts)}`);
  return { processMs, sweepMs: summary.durationMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

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
    const table = new Map<string, Run>();
    console.log(`ftpsweep bench: 256 values per sweep, median of ${REPEAT} runs (FTPSWEEP_BENCH_REPEAT)\n`);
    console.log('link            oracle  conc  process ms  sweep ms  probes/s');
    for (const link of links) {
      for (const oracle of ['data', 'reply']) {
        for (const concurrency of [1, 4, 16, 64]) {
          const runs: Run[] = [];
          for (let i = 0; i < REPEAT; i++) runs.push(await sweepProcess(link.port, oracle, concurrency, path.join(work, `${link.port}-${oracle}-${concurrency}-${i}`)));
          const run = { processMs: median(runs.map((r) => r.processMs)), sweepMs: median(runs.map((r) => r.sweepMs)) };
          table.set(`${link.name}/${oracle}/${concurrency}`, run);
          console.log(
            `${link.name.padEnd(15)} ${oracle.padEnd(6)} ${String(concurrency).padStart(5)} ${run.processMs.toFixed(0).padStart(11)} ${String(run.sweepMs).padStart(9)} ${(256 / (run.sweepMs / 1000)).toFixed(0).padStart(9)}`,
          );
        }
      }
    }

    console.log('\nTargets:');
    const check = (label: string, ok: boolean, figure: string): void => console.log(`  ${ok ? 'MET ' : 'MISS'} ${label}: ${figure}`);
    const bare = table.get('bare loopback/data/4')!;
    check('full data-oracle sweep on bare loopback, whole process, default concurrency 4, within 1 s', bare.processMs <= 1000, `${bare.processMs.toFixed(0)} ms`);
    for (const oracle of ['data', 'reply']) {
      const one = table.get(`5 ms each way/${oracle}/1`)!.sweepMs;
      for (const [n, need] of [
        [16, 12.5],
        [64, 40],
      ] as const) {
        const t = table.get(`5 ms each way/${oracle}/${n}`)!.sweepMs;
        const speedup = one / t;
        check(`${oracle} oracle on the 5 ms link, concurrency ${n} at least ${need}× faster than 1`, speedup >= need, `${speedup.toFixed(1)}× (${one} ms → ${t} ms; floor ${(one / n).toFixed(0)} ms, ${(t / (one / n)).toFixed(2)}× the floor)`);
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    await rm(work, { recursive: true, force: true });
  }
}

await main();
