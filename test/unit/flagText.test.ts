/**
 * A flag's text as a whole number, or as a host and a port: tables of what is typed and what it
 * becomes (or the one-line error it gets).
 */
import { describe, expect, it } from 'vitest';
import { portFromHost, splitEndpoint, wholeNumber } from '../../src/config/flagText.js';
import { UsageError } from '../../src/errors.js';

const PORTS = [1, 65535] as const;

/** The error's line as the CLI prints it: message — hint. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return `${error.message} — ${error.hint}`;
    throw error;
  }
  throw new Error('no error');
}

describe('splitEndpoint', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', undefined],
    ['127.0.0.1:45021', '127.0.0.1', '45021'],
    ['ftp.example.net:21', 'ftp.example.net', '21'],
    ['[::1]:45021', '::1', '45021'],
    ['[2001:db8::10]', '2001:db8::10', undefined],
    ['::1', '::1', undefined],
    ['2001:db8::1:21', '2001:db8::1:21', undefined], // a bare IPv6 address: its last group is no port
    [':2121', '', '2121'],
    [' 192.0.2.10:21 ', '192.0.2.10', '21'],
  ])('%j → host %j, port %j', (text, host, port) => {
    expect(splitEndpoint(text)).toEqual({ host, port });
  });
});

describe('wholeNumber', () => {
  it.each([
    ['21', 21],
    [' 21 ', 21],
    ['65535', 65535],
  ])('%j is %d', (text, n) => {
    expect(wholeNumber('--port', text, PORTS)).toBe(n);
  });

  it.each([
    ['abc', '--port abc is not a whole number — use 1..65535'],
    ['0x15', '--port 0x15 is not a whole number — use 1..65535'],
    ['1e3', '--port 1e3 is not a whole number — use 1..65535'],
    ['21.0', '--port 21.0 is not a whole number — use 1..65535'],
    ['', '--port "" is not a whole number — use 1..65535'],
    ['0', '--port 0 is out of range — use a whole number 1..65535'],
    ['65536', '--port 65536 is out of range — use a whole number 1..65535'],
    ['99999999999999999', '--port 99999999999999999 is not a whole number — use 1..65535'],
  ])('%j: %s', (text, line) => {
    expect(failure(() => wholeNumber('--port', text, PORTS))).toBe(line);
  });

  it('an open range says "or more"', () => {
    expect(failure(() => wholeNumber('--max-line', '0', [1, Number.POSITIVE_INFINITY]))).toBe('--max-line 0 is out of range — use a whole number 1 or more');
  });
});

describe('portFromHost', () => {
  it.each([
    [{ host: '127.0.0.1:2121' }, { host: '127.0.0.1', port: 2121 }],
    [{ host: '[::1]:2121', port: 2121 }, { host: '::1', port: 2121 }],
    [{ host: '::1', port: 21 }, { host: '::1', port: 21 }],
    [{ host: '192.0.2.10' }, { host: '192.0.2.10' }],
    [{ port: 21 }, { port: 21 }],
    // Not a port: left for --host's own check to refuse.
    [{ host: 'ftp://192.0.2.10/' }, { host: 'ftp://192.0.2.10/' }],
  ])('%j → %j', (flags, expected) => {
    expect(portFromHost(flags, PORTS)).toEqual(expected);
  });

  it.each([
    [{ host: '127.0.0.1:2121', port: 21 }, '--host 127.0.0.1:2121 names port 2121, but --port is 21 — give the port once: --host 127.0.0.1 --port 21, or --host 127.0.0.1:2121 alone'],
    [{ host: '[::1]:2121', port: 21 }, '--host [::1]:2121 names port 2121, but --port is 21 — give the port once: --host [::1] --port 21, or --host [::1]:2121 alone'],
    [{ host: '127.0.0.1:0' }, '--host 127.0.0.1:0: port 0 is out of range — use a whole number 1..65535'],
    [{ host: '[::1]:' }, '--host [::1]:: port "" is not a whole number — use 1..65535'],
  ])('%j: %s', (flags, line) => {
    expect(failure(() => portFromHost(flags, PORTS))).toBe(line);
  });
});

describe('a host with a port in a sweep file', () => {
  it('gives the port when the file has none (FTPSWEEP_HOST=HOST:PORT with the shipped sweep files)', () => {
    expect(portFromHost({ host: '192.0.2.10:2121' }, [1, 65535], 'sweeps/last-octet.yaml')).toEqual({ host: '192.0.2.10', port: 2121 });
  });

  it('against the file\'s own port: one line naming the file, not a --port nobody typed', () => {
    expect(() => portFromHost({ host: '192.0.2.10:2121', port: 21 }, [1, 65535], 'sweeps/linux-ftp-helper.yaml')).toThrow(/^sweeps\/linux-ftp-helper\.yaml: host 192\.0\.2\.10:2121 names port 2121, but the file's port is 21$/);
  });
});
