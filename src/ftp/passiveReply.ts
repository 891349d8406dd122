/**
 * The server's half of passive mode: parsing the 227 reply to PASV (RFC 959 §4.1.2, read as
 * RFC 1123 §4.1.2.6 says: scan for the first digit, parentheses optional) and the 229 reply to EPSV
 * (RFC 2428 §3: `(<d><d><d><port><d>)`, the address being the control connection's peer).
 */
import { isIP } from 'node:net';
import type { DataAddress, ParseResult } from './portCommand.js';

/** `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)` → host and port. Strict about the numbers. */
export function parsePasvReply(text: string): ParseResult {
  const start = text.search(/\d/);
  if (start === -1) return { ok: false, reason: 'no numbers in the reply' };
  const match = /^(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)(?![\w,])/.exec(text.slice(start));
  if (!match) return { ok: false, reason: `not six comma-separated numbers: ${JSON.stringify(text.slice(start, start + 40))}` };
  const bytes = match.slice(1).map(Number);
  if (bytes.some((b) => b > 255)) return { ok: false, reason: `a number is out of range 0..255: ${match[0]}` };
  const [h1, h2, h3, h4, p1, p2] = bytes as [number, number, number, number, number, number];
  return { ok: true, address: { family: 4, host: `${h1}.${h2}.${h3}.${h4}`, port: p1 * 256 + p2 } };
}

/** `229 Entering Extended Passive Mode (|||31971|)` → the port, at `peer` (the control peer). */
export function parseEpsvReply(text: string, peer: string): ParseResult {
  const match = /\((.)\1\1(\d+)\1\)/.exec(text);
  if (!match) return { ok: false, reason: `no (|||port|) in the reply: ${JSON.stringify(text.slice(0, 60))}` };
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return { ok: false, reason: `port out of range 1..65535: ${match[2]}` };
  const family = isIP(peer) === 6 ? 6 : 4;
  return { ok: true, address: { family, host: peer, port } satisfies DataAddress };
}

/** The reply text the reflector sends for a passive offer (without its tags). */
export function passiveReplyText(command: 'PASV' | 'EPSV', address: DataAddress): string {
  if (command === 'EPSV') return `Entering Extended Passive Mode (|||${address.port}|)`;
  return `Entering Passive Mode (${address.host.split('.').join(',')},${address.port >> 8},${address.port & 255}).`;
}
