/**
 * High bytes (p1 of PORT's p1,p2) handed out to control connections. Each live connection owns its
 * own p1, so a PORT corrupted on one connection can never land on another probe's listener, and the
 * confirmation can listen on all 256 ports of its p1 to see where the server really connected.
 *
 * Ports stay within 1280..32767: above 1024 (servers refuse lower ports, some refuse 1024 itself) and
 * below Linux's ephemeral range 32768..60999, where our own outgoing connections take ports.
 */
import { UsageError } from '../errors.js';
import { ownedByte, type Plan } from './plan.js';

export type HighByteSpec = 'auto' | number;

/** Lowest high byte accepted: p1 = 4 gives port 1024, the first unprivileged one (RFC 1700). */
export const MIN_HIGH_BYTE = 4;

/**
 * Candidate high bytes in the order they are handed out. `auto`: 64..127 (ports 16384..32767,
 * above most fixed service ports), then 5..63. A number N: N, N+1, …, 255, then the rest from 5.
 */
export function highByteCandidates(spec: HighByteSpec): number[] {
  const start = spec === 'auto' ? 64 : spec;
  const end = spec === 'auto' ? 127 : 255;
  if (!Number.isInteger(start) || start < MIN_HIGH_BYTE || start > 255) {
    throw new UsageError(`--high-byte ${start} is out of range`, `use auto or a number ${MIN_HIGH_BYTE}..255 (port = high byte × 256 + value)`);
  }
  const out: number[] = [];
  for (let p1 = start; p1 <= end; p1++) out.push(p1);
  for (let p1 = 5; p1 < start; p1++) out.push(p1);
  return out;
}

/**
 * The port bytes connections own — high bytes, or low bytes when p1 is swept — handed out first in,
 * first out: a released byte goes to the back, so a late data connection from an abandoned probe is
 * unlikely to meet a new listener on the same port.
 */
export class OwnedBytePool {
  private readonly free: number[];
  constructor(candidates: readonly number[]) {
    this.free = [...candidates];
  }
  get available(): number {
    return this.free.length;
  }
  take(): number | undefined {
    return this.free.shift();
  }
  release(byte: number): void {
    if (!this.free.includes(byte)) this.free.push(byte);
  }
}

/** `--high-byte auto` or `--high-byte N`. */
export function parseHighByte(text: string): HighByteSpec {
  if (text === 'auto') return 'auto';
  if (!/^\d+$/.test(text)) throw new UsageError(`--high-byte ${text} is not auto or a number`, 'use auto or a number 4..255');
  return Number(text);
}

/** The port bytes connections may own, in the order they are handed out. */
export function ownCandidates(plan: Plan, highByte: HighByteSpec): number[] {
  if (ownedByte(plan) === 'p2') return Array.from({ length: 255 }, (_, i) => i + 1);
  return highByteCandidates(ownedByte(plan) === 'p1' ? highByte : 'auto');
}
