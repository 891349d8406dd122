import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { corruptLine, corruptReply } from '../../src/servers/firewallSimulator.js';
import { parseEpsvReply, parsePasvReply } from '../../src/ftp/passiveReply.js';
import { ResultsStream } from '../../src/report/resultsStream.js';
import { UsageError } from '../../src/errors.js';
import { inferredSeen, ownedByte, parseFields, planValues, probeTarget, type Plan } from '../../src/model/plan.js';
import { applyVariant, cutPoint, parseSplit, parseVariants, VARIANTS } from '../../src/model/variants.js';
import type { ResultRow } from '../../src/model/valueResult.js';

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

describe('the simulated firewall', () => {
  const bad = new Set([227]);
  it.each([
    ['PORT 127,0,0,1,124,227\r\n', 'PORT 127,0,0,1,124,22_\r\n'],
    ['port 127,0,0,1,124,227\n', 'port 127,0,0,1,124,22_\n'],
    ['PORT 127,0,0,1,124,226\r\n', 'PORT 127,0,0,1,124,226\r\n'],
    ['PORT 127,0,0,1,124,227 \r\n', 'PORT 127,0,0,1,124,227 \r\n'],
    [`EPRT |1|127.0.0.1|${124 * 256 + 227}|\r\n`, `EPRT |1|127.0.0.1|3197_|\r\n`],
    [`EPRT |2|::1|${124 * 256 + 227}|\r\n`, `EPRT |2|::1|3197_|\r\n`],
    ['NLST\r\n', 'NLST\r\n'],
  ])('%j → %j', (line, out) => {
    expect(corruptLine(line, bad)).toBe(out);
  });
});

describe('results.csv while the sweep runs', () => {
  it('writes rows in sweep order as soon as every earlier row is final', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-stream-'));
    try {
      const file = path.join(dir, 'r', 'results.csv');
      const stream = new ResultsStream(file, (row) => row.value);
      const row = (value: number): ResultRow => ({ value, variant: 'plain', verdict: 'pass', sent: `PORT ${value}`, seen: '', replyCode: 200, reply: '200 ok', data: 'arrived', failures: 0, attempts: 1, detail: 'd', ms: 1 });
      stream.add(row(2));
      stream.add(row(1));
      expect(stream.held).toBe(2); // waiting for 0
      stream.add(row(0));
      expect(stream.held).toBe(0);
      stream.add(row(3));
      await stream.close();
      const rows = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.value)).toEqual(['0', '1', '2', '3']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('passive offers (RFC 959 227, RFC 1123 §4.1.2.6, RFC 2428 229)', () => {
  it.each([
    ['Entering Passive Mode (127,0,0,1,124,227).', '127.0.0.1', 31971],
    ['Entering Passive Mode 10,0,0,5,4,1', '10.0.0.5', 1025],
    ['=192,0,2,9,200,10', '192.0.2.9', 51210],
  ])('227 %j', (text, host, port) => {
    expect(parsePasvReply(text)).toEqual({ ok: true, address: { family: 4, host, port } });
  });

  it.each(['Entering Passive Mode (127,0,0,1,124,22_)', 'Entering Passive Mode (127,0,0,1,124)', 'Passive', '(127,0,0,1,124,256)'])('227 %j is not a valid offer', (text) => {
    expect(parsePasvReply(text).ok).toBe(false);
  });

  it('229 offers a port at the control peer', () => {
    expect(parseEpsvReply('Entering Extended Passive Mode (|||31971|)', '::1')).toEqual({ ok: true, address: { family: 6, host: '::1', port: 31971 } });
    expect(parseEpsvReply('Entering Extended Passive Mode (|||3197_|)', '127.0.0.1').ok).toBe(false);
  });

  it('the simulated firewall mangles 227 and 229 offers ending in a corrupted byte', () => {
    expect(corruptReply('227 Entering Passive Mode (127,0,0,1,124,227). [ftpsweep-sent 3232]\r\n', new Set([227]))).toBe('227 Entering Passive Mode (127,0,0,1,124,22_). [ftpsweep-sent 3232]\r\n');
    expect(corruptReply('229 Entering Extended Passive Mode (|||31971|)\r\n', new Set([227]))).toBe('229 Entering Extended Passive Mode (|||3197_|)\r\n');
    expect(corruptReply('226 Transfer complete\r\n', new Set([227]))).toBe('226 Transfer complete\r\n');
  });
});
