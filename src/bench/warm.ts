/**
 * Bench helper: sweeps in one long-lived process, after a warm-up sweep, so the timings measure how
 * the engine scales with concurrency rather than how long V8 takes to compile it (a fixed start-up
 * cost every fresh process pays). Prints one JSON line: concurrency → sweep times in ms.
 * Usage: node dist/bench/warm.js PORT ORACLE REPEAT CONCURRENCY…
 */
import { SWEEP_DEFAULTS } from '../config/options.js';
import { runSweep } from '../sweep/sweep.js';

const [port, oracle, repeat, ...concurrencies] = process.argv.slice(2);
const options = {
  ...SWEEP_DEFAULTS,
  host: '127.0.0.1',
  port: Number(port),
  oracle: oracle === 'reply' ? ('reply' as const) : ('data' as const),
};
await runSweep({ ...options, concurrency: 16 }); // warm-up
const times: Record<string, number[]> = {};
for (const c of concurrencies.map(Number)) {
  times[c] = [];
  for (let i = 0; i < Number(repeat); i++) {
    const outcome = await runSweep({ ...options, concurrency: c });
    if (outcome.results.some((r) => r.verdict !== 'pass')) throw new Error(`a value did not pass at concurrency ${c}`);
    times[c]!.push(outcome.endedAt.getTime() - outcome.startedAt.getTime());
  }
}
process.stdout.write(`${JSON.stringify(times)}\n`);
