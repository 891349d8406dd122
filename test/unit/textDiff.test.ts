import { describe, expect, it } from 'vitest';
import { splitDifference } from '../../src/report/textDiff.js';

describe('splitDifference', () => {
  it.each([
    ['PORT 1,2,3,4,5,227', 'PORT 1,2,3,4,5,22_', '7', '_'],
    ['PORT 198,51,100,2,4,1', 'PORT 203,0,113,1,4,1', '198,51,100,2', '203,0,113,1'],
    ['same', 'same', '', ''],
  ])('%s vs %s', (a, b, changedA, changedB) => {
    const d = splitDifference(a, b);
    expect([d.a.changed, d.b.changed]).toEqual([changedA, changedB]);
    expect(d.a.before + d.a.changed + d.a.after).toBe(a);
    expect(d.b.before + d.b.changed + d.b.after).toBe(b);
  });
});
