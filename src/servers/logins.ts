/**
 * Password guessing against the reflector (`--user`/`--password-env`): every refused login waits
 * before its 530, as vsftpd (delay_failed_login) and ProFTPD do; a connection is closed after
 * `maxLoginFailures` of them; and a source that keeps failing, over new connections too, waits
 * longer and longer. Each failure is logged with its source address.
 */
import type { ServerLimits } from './admission.js';

/** A source's failures are forgotten this long after its last one. */
const FORGET_MS = 10 * 60_000;
/** The delay doubles every `maxLoginFailures` failures of a source, up to 2^5 = 32 times. */
const MAX_DOUBLINGS = 5;
/** Sources remembered at most; beyond, the oldest are forgotten (memory stays bounded). */
const MAX_SOURCES = 4096;

export class LoginGuard {
  /** Per source: failures, when the last one came, and when its last 530 is (or was) due. */
  private readonly sources = new Map<string, { failures: number; last: number; dueAt: number }>();

  constructor(private readonly limits: Pick<ServerLimits, 'loginDelayMs' | 'maxLoginFailures'>) {}

  get maxFailures(): number {
    return this.limits.maxLoginFailures;
  }

  /**
   * A login from `address` was refused: how long (ms) to wait before saying so. A source's refusals
   * are answered one after another, each its delay after the one before: guesses sent over many
   * connections at once wait in turn (100 parallel connections made 12× the rate of one).
   */
  failed(address: string, now = Date.now()): number {
    for (const [source, entry] of this.sources) if (now - entry.last > FORGET_MS || this.sources.size > MAX_SOURCES) this.sources.delete(source);
    const entry = this.sources.get(address) ?? { failures: 0, last: now, dueAt: now };
    entry.failures++;
    entry.last = now;
    this.sources.delete(address); // re-inserted last: the map stays in order of last failure
    this.sources.set(address, entry);
    const delay = this.limits.loginDelayMs * 2 ** Math.min(MAX_DOUBLINGS, Math.floor((entry.failures - 1) / this.limits.maxLoginFailures));
    entry.dueAt = Math.max(now, entry.dueAt) + delay;
    return entry.dueAt - now;
  }

  /** A login from `address` succeeded: its failures are forgotten. */
  succeeded(address: string): void {
    this.sources.delete(address);
  }
}
