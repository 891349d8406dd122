/**
 * `ftpsweep probe`: one value, one attempt, the whole dialogue kept — what a firewall team needs to
 * reproduce a failure by hand.
 */
import type { TranscriptEntry } from '../ftp/controlConnection.js';
import { ConnectionPool } from './connectionPool.js';
import { HighBytePool, highByteCandidates } from './highBytes.js';
import { attemptOnLease } from './leaseAttempt.js';
import { validateSweepOptions, type SweepOptions } from './sweep.js';
import { valueResult, type ValueResult } from './valueResult.js';

export interface ProbeOutcome {
  readonly result: ValueResult;
  /** Greeting, login (PASS masked), PORT, NLST, data-connection events, QUIT. */
  readonly transcript: readonly TranscriptEntry[];
}

/**
 * Probes `value` once. With the data oracle it listens on all ports of the high byte at once, so a
 * corrupted PORT shows where the server connected instead. Throws on connection or login errors.
 */
export async function probeOnce(options: SweepOptions, value: number): Promise<ProbeOutcome> {
  validateSweepOptions({ ...options, values: [value] });
  const highBytes = new HighBytePool(highByteCandidates(options.highByte));
  const pool = new ConnectionPool(options, highBytes, true);
  const lease = await pool.open();
  try {
    const attempt = await attemptOnLease(lease, highBytes, options, value, options.oracle === 'data');
    return { result: valueResult([attempt]), transcript: lease.connection.transcript };
  } finally {
    pool.discard(lease);
  }
}
