import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseShard, shardItems } from '../../src/model/shard.js';

describe('shards', () => {
  it('K/N takes every N-th value from the K-th; the shards cover all values once', () => {
    const values = Array.from({ length: 256 }, (_, v) => v);
    const shards = [1, 2, 3].map((k) => shardItems(values, parseShard(`${k}/3`)));
    expect(shards[0]!.slice(0, 3)).toEqual([0, 3, 6]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(values);
    expect(shards.map((s) => s.length)).toEqual([86, 85, 85]);
  });

  it.each(['0/2', '3/2', '1/0', 'a/b', '1', '1/300'])('rejects %j', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });
});
