/**
 * Sharding: `--shard K/N` gives runner K of N every N-th probe, so a CI matrix can fan a large sweep
 * out and `ftpsweep merge` can join the reports. Interleaving (not blocks) spreads values that a
 * firewall treats alike across shards, so the shards take about the same time.
 */
import { UsageError } from '../errors.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || count > 256) {
    throw new UsageError(`--shard ${JSON.stringify(text)} is not K/N with 1 ≤ K ≤ N ≤ 256`, 'e.g. --shard 2/4 runs the second of four shards');
  }
  return { index, count };
}

/** Shard K/N of a list: positions K-1, K-1+N, … */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}
