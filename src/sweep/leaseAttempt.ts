/**
 * Running an attempt on a leased connection: the glue between the pool, the high bytes and the
 * probe, and the evidence recorded when an attempt could not even start.
 */
import { ConnectError, ConnectionClosedError, LocalError, LoginError, TimeoutError, UsageError } from '../ftp/errors.js';
import type { ConnectionPool, Lease } from './connectionPool.js';
import { BindConflictError } from './dataListeners.js';
import type { Attempt, Failure } from './evidence.js';
import type { HighBytePool } from './highBytes.js';
import { runAttempt, toFailure, type AttemptSpec } from './probe.js';
import type { SweepOptions } from './sweep.js';

/** How many times a taken local port makes a probe move to another high byte before giving up. */
const BIND_RETRIES = 8;

/**
 * One attempt on a pooled connection, or (`fresh`, for confirmations) on a connection opened for it
 * alone and closed afterwards.
 */
export async function attemptOn(pool: ConnectionPool, fresh: boolean, highBytes: HighBytePool, options: SweepOptions, value: number, wide: boolean): Promise<Attempt> {
  let lease: Lease;
  try {
    lease = fresh ? await pool.open() : await pool.acquire();
  } catch (error) {
    if (!(await pool.firstSucceeded())) throw error; // the target is unusable: the sweep ends (exit 2)
    return failedAttempt(options, value, connectFailure(error));
  }
  try {
    return await attemptOnLease(lease, highBytes, options, value, wide);
  } finally {
    if (fresh) pool.discard(lease);
    else pool.release(lease);
  }
}

/** Runs the attempt, moving to another free high byte while the port is taken locally. */
export async function attemptOnLease(lease: Lease, highBytes: HighBytePool, options: SweepOptions, value: number, wide: boolean): Promise<Attempt> {
  const borrowed: number[] = [];
  const notes: string[] = [];
  let highByte = lease.highByte;
  const spec = (): AttemptSpec => ({ value, highByte, oracle: options.oracle, timeoutMs: options.timeoutMs, wide, advertise: lease.advertise, listenAddress: lease.listenAddress });
  try {
    for (let tries = 0; tries <= BIND_RETRIES; tries++) {
      try {
        const attempt = await runAttempt(lease.connection, spec());
        return notes.length === 0 ? attempt : { ...attempt, notes: [...notes, ...attempt.notes] };
      } catch (error) {
        if (!(error instanceof BindConflictError)) return failedAttempt(options, value, toFailure(error), highByte);
        const next = highBytes.take();
        if (next === undefined) break;
        notes.push(`local port ${error.port} was taken, used high byte ${next} instead`);
        lease.connection.note(notes.at(-1)!);
        borrowed.push(next);
        highByte = next;
      }
    }
    return failedAttempt(options, value, { kind: 'local', message: `no free local port for value ${value} (${notes.join('; ')})` }, highByte);
  } finally {
    for (const p1 of borrowed) highBytes.release(p1);
  }
}

/** Evidence for an attempt that never got to send PORT. */
function failedAttempt(options: SweepOptions, value: number, failure: Failure, highByte = 0): Attempt {
  return {
    value,
    highByte,
    oracle: options.oracle,
    sent: '',
    expectedPort: highByte * 256 + value,
    replies: [],
    portReply: undefined,
    finalReply: undefined,
    echo: undefined,
    echoedInReply: undefined,
    data: { kind: 'not-tried' },
    failure,
    wide: false,
    notes: [],
    ms: 0,
  };
}

/** A fresh connection could not be opened mid-sweep: the value's evidence, not a crash. */
function connectFailure(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ConnectError || error instanceof LoginError) {
    return { kind: 'closed', phase: error instanceof LoginError ? 'login' : 'connect', reset: false, message: `could not open another control connection: ${message}` };
  }
  if (error instanceof TimeoutError || error instanceof ConnectionClosedError) return toFailure(error);
  if (error instanceof LocalError || error instanceof UsageError) return { kind: 'local', message };
  return toFailure(error);
}

