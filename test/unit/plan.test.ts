import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { inferredSeen, ownedByte, parseFields, planValues, probeTarget, type Plan } from '../../src/model/plan.js';

const PORT = (fields: Plan['fields']): Plan => ({ command: 'PORT', fields });

describe('which command each value becomes', () => {
  it.each([
    [PORT(['p2']), 227, 124, 'PORT 127,0,0,1,124,227', 124 * 256 + 227, true],
    [PORT(['p1']), 200, 7, 'PORT 127,0,0,1,200,7', 200 * 256 + 7, true],
    [PORT(['h4']), 9, 124, 'PORT 127,0,0,9,124,9', 124 * 256 + 9, false],
    [PORT(['h4']), 1, 124, 'PORT 127,0,0,1,124,1', 124 * 256 + 1, true],
    [PORT(['p1', 'p2']), 124 * 256 + 227, 99, 'PORT 127,0,0,1,124,227', 124 * 256 + 227, true],
    [PORT(['h3', 'h4']), 5 * 256 + 6, 124, 'PORT 127,0,5,6,124,6', 124 * 256 + 6, false],
    [{ command: 'EPRT', fields: ['p2'] } as Plan, 227, 124, `EPRT |1|127.0.0.1|${124 * 256 + 227}|`, 124 * 256 + 227, true],
  ] as const)('%j value %i (own byte %i) → %s', (plan, value, own, line, port, dataExpected) => {
    expect(probeTarget(plan, value, own, '127.0.0.1')).toEqual({ line, port, dataExpected });
  });

  it('EPRT over IPv6', () => {
    expect(probeTarget({ command: 'EPRT', fields: ['p2'] }, 5, 64, '::1').line).toBe(`EPRT |2|::1|${64 * 256 + 5}|`);
  });

  it('each connection owns the port byte that is not swept', () => {
    expect([ownedByte(PORT(['p2'])), ownedByte(PORT(['p1'])), ownedByte(PORT(['h1'])), ownedByte(PORT(['p1', 'p2']))]).toEqual(['p1', 'p2', 'p1', undefined]);
  });

  it('two fields sweep every pair: value = first × 256 + second', () => {
    const values = planValues(PORT(['p1', 'p2']), [0, 1, 255]);
    expect(values).toEqual([0, 1, 255, 256, 257, 511, 65280, 65281, 65535]);
    expect(planValues(PORT(['p1', 'p2']), Array.from({ length: 256 }, (_, v) => v))).toHaveLength(65536);
  });

  it.each([['q1'], ['p1,p1'], ['h1,h2,h3'], ['']])('rejects --field %j', (text) => {
    expect(() => parseFields(text)).toThrow(UsageError);
  });

  it('EPRT sweeps port bytes only', () => {
    expect(() => parseFields('h4', 'EPRT')).toThrow(/--field h4 with EPRT: only its port bytes/);
    expect(parseFields('p1,p2', 'EPRT')).toEqual(['p1', 'p2']);
  });

  it('what the far side must have seen, from the port its data reached', () => {
    expect(inferredSeen('PORT', 124 * 256 + 22)).toBe('PORT ...,124,22');
    expect(inferredSeen('EPRT', 31766)).toBe('EPRT |.|...|31766|');
  });
});
