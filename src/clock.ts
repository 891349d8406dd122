/**
 * Milliseconds on a monotonic clock, for durations. Not `performance.now()`: the first use of the
 * global `performance` loads perf_hooks and eight more of Node's internal modules (2 ms of every
 * sweep, for a clock).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
