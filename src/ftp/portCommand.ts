/**
 * The data-port commands: PORT (RFC 959 §4.1.2) and EPRT (RFC 2428 §2). Formatting for the sweep,
 * strict parsing for the reflector and for judging what the far side saw.
 */
import { isIP } from 'node:net';

export interface DataAddress {
  readonly family: 4 | 6;
  readonly host: string;
  readonly port: number;
}

export type ParseResult = { readonly ok: true; readonly address: DataAddress } | { readonly ok: false; readonly reason: string };

/** `h1,h2,h3,h4,p1,p2` for an IPv4 address and the two port bytes (port = p1·256 + p2). */
export function formatPortArgument(host: string, p1: number, p2: number): string {
  if (isIP(host) !== 4) throw new RangeError(`PORT carries IPv4 addresses only, not ${host}`);
  for (const byte of [p1, p2]) {
    if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new RangeError(`port byte out of range: ${byte}`);
  }
  return `${host.split('.').join(',')},${p1},${p2}`;
}

/** RFC 959: `PORT h1,h2,h3,h4,p1,p2`. */
export function portCommand(host: string, p1: number, p2: number): string {
  return `PORT ${formatPortArgument(host, p1, p2)}`;
}

const DECIMAL = /^\d+$/;

/**
 * Strict PORT argument parser: exactly six comma-separated decimal numbers 0..255, nothing else.
 * Unlike the atoi/sscanf parsers of vsftpd or ProFTPD, `22_` is an error here, not 22. Leading
 * zeros (decimal all the same) and spaces around the whole argument are accepted, so that syntax
 * variants test the firewall rather than this parser.
 */
export function parsePortArgument(argument: string): ParseResult {
  const fields = argument.trim().split(',');
  if (fields.length !== 6) return { ok: false, reason: `expected 6 comma-separated numbers, got ${fields.length}` };
  const bytes: number[] = [];
  for (const [i, field] of fields.entries()) {
    if (!DECIMAL.test(field)) return { ok: false, reason: `field ${i + 1} is not a decimal number: ${JSON.stringify(field)}` };
    const value = Number(field);
    if (value > 255) return { ok: false, reason: `field ${i + 1} is out of range 0..255: ${value}` };
    bytes.push(value);
  }
  const [h1, h2, h3, h4, p1, p2] = bytes as [number, number, number, number, number, number];
  return { ok: true, address: { family: 4, host: `${h1}.${h2}.${h3}.${h4}`, port: p1 * 256 + p2 } };
}

/**
 * Strict EPRT argument parser (RFC 2428 §2): `<d>proto<d>address<d>port<d>`, where the delimiter d
 * is any printable ASCII character 33..126 (usually `|`), proto 1 = IPv4, 2 = IPv6.
 */
export function parseEprtArgument(rawArgument: string): ParseResult {
  const argument = rawArgument.trim();
  const d = argument[0];
  if (d === undefined || d.charCodeAt(0) < 33 || d.charCodeAt(0) > 126) {
    return { ok: false, reason: 'missing delimiter (RFC 2428: a printable character such as |)' };
  }
  const parts = argument.split(d);
  // `|1|1.2.3.4|5|` splits into ['', '1', '1.2.3.4', '5', ''].
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') {
    return { ok: false, reason: `expected ${d}proto${d}address${d}port${d}` };
  }
  const [, proto, host, portText] = parts as [string, string, string, string, string];
  if (proto !== '1' && proto !== '2') return { ok: false, reason: `unknown network protocol ${JSON.stringify(proto)} (1 = IPv4, 2 = IPv6)` };
  const family = proto === '1' ? 4 : 6;
  if (isIP(host) !== family) return { ok: false, reason: `not an IPv${family} address: ${JSON.stringify(host)}` };
  if (!DECIMAL.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    return { ok: false, reason: `port out of range 1..65535: ${JSON.stringify(portText)}` };
  }
  return { ok: true, address: { family, host, port: Number(portText) } };
}

/** RFC 2428: `EPRT |1|host|port|` or `EPRT |2|host|port|`. */
export function eprtCommand(host: string, port: number): string {
  const family = isIP(host);
  if (family === 0) throw new RangeError(`not an IP address: ${host}`);
  return `EPRT |${family === 4 ? 1 : 2}|${host}|${port}|`;
}

/** Splits a command line into its verb (upper-cased) and argument (after the first space). */
export function splitCommand(line: string): { readonly verb: string; readonly argument: string } {
  const space = line.indexOf(' ');
  return space === -1
    ? { verb: line.toUpperCase(), argument: '' }
    : { verb: line.slice(0, space).toUpperCase(), argument: line.slice(space + 1) };
}

/** Parses a whole `PORT …` or `EPRT …` line strictly; anything else is not a data-port command. */
export function parseDataPortLine(line: string): ParseResult {
  const { verb, argument } = splitCommand(line);
  if (verb === 'PORT') return parsePortArgument(argument);
  if (verb === 'EPRT') return parseEprtArgument(argument);
  return { ok: false, reason: `not a PORT or EPRT command: ${JSON.stringify(line.slice(0, 40))}` };
}
