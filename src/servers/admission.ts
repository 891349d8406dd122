/**
 * Who may hold a control connection, and for how long: a reflector in a DMZ is reachable by
 * strangers, so it bounds connections in total and per client address, keeps the last ones for
 * addresses that hold few, and says why it refuses (421, RFC 959 §4.2).
 */
export interface ServerLimits {
  /** Control connections at once, from everyone. */
  readonly maxConnections: number;
  /** Control connections at once from one address. */
  readonly maxPerAddress: number;
  /**
   * The last this many connections go only to addresses holding fewer than `FAIR_SHARE`: one or two
   * sources cannot take every connection, however many they open. Default: an eighth of them.
   */
  readonly reserve?: number;
  /** A connection that completes no command this long (ms) is told 421 and closed. */
  readonly idleTimeoutMs: number;
  /** A command line must arrive whole within this long (ms) of its first byte (slowloris). */
  readonly lineTimeoutMs: number;
  /** Longest command line, in bytes: longer ones get 500. */
  readonly maxLineBytes: number;
  /** Over-long lines tolerated per connection before it is closed (421). */
  readonly maxLongLines: number;
  /** Bytes a client may send over one data connection (the reflector needs none) before it is cut. */
  readonly maxDataBytes: number;
  /** The least delay of a refused login (ms); a source that keeps failing waits longer (logins.ts). */
  readonly loginDelayMs: number;
  /** Failed logins on one connection before it is closed (vsftpd and ProFTPD close after 3). */
  readonly maxLoginFailures: number;
}

/** In the reserved connections, what an address may hold: a sweep's default concurrency. */
export const FAIR_SHARE = 4;

/** Generous enough for any sweep (--concurrency is at most 100), small enough to bound abuse. */
export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 256,
  maxPerAddress: 128,
  idleTimeoutMs: 60_000,
  lineTimeoutMs: 10_000,
  maxLineBytes: 4096,
  maxLongLines: 3,
  maxDataBytes: 64 * 1024,
  loginDelayMs: 1000,
  maxLoginFailures: 3,
};

export class Admission {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly limits: Pick<ServerLimits, 'maxConnections' | 'maxPerAddress' | 'reserve'>) {}

  /** Admits a connection from `address` (counted until `leave`), or returns why not. */
  admit(address: string): string | undefined {
    const mine = this.perAddress.get(address) ?? 0;
    const { maxConnections, maxPerAddress } = this.limits;
    const reserve = this.limits.reserve ?? Math.ceil(maxConnections / 8);
    if (this.total >= maxConnections) return `Too many connections (${maxConnections}), try again later`;
    if (mine >= maxPerAddress) return `Too many connections from ${address} (${maxPerAddress}), try again later`;
    if (maxConnections - this.total <= reserve && mine >= FAIR_SHARE) return `Too many connections from ${address} (${mine}): the last ${reserve} are kept for other addresses, try again later`;
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
