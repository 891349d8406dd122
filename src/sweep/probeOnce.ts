/**
 * `ftpsweep probe`: one value, one attempt, the whole dialogue kept — what a firewall team needs to
 * reproduce a failure by hand.
 */
import { validateSweepOptions } from '../config/options.js';
import { type SweepOptions } from '../config/settings.js';
import type { TranscriptEntry } from '../ftp/transcript.js';
import { OwnedBytePool } from '../model/ownedBytes.js';
import { ownCandidates } from '../model/ownedBytes.js';
import { redactRow, valueResult, type ValueResult } from '../model/valueResult.js';
import { judge } from '../model/verdict.js';
import { ConnectionPool } from './connectionPool.js';
import { attemptOnLease, type SweepContext } from './leaseAttempt.js';

export interface ProbeOutcome {
  readonly result: ValueResult;
  /** Greeting, login (PASS masked), the command, NLST, data-connection events, QUIT. */
  readonly transcript: readonly TranscriptEntry[];
}

/**
 * Probes `value` once (written as the first of `options.variants`). With the data oracle it also
 * listens on the ports a corrupted command could lead to, so the dialogue shows where the server
 * connected instead. Throws on connection or login errors — after retrying them (with backoff,
 * bounded) when the target is known to be `reachable`: a sweep just ran against it, and a
 * connection-rate limit may refuse the next connection.
 */
export async function probeOnce(options: SweepOptions, value: number, reachable = false): Promise<ProbeOutcome> {
  validateSweepOptions({ ...options, values: [value & 255] });
  const plan = { command: options.command, fields: options.fields };
  const owned = new OwnedBytePool(ownCandidates(plan, options.highByte));
  const pool = new ConnectionPool(options, owned, { transcript: true, reachable });
  const ctx: SweepContext = { options, plan, pool, owned };
  const lease = await pool.acquire(true);
  try {
    const attempt = await attemptOnLease(ctx, lease, { value, variant: options.variants[0] ?? 'plain', index: 0 }, options.oracle === 'data');
    return { result: redactRow(valueResult([judge(attempt)]), lease.connection.redact), transcript: lease.connection.transcript };
  } finally {
    pool.discard(lease);
  }
}
