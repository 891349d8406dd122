/**
 * Who may hold a control connection: a reflector in a DMZ is reachable by strangers, so it bounds
 * connections in total and per client address, and says why it refuses (421, RFC 959 §4.2).
 */
export interface ServerLimits {
  /** Control connections at once, from everyone. */
  readonly maxConnections: number;
  /** Control connections at once from one address. */
  readonly maxPerAddress: number;
  /** A connection silent this long (ms) is told 421 and closed. */
  readonly idleTimeoutMs: number;
  /** Longest command line, in bytes: longer ones get 500. */
  readonly maxLineBytes: number;
  /** Over-long lines tolerated per connection before it is closed (421). */
  readonly maxLongLines: number;
  /** Bytes a client may send over one data connection (the reflector needs none) before it is cut. */
  readonly maxDataBytes: number;
}

/** Generous enough for any sweep (--concurrency is at most 100), small enough to bound abuse. */
export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 256,
  maxPerAddress: 128,
  idleTimeoutMs: 60_000,
  maxLineBytes: 4096,
  maxLongLines: 3,
  maxDataBytes: 64 * 1024,
};

export class Admission {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: Pick<ServerLimits, 'maxConnections' | 'maxPerAddress'>) {}

  /** Admits a connection from `address` (counted until `leave`), or returns why not. */
  admit(address: string): string | undefined {
    const mine = this.perAddress.get(address) ?? 0;
    if (this.total >= this.limits.maxConnections) return `Too many connections (${this.limits.maxConnections}), try again later`;
    if (mine >= this.limits.maxPerAddress) return `Too many connections from ${address} (${this.limits.maxPerAddress}), try again later`;
    this.total++;
    this.perAddress.set(address, mine + 1);
    return undefined;
  }

  leave(address: string): void {
    this.total--;
    const mine = (this.perAddress.get(address) ?? 1) - 1;
    if (mine <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, mine);
  }
}
