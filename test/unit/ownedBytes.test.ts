import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { OwnedBytePool, highByteCandidates } from '../../src/model/ownedBytes.js';

describe('high bytes', () => {
  it('auto stays between 1280 and 32767 and starts at 64', () => {
    const candidates = highByteCandidates('auto');
    expect(candidates[0]).toBe(64);
    expect(Math.min(...candidates) * 256).toBeGreaterThanOrEqual(1280);
    expect(Math.max(...candidates) * 256 + 255).toBeLessThanOrEqual(32767);
    expect(new Set(candidates).size).toBe(candidates.length);
  });

  it('a number N starts at N', () => {
    expect(highByteCandidates(124).slice(0, 3)).toEqual([124, 125, 126]);
    expect(() => highByteCandidates(3)).toThrow(UsageError);
    expect(() => highByteCandidates(256)).toThrow(UsageError);
  });

  it('the pool hands each out once and recycles first-in first-out', () => {
    const pool = new OwnedBytePool([10, 11, 12]);
    expect([pool.take(), pool.take()]).toEqual([10, 11]);
    pool.release(10);
    expect([pool.take(), pool.take(), pool.take()]).toEqual([12, 10, undefined]);
  });
});
