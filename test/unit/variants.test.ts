import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { applyVariant, cutPoint, parseSplit, parseVariants, VARIANTS } from '../../src/model/variants.js';

describe('syntax variants', () => {
  const line = 'PORT 127,0,0,1,124,227';
  it.each([
    ['plain', 'PORT 127,0,0,1,124,227', '\r\n', ''],
    ['lower', 'port 127,0,0,1,124,227', '\r\n', ''],
    ['extra-space', 'PORT  127,0,0,1,124,227', '\r\n', ''],
    ['trailing-space', 'PORT 127,0,0,1,124,227 ', '\r\n', ''],
    ['leading-zeros', 'PORT 127,000,000,001,124,227', '\r\n', ''],
    ['bare-lf', 'PORT 127,0,0,1,124,227', '\n', ''],
    ['pipelined', 'PORT 127,0,0,1,124,227', '\r\n', 'NOOP\r\n'],
  ] as const)('%s', (variant, sent, terminator, trailer) => {
    expect(applyVariant(line, variant)).toMatchObject({ line: sent, terminator, trailer });
  });

  it.each([
    ['pad-128', 128],
    ['pad-256', 256],
  ] as const)('%s pads past %i bytes and keeps the value', (variant, past) => {
    const wire = applyVariant(line, variant);
    expect(wire.line.length).toBe(past + 1);
    expect(wire.line).toMatch(/^PORT 0+127,0,0,1,124,227$/);
    expect(applyVariant('EPRT |1|127.0.0.1|31971|', variant).line).toMatch(/^EPRT \|1\|127\.0\.0\.1\|0+31971\|$/);
  });

  it('parses lists, all, and refuses unknown names', () => {
    expect(parseVariants('all')).toEqual([...VARIANTS]);
    expect(parseVariants('lower,bare-lf,lower')).toEqual(['lower', 'bare-lf']);
    expect(() => parseVariants('uppercase')).toThrow(/--variant uppercase is not a known variant/);
  });

  it('cut points: fixed, or every one in turn', () => {
    expect(cutPoint(parseSplit('5'), 24, 0)).toBe(5);
    expect(cutPoint(parseSplit('99'), 24, 0)).toBe(23);
    expect(Array.from({ length: 25 }, (_, i) => cutPoint(parseSplit('auto'), 24, i))).toEqual([...Array.from({ length: 23 }, (_, i) => i + 1), 1, 2]);
    expect(cutPoint(parseSplit(undefined), 24, 3)).toBeUndefined();
    expect(() => parseSplit('middle')).toThrow(UsageError);
  });
});
