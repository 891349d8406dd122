import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
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
