/**
 * A probe's identity: one value, written as one syntax variant. The same identity keys a sweep's
 * plan, the rows it writes, a resumed run's done set, merges, baselines and reports; and it orders
 * them: variant (in the order variants are listed), then value.
 */
import { planValues, type DataCommand, type Field } from './plan.js';
import { shardItems, type Shard } from './shard.js';
import { formatValueList } from './values.js';
import { VARIANTS, type Variant } from './variants.js';

/** What identifies a probe, a row and a row read back from results.csv. */
export interface ProbeIdentity {
  /** The swept value; for a 2-D sweep, first × 256 + second. */
  readonly value: number;
  readonly variant: Variant;
}

/** One probe of a sweep; `index` is its place in the whole plan (it orders `--split auto`'s cuts). */
export interface Probe extends ProbeIdentity {
  readonly index: number;
}

/** A number unique within a sweep, increasing in report order: variant, then value. */
export function probeId(probe: ProbeIdentity): number {
  return VARIANTS.indexOf(probe.variant) * 65536 + probe.value;
}

/**
 * Each planned probe's place in the plan, by identity (undefined: not in the plan). A typed array
 * indexed by probeId, not a Map: a 65,536-probe plan's Map and its entries took 8 MB, all of it
 * promoted to V8's old generation for the whole sweep.
 */
export function planPositions(probes: readonly ProbeIdentity[]): (probe: ProbeIdentity) => number | undefined {
  let top = -1;
  for (const p of probes) top = Math.max(top, probeId(p));
  const at = new Int32Array(top + 1).fill(-1);
  probes.forEach((p, i) => {
    at[probeId(p)] = i;
  });
  return (probe) => {
    const i = at[probeId(probe)];
    return i === undefined || i < 0 ? undefined : i;
  };
}

/** Report order: variant, then value. */
export function compareProbes(a: ProbeIdentity, b: ProbeIdentity): number {
  return probeId(a) - probeId(b);
}

/**
 * A probe as people name it: `227`; `124,227` for a 2-D sweep (first,second); with a syntax
 * variant, `227 trailing-space`. Unique within a sweep, so baselines, JUnit and merges key on it.
 */
export function probeLabel(probe: ProbeIdentity, twoFields: boolean): string {
  const value = twoFields ? `${probe.value >> 8},${probe.value & 255}` : String(probe.value);
  return probe.variant === 'plain' ? value : `${value} ${probe.variant}`;
}

/** What the probes of a sweep follow from (SweepOptions has it). */
export interface ProbePlan {
  readonly command: DataCommand;
  readonly fields: readonly Field[];
  readonly values: readonly number[];
  readonly variants: readonly Variant[];
  readonly shard: Shard | undefined;
}

/** The probes of a sweep (of its shard, if any), in report order. */
export function planProbes(options: ProbePlan): Probe[] {
  const values = planValues({ command: options.command, fields: options.fields }, options.values);
  const probes = options.variants.flatMap((variant, vi) => values.map((value, i) => ({ value, variant, index: vi * values.length + i })));
  return options.shard ? shardItems(probes, options.shard) : probes;
}

/**
 * The probes of `planned` that `done` lacks, as compact value lists (`0-127,200`), one per syntax
 * variant (`bare-lf: 5-9`): what a summary names when a sweep or a merge is incomplete.
 */
export function missingProbes(planned: readonly Probe[], done: readonly ProbeIdentity[]): string[] {
  const have = new Set(done.map(probeId));
  const byVariant = new Map<Variant, number[]>();
  for (const p of planned) {
    if (have.has(probeId(p))) continue;
    const values = byVariant.get(p.variant);
    // push, not a spread: at the start of a 65,536-probe sweep every probe is missing (35 s, quadratic).
    if (values) values.push(p.value);
    else byVariant.set(p.variant, [p.value]);
  }
  return [...byVariant].map(([variant, values]) => `${variant === 'plain' ? '' : `${variant}: `}${formatValueList(values)}`);
}
