/**
 * `ftpsweep probe`: one value, one attempt, the whole dialogue kept — what a firewall team needs to
 * reproduce a failure by hand.
 */
import { validateSweepOptions } from '../config/options.js';
import { type SweepOptions } from '../config/settings.js';
import { formatEndpoint } from '../ftp/address.js';
import type { TranscriptEntry } from '../ftp/transcript.js';
import type { Attempt, Link } from '../model/evidence.js';
import { isPassive } from '../model/plan.js';
import { OwnedBytePool } from '../model/ownedBytes.js';
import { ownCandidates } from '../model/ownedBytes.js';
import { redactRow, valueResult, type ValueResult } from '../model/valueResult.js';
import { judge } from '../model/verdict.js';
import { ConnectionPool, type Lease } from './connectionPool.js';
import { attemptOnLease, type SweepContext } from './leaseAttempt.js';

export interface ProbeOutcome {
  readonly result: ValueResult;
  /** Greeting, login (PASS masked), the command, NLST, data-connection events, QUIT. */
  readonly transcript: readonly TranscriptEntry[];
  /** When the attempt began (before connecting). */
  readonly startedAt: Date;
  /** The control connection's ends, client → server. */
  readonly control: Link;
  /** The data connection's ends, when one was made. */
  readonly dataLink: Link | undefined;
  /** Where the data connection was to reach us (PORT/EPRT) or the server (PASV/EPSV), when one was asked for. */
  readonly dataTarget: string | undefined;
}

/**
 * Probes `value` once (written as the first of `options.variants`). With the data oracle it also
 * listens on the ports a corrupted command could lead to, so the dialogue shows where the server
 * connected instead. Throws on connection or login errors — after retrying them (with backoff,
 * bounded) when the target is known to be `reachable`: a sweep just ran against it, and a
 * connection-rate limit may refuse the next connection. `signal` closes the connection at once
 * (the attempt then ends, or acquiring it throws the signal's reason).
 */
export async function probeOnce(options: SweepOptions, value: number, reachable = false, signal?: AbortSignal): Promise<ProbeOutcome> {
  validateSweepOptions({ ...options, values: [value & 255] });
  const startedAt = new Date();
  const plan = { command: options.command, fields: options.fields };
  const owned = new OwnedBytePool(ownCandidates(plan, options.highByte));
  const pool = new ConnectionPool(options, owned, { transcript: true, reachable });
  const ctx: SweepContext = { options, plan, pool, owned };
  // Stopped (Ctrl-C): every connection is closed at once, one still being made or retried too,
  // and the attempt ends with it.
  const stop = (): void => pool.closeAll();
  signal?.addEventListener('abort', stop, { once: true });
  let lease: Lease | undefined;
  try {
    if (signal?.aborted) throw signal.reason;
    lease = await pool.acquire(true);
    const control = lease.connection.ends;
    const attempt = await attemptOnLease(ctx, lease, { value, variant: options.variants[0] ?? 'plain', index: 0 }, options.oracle === 'data');
    const result = redactRow(valueResult([judge(attempt)]), lease.connection.redact);
    return { result, transcript: lease.connection.transcript, startedAt, control, dataLink: attempt.dataLink, dataTarget: dataTarget(attempt, lease.listenAddress) };
  } finally {
    signal?.removeEventListener('abort', stop);
    if (lease) pool.discard(lease);
  }
}

/** Where the attempt's data connection was to go: our listener, or the server's offer. */
function dataTarget(attempt: Attempt, listenAddress: string): string | undefined {
  if (isPassive(attempt.command)) return attempt.offer?.parsed.ok ? formatEndpoint(attempt.offer.parsed.address.host, attempt.offer.parsed.address.port) : undefined;
  return attempt.dataExpected && attempt.commandSent ? formatEndpoint(listenAddress, attempt.expectedPort) : undefined;
}
