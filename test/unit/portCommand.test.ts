import { describe, expect, it } from 'vitest';
import { eprtCommand, formatPortArgument, parseDataPortLine, parseEprtArgument, parsePortArgument, portCommand } from '../../src/ftp/portCommand.js';

describe('PORT (RFC 959 §4.1.2)', () => {
  it('formats host and port bytes', () => {
    expect(portCommand('10.225.1.89', 124, 227)).toBe('PORT 10,225,1,89,124,227');
    expect(formatPortArgument('127.0.0.1', 4, 0)).toBe('127,0,0,1,4,0');
  });

  it('refuses IPv6 and out-of-range bytes', () => {
    expect(() => portCommand('::1', 4, 1)).toThrow(RangeError);
    expect(() => portCommand('127.0.0.1', 256, 1)).toThrow(RangeError);
    expect(() => portCommand('127.0.0.1', 4, -1)).toThrow(RangeError);
  });

  it.each([
    ['10,225,1,89,124,227', '10.225.1.89', 31971],
    ['127,0,0,1,4,0', '127.0.0.1', 1024],
    ['0,0,0,0,255,255', '0.0.0.0', 65535],
    ['127,000,000,001,004,000', '127.0.0.1', 1024],
    [' 127,0,0,1,4,1 ', '127.0.0.1', 1025],
    [`00000000127,0,0,1,4,1`, '127.0.0.1', 1025],
  ])('parses %j strictly (leading zeros and surrounding spaces are fine)', (arg, host, port) => {
    expect(parsePortArgument(arg)).toEqual({ ok: true, address: { family: 4, host, port } });
  });

  it.each([
    ['10,225,1,89,124,22_', 'field 6'],
    ['127,0,0,1,4,256', 'out of range'],
    ['127,0,0,1,4', 'expected 6'],
    ['127,0,0,1,4,1,2', 'expected 6'],
    ['127,0,0,1,4, 1', 'field 6'],
    ['127,0,0,1,4,1_', 'field 6'],
    ['127,0,0,1,4,1 2', 'field 6'],
    ['', 'expected 6'],
  ])('rejects %j (%s)', (arg, reason) => {
    const result = parsePortArgument(arg);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe('EPRT (RFC 2428 §2)', () => {
  it.each([
    ['|1|132.235.1.2|6275|', 4, '132.235.1.2', 6275],
    ['|2|1080::8:800:200C:417A|5282|', 6, '1080::8:800:200C:417A', 5282],
    ['!1!127.0.0.1!2000!', 4, '127.0.0.1', 2000],
  ] as const)('parses %s', (arg, family, host, port) => {
    expect(parseEprtArgument(arg)).toEqual({ ok: true, address: { family, host, port } });
  });

  it.each(['|3|127.0.0.1|2000|', '|1|::1|2000|', '|1|127.0.0.1|70000|', '|1|127.0.0.1|2000', ' 1 127.0.0.1 2000 ', '|1|127.0.0.1|20_|'])('rejects %j', (arg) => {
    expect(parseEprtArgument(arg).ok).toBe(false);
  });

  it('formats both families', () => {
    expect(eprtCommand('127.0.0.1', 2000)).toBe('EPRT |1|127.0.0.1|2000|');
    expect(eprtCommand('::1', 2000)).toBe('EPRT |2|::1|2000|');
  });
});

describe('a whole data-port line', () => {
  it('parseDataPortLine dispatches on the verb, case-insensitively', () => {
    expect(parseDataPortLine('port 127,0,0,1,4,1').ok).toBe(true);
    expect(parseDataPortLine('EPRT |1|127.0.0.1|1025|').ok).toBe(true);
    expect(parseDataPortLine('NLST').ok).toBe(false);
  });
});
