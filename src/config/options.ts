/**
 * SweepOptions from flags, their defaults and checks, and how summary.json records them — all read
 * off the settings table (settings.ts).
 */
import { UsageError } from '../errors.js';
import type { ProbePlan } from '../model/probes.js';
import { parseValueList } from '../model/values.js';
import { checkRange } from './flagText.js';
import type { Given } from './readers.js';
import { FLAG_DEFAULTS, ROWS, type SummaryOptions, type SweepFlags, type SweepOptions } from './settings.js';
import { formatEndpoint } from '../ftp/address.js';

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
  const inRange = checkRange;
  for (const [name, row] of ROWS) {
    if (row.range && row.option !== undefined) inRange(`--${name}`, (options as unknown as Record<string, number>)[row.option]!, row.range);
  }
  if (options.values.length === 0) throw new UsageError('no values to probe', 'give --values, e.g. 0-255');
  for (const v of options.values) inRange('value', v, [0, 255]);
  if (options.variants.length === 0) throw new UsageError('no variants to probe', 'give --variant plain, or leave it out');
  if (options.fields.length === 2 && (options.variants.length > 1 || options.variants[0] !== 'plain' || options.split.kind !== 'none')) {
    throw new UsageError('a 2-D sweep (two fields) takes no --variant or --split', 'sweep variants and split commands over one field');
  }
  // Both port bytes swept: no connection owns one, so a high byte given would be silently unused.
  if (options.fields.includes('p1') && options.fields.includes('p2') && options.highByte !== 'auto') {
    throw new UsageError(`--high-byte ${options.highByte} does nothing with --field ${options.fields.join(',')}: both port bytes are swept`, 'leave out --high-byte');
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

/** A sweep as summary.json tells it: its target and options. */
export interface SweepView {
  readonly target: SummaryTarget;
  readonly options: SummaryOptions;
}

/**
 * Where two sweeps differ in what they are (the target, and the rows marked `identity`), as
 * summary.json has them, saying what `was` had: empty when they are one sweep — a folder `--resume`
 * may finish, shards `merge` may join.
 */
export function identityDifferences(was: SweepView, now: SweepView): string[] {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const differs: string[] = [];
  if (!same(was.target, now.target)) differs.push(`target ${was.target.user}@${formatEndpoint(was.target.host, was.target.port)}`);
  for (const [, row] of ROWS) {
    if (!row.identity || row.summary !== 'options' || row.option === undefined) continue;
    const [a, b] = [(was.options as Record<string, unknown>)[row.option], (now.options as Record<string, unknown>)[row.option]];
    if (!same(a, b)) differs.push(`${row.option} ${JSON.stringify(a)}`);
  }
  return differs;
}

/** The whole plan of a sweep as its summary.json tells it (every shard's summary tells all of it). */
export function planOf(options: SummaryOptions): ProbePlan {
  return { command: options.command, fields: options.fields, values: parseValueList(options.values), variants: options.variants, shard: undefined };
}
