import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { HighBytePool, highByteCandidates } from '../../src/model/ownedBytes.js';
import { formatValueList, parseValueList } from '../../src/model/values.js';

describe('value lists', () => {
  it.each([
    ['0-255', 256, 0, 255],
    ['220-230,0', 12, 0, 230],
    ['227', 1, 227, 227],
    ['5, 3 ,5,1-2', 4, 1, 5],
  ])('%s', (text, count, first, last) => {
    const values = parseValueList(text);
    expect(values).toHaveLength(count);
    expect(values[0]).toBe(first);
    expect(values.at(-1)).toBe(last);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
  });

  it.each([['256'], ['-1'], ['a'], ['10-5'], [''], ['1,,2'], ['1-2-3']])('rejects %j with a UsageError naming the flag', (text) => {
    expect(() => parseValueList(text)).toThrow(UsageError);
    expect(() => parseValueList(text)).toThrow(/--values/);
  });

  it('formats compactly and round-trips', () => {
    expect(formatValueList([0, 1, 2, 3, 7, 9, 10])).toBe('0-3,7,9-10');
    expect(parseValueList(formatValueList(parseValueList('220-230,0,5')))).toEqual(parseValueList('220-230,0,5'));
  });
});

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
    const pool = new HighBytePool([10, 11, 12]);
    expect([pool.take(), pool.take()]).toEqual([10, 11]);
    pool.release(10);
    expect([pool.take(), pool.take(), pool.take()]).toEqual([12, 10, undefined]);
  });
});
