import { describe, expect, it } from 'vitest';
import { sweepOptionsFrom } from '../../src/config/options.js';
import { UsageError } from '../../src/errors.js';
import { inferredSeen, ownedByte, parseFields, planValues, probeTarget, type Plan } from '../../src/model/plan.js';

const ALL = Array.from({ length: 256 }, (_, v) => v);
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
    expect(planValues(PORT(['h3', 'h4']), [0, 1, 255])).toEqual([0, 1, 255, 256, 257, 511, 65280, 65281, 65535]);
    expect(planValues(PORT(['h3', 'h4']), ALL)).toHaveLength(65536);
  });

  it('p1,p2 leaves out p1 0..3 (ports below 1024, refused by servers: RFC 2577), and only there', () => {
    expect(planValues(PORT(['p1', 'p2']), [0, 3, 4, 255])).toEqual([4 * 256, 4 * 256 + 3, 4 * 256 + 4, 4 * 256 + 255, 255 * 256, 255 * 256 + 3, 255 * 256 + 4, 65535]);
    expect(planValues(PORT(['p2', 'p1']), [3, 4])).toEqual([3 * 256 + 4, 4 * 256 + 4]);
    expect(planValues(PORT(['p1']), [0, 3, 4])).toEqual([0, 3, 4]);
  });

  it('the default plan for --field p1,p2 starts p1 at 4 and p2 at 0: every port from 1024, 64,512 of them', () => {
    const options = sweepOptionsFrom({ host: '127.0.0.1', field: 'p1,p2' }, {});
    const plan = planValues({ command: options.command, fields: options.fields }, options.values);
    expect(plan).toHaveLength(252 * 256);
    expect([plan[0], plan.at(-1)]).toEqual([1024, 65535]);
    expect(plan.slice(0, 4)).toEqual([4 * 256, 4 * 256 + 1, 4 * 256 + 2, 4 * 256 + 3]);
    expect(sweepOptionsFrom({ host: '127.0.0.1', field: 'p1' }, {}).values[0]).toBe(4);
    expect(sweepOptionsFrom({ host: '127.0.0.1', field: 'p2' }, {}).values[0]).toBe(0);
  });

  it('a p1,p2 value list with nothing from 4 up is a usage error', () => {
    expect(() => sweepOptionsFrom({ host: '127.0.0.1', field: 'p1,p2', values: '0-3' }, {})).toThrow(/--values 0-3 with --field p1,p2: p1 below 4 makes only ports below 1024/);
    expect(sweepOptionsFrom({ host: '127.0.0.1', field: 'h3,h4', values: '0-3' }, {}).values).toEqual([0, 1, 2, 3]);
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
