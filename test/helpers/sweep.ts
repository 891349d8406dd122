import { SWEEP_DEFAULTS } from '../../src/config/options.js';
import { type SweepOptions } from '../../src/config/settings.js';

export const ALL_VALUES: readonly number[] = Array.from({ length: 256 }, (_, v) => v);

/** Sweep options against a loopback peer: defaults plus what the test sets. */
export function loopbackOptions(port: number, overrides: Partial<SweepOptions> = {}): SweepOptions {
  return { ...SWEEP_DEFAULTS, host: '127.0.0.1', port, values: ALL_VALUES, ...overrides };
}

/** The values whose verdict is not `verdict`. */
export function valuesNot(results: readonly { value: number; verdict: string }[], verdict: string): number[] {
  return results.filter((r) => r.verdict !== verdict).map((r) => r.value);
}
