/**
 * The sweep engine: every value probed once over a bounded set of control connections, then every
 * value that did not pass probed again on fresh connections to confirm it and to learn more.
 */
import { readFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { UsageError } from '../ftp/errors.js';
import { ConnectionPool } from './connectionPool.js';
import type { Attempt, Oracle } from './evidence.js';
import { HighBytePool, highByteCandidates, type HighByteSpec } from './highBytes.js';
import { attemptOn } from './leaseAttempt.js';
import { valueResult, type ValueResult } from './valueResult.js';
import { classify, isFailure, type Verdict } from './verdict.js';

export interface SweepOptions {
  readonly host: string;
  /** Control port. Default 21. */
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** True when the password came from the environment: it is then masked wherever it could show. */
  readonly passwordIsSecret: boolean;
  readonly oracle: Oracle;
  /** Last-octet values to probe, 0..255. */
  readonly values: readonly number[];
  readonly highByte: HighByteSpec;
  readonly advertise: string | undefined;
  /** Control connections at once. Default 4. */
  readonly concurrency: number;
  /** Deadline of every wait, in milliseconds. Default 5000. */
  readonly timeoutMs: number;
  /** Extra attempts for each value that did not pass. Default 2. */
  readonly confirm: number;
}

export const SWEEP_DEFAULTS = {
  port: 21,
  user: 'anonymous',
  // RFC 1635: anonymous FTP asks for an e-mail-like identification as password; not a secret.
  password: 'ftpsweep@',
  oracle: 'data',
  highByte: 'auto',
  concurrency: 4,
  timeoutMs: 5000,
  confirm: 2,
} as const;

export interface SweepProgress {
  readonly stage: 'sweep' | 'confirm';
  readonly done: number;
  readonly total: number;
  readonly failing: number;
}

export interface SweepOutcome {
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** One row per value, in value order. */
  readonly results: readonly ValueResult[];
  /** Whether the far side was an ftpsweep reflector (its echo was seen). */
  readonly reflector: boolean;
}

/**
 * Runs a sweep. Throws ConnectError/LoginError/UsageError when the very first connection cannot be
 * opened (nothing would be learnt); after that, every problem becomes some value's verdict.
 */
export async function runSweep(options: SweepOptions, onProgress?: (progress: SweepProgress) => void): Promise<SweepOutcome> {
  validateSweepOptions(options);
  const startedAt = new Date();
  const candidates = highByteCandidates(options.highByte);
  if (candidates.length < options.concurrency + 1) {
    throw new UsageError(`--concurrency ${options.concurrency} needs more high bytes than the ${candidates.length} available`, 'lower --concurrency');
  }
  const highBytes = new HighBytePool(candidates);
  const pool = new ConnectionPool(options, highBytes);
  const attempts = new Map<number, Attempt[]>(options.values.map((v) => [v, []]));
  const record = (attempt: Attempt): void => void attempts.get(attempt.value)!.push(attempt);

  try {
    // No separate preflight: every connection opens at once. If the first one fails (bad host,
    // refused login), the others fail alike, and the sweep ends with that error (exit 2).
    let fatal: unknown;
    let done = 0;
    let failing = 0;
    const firstVerdict = new Map<number, Verdict>();
    const limit = pLimit(options.concurrency);
    await limit.map(options.values, async (value) => {
      if (fatal !== undefined) return;
      let attempt: Attempt;
      try {
        attempt = await attemptOn(pool, false, highBytes, options, value, false);
      } catch (error) {
        fatal ??= error;
        return;
      }
      record(attempt);
      const verdict = classify(attempt).verdict;
      firstVerdict.set(value, verdict);
      if (isFailure(verdict)) failing++;
      onProgress?.({ stage: 'sweep', done: ++done, total: options.values.length, failing });
    });
    if (fatal !== undefined) throw fatal;

    // Confirmation: each failing value again, each time on a fresh connection. When its data
    // connection did not arrive, listen on all 256 ports of the high byte to see where it went.
    const toConfirm = options.values.filter((v) => isFailure(firstVerdict.get(v)!));
    const jobs = toConfirm.flatMap((value) => Array.from({ length: options.confirm }, () => value));
    const wideFor = (value: number): boolean => options.oracle === 'data' && attempts.get(value)![0]!.data.kind !== 'arrived';
    const confirmLimit = pLimit(Math.max(1, Math.min(options.concurrency, wideSlots())));
    let confirmed = 0;
    await confirmLimit.map(jobs, async (value) => {
      record(await attemptOn(pool, true, highBytes, options, value, wideFor(value)));
      onProgress?.({ stage: 'confirm', done: ++confirmed, total: jobs.length, failing: toConfirm.length });
    });
  } finally {
    pool.closeAll();
  }

  const results = options.values.map((v) => valueResult(attempts.get(v)!));
  const reflector = [...attempts.values()].some((list) => list.some((a) => a.echo !== undefined));
  return { startedAt, endedAt: new Date(), results, reflector };
}

/** Checks option ranges; throws UsageError naming the flag. */
export function validateSweepOptions(options: SweepOptions): void {
  const int = (name: string, n: number, min: number, max: number): void => {
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} ${n} is out of range`, `use a whole number ${min}..${max}`);
  };
  int('--port', options.port, 1, 65535);
  int('--concurrency', options.concurrency, 1, 100);
  int('--timeout', options.timeoutMs, 100, 600_000);
  int('--confirm', options.confirm, 0, 10);
  if (options.values.length === 0) throw new UsageError('no values to probe', 'give --values, e.g. 0-255');
  for (const v of options.values) int('value', v, 0, 255);
}

/**
 * How many wide confirmations (257 listeners each) fit in the open-file limit, leaving room for the
 * control and data sockets. Read from /proc on Linux; elsewhere assume the common default of 1024.
 */
function wideSlots(): number {
  let limit = 1024;
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match) limit = Number(match[1]);
  } catch {
    // Not Linux: keep the default.
  }
  return Math.floor((limit - 256) / 300);
}
