/**
 * SweepOptions from flags, their defaults and checks, and how summary.json records them — all read
 * off the settings table (settings.ts).
 */
import { UsageError } from '../errors.js';
import type { Given } from './readers.js';
import { FLAG_DEFAULTS, ROWS, type SummaryOptions, type SweepFlags, type SweepOptions } from './settings.js';

/** The options the flags make (defaults applied first). The password is read from `env`, never argv. */
export function sweepOptionsFrom(given: SweepFlags, env: NodeJS.ProcessEnv): SweepOptions {
  const flags: Given = { ...FLAG_DEFAULTS, ...given };
  const options: Record<string, unknown> = {};
  for (const [, row] of ROWS) if (row.option !== undefined && row.parse) options[row.option] = row.parse(flags, env);
  return options as SweepOptions;
}

/** Every option at its default; the host is the caller's to give. */
export const SWEEP_DEFAULTS: Omit<SweepOptions, 'host'> = sweepOptionsFrom({ host: '' }, {});

/** Checks option ranges; throws UsageError naming the flag. */
export function validateSweepOptions(options: SweepOptions): void {
  const inRange = (flag: string, n: number, [min, max]: readonly [number, number]): void => {
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} ${n} is out of range`, `use a whole number ${min}..${max}`);
  };
  for (const [name, row] of ROWS) {
    if (row.range && row.option !== undefined) inRange(`--${name}`, (options as unknown as Record<string, number>)[row.option]!, row.range);
  }
  if (options.values.length === 0) throw new UsageError('no values to probe', 'give --values, e.g. 0-255');
  for (const v of options.values) inRange('value', v, [0, 255]);
  if (options.variants.length === 0) throw new UsageError('no variants to probe', 'give --variant plain, or leave it out');
  if (options.fields.length === 2 && (options.variants.length > 1 || options.variants[0] !== 'plain' || options.split.kind !== 'none')) {
    throw new UsageError('a 2-D sweep (two fields) takes no --variant or --split', 'sweep variants and split commands over one field');
  }
}

/** Where summary.json says what was swept: the rows it keeps with the target. */
export type SummaryTarget = Pick<SweepOptions, 'host' | 'port' | 'user'>;

/** summary.json's view of the options: `target` (host, port, user) and `options`. */
export function summaryView(options: SweepOptions): { readonly target: SummaryTarget; readonly options: SummaryOptions } {
  const view = { target: {} as Record<string, unknown>, options: {} as Record<string, unknown> };
  for (const [, row] of ROWS) {
    if (row.summary === undefined || row.option === undefined) continue;
    const value = (options as unknown as Record<string, unknown>)[row.option];
    view[row.summary][row.option] = row.write ? (row.write as (v: unknown) => unknown)(value) : value;
  }
  return { target: view.target as SummaryTarget, options: view.options as unknown as SummaryOptions };
}

/**
 * Where two sweeps differ in what they are (rows marked `identity`), as summary.json has them: an
 * empty list when `--resume` may go on. `previous` is an earlier summary's target, options and shard.
 */
export function identityDifferences(previous: { readonly target: object; readonly options: object; readonly shard: unknown }, now: SweepOptions): string[] {
  const view = summaryView(now);
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const differs: string[] = [];
  if (!same(previous.target, view.target)) {
    const t = previous.target as { user?: string; host?: string; port?: number };
    differs.push(`target ${t.user}@${t.host}:${t.port}`);
  }
  for (const [, row] of ROWS) {
    if (!row.identity || row.summary !== 'options' || row.option === undefined) continue;
    const was = (previous.options as Record<string, unknown>)[row.option];
    if (!same(was, (view.options as Record<string, unknown>)[row.option])) differs.push(`${row.option} ${JSON.stringify(was)}`);
  }
  if (!same(previous.shard, now.shard ?? null)) differs.push(`shard ${JSON.stringify(previous.shard)}`);
  return differs;
}
