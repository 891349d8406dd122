/**
 * Running an attempt on a leased connection: the glue between the pool, the owned port bytes and
 * the probe, and the evidence recorded when an attempt could not even start.
 */
import type { SweepOptions } from '../config/settings.js';
import { LocalError } from '../errors.js';
import { makeAttempt, type Attempt, type Failure } from '../model/evidence.js';
import type { OwnedBytePool } from '../model/ownedBytes.js';
import { isPassive, ownedByte, probeTarget, type Plan, type ProbeTarget } from '../model/plan.js';
import type { Probe } from '../model/probes.js';
import { applyVariant, cutPoint } from '../model/variants.js';
import { runAttempt, toFailure } from '../probe/attempt.js';
import { BindConflictError } from '../probe/dataListeners.js';
import { runPassiveAttempt } from '../probe/passiveAttempt.js';
import type { ConnectionPool, Lease } from './connectionPool.js';
import { MAX_RETRIES, TargetLostError } from './connectionRetries.js';

/** How many times a taken local port makes a probe move to another owned byte before giving up. */
const BIND_RETRIES = 8;


export interface SweepContext {
  readonly options: SweepOptions;
  readonly plan: Plan;
  readonly pool: ConnectionPool;
  /** The port bytes connections own (high bytes, or low bytes when p1 is swept). */
  readonly owned: OwnedBytePool;
}

/**
 * The other ports a confirmation listens on to see where a corrupted command led: the ports that
 * differ from the expected one only in the swept byte. None for a 2-D sweep (no byte is owned, and
 * the other ports belong to other probes).
 */
export function widePorts(plan: Plan, own: number, expected: number): number[] {
  const ports: number[] = [];
  const owned = ownedByte(plan);
  for (let v = 0; v < 256 && owned !== undefined; v++) {
    const port = owned === 'p1' ? own * 256 + v : v * 256 + own;
    if (port !== expected && port >= 1024) ports.push(port);
  }
  return ports;
}

/**
 * One attempt on a pooled connection, or (`fresh`, for confirmations) on a new one, which then joins
 * the pool (a pooled one when the far side takes no more connections). An attempt whose command
 * never went out (the connection was found closed) is made again on another connection: only
 * attempts that sent the value judge it. So is one whose connection the far side closed together
 * with others: a restart, not the value.
 */
export async function attemptOn(ctx: SweepContext, fresh: boolean, probe: Probe, wide: boolean): Promise<Attempt> {
  for (let retry = 0; ; retry++) {
    let lease: Lease;
    try {
      lease = await ctx.pool.acquire(fresh);
    } catch (error) {
      // Out of port bytes or descriptors: this machine's problem, recorded as the value's `error`.
      if (error instanceof LocalError && (await ctx.pool.anySucceeded())) return failedAttempt(ctx, probe, { kind: 'local', message: error.message });
      throw error; // the target is unusable or lost: the sweep ends (exit 2)
    }
    const attempt = await attemptOnLease(ctx, lease, probe, wide).catch((error: unknown) => {
      ctx.pool.discard(lease);
      throw error;
    });
    const together = attempt.commandSent && attempt.failure?.kind === 'closed' ? await ctx.pool.closedAlongside(lease.connection) : 0;
    if (attempt.commandSent) ctx.pool.release(lease);
    else ctx.pool.discard(lease);
    if ((attempt.commandSent && together === 0) || attempt.failure?.kind === 'local') return attempt;
    const why = attempt.failure?.kind === 'closed' ? attempt.failure.message : 'not sent';
    ctx.pool.retries.note(together > 0 ? 'together' : 'stale', new Error(together > 0 ? `${why} (with ${together} other${together === 1 ? '' : 's'} at once)` : why));
    if (retry >= MAX_RETRIES) throw new TargetLostError(lease.connection.label, retry + 1, new Error(why));
  }
}

/** Runs the attempt, moving to another free owned byte while the port is taken locally. */
export async function attemptOnLease(ctx: SweepContext, lease: Lease, probe: Probe, wide: boolean): Promise<Attempt> {
  const { options, plan } = ctx;
  const borrowed: number[] = [];
  const notes: string[] = [];
  // With nothing owned (a 2-D sweep) the value is the port: a taken one cannot be moved.
  const movable = ownedByte(plan) !== undefined;
  let own = lease.ownByte;
  const attempt = (target: ProbeTarget, ownByte: number): Promise<Attempt> => {
    if (isPassive(plan.command)) {
      // The server listens, not us. The reflector offers the port we ask for.
      return runPassiveAttempt(lease.connection, {
        value: probe.value,
        command: plan.command,
        offerPort: lease.connection.isReflector ? target.port : undefined,
        oracle: options.oracle,
        timeoutMs: options.timeoutMs,
        peer: lease.connection.remoteAddress,
      });
    }
    const wire = applyVariant(target.line, probe.variant);
    return runAttempt(lease.connection, {
      value: probe.value,
      command: plan.command,
      target,
      variant: probe.variant,
      wire,
      cut: cutPoint(options.split, wire.line.length + wire.terminator.length, probe.index),
      oracle: options.oracle,
      timeoutMs: options.timeoutMs,
      widePorts: wide ? widePorts(plan, ownByte, target.port) : [],
      listenAddress: lease.listenAddress,
      bindRequired: options.oracle === 'data' || movable,
    });
  };
  try {
    for (let tries = 0; tries <= BIND_RETRIES; tries++) {
      try {
        const result = await attempt(probeTarget(plan, probe.value, own, lease.advertise), own);
        return notes.length === 0 ? result : { ...result, notes: [...notes, ...result.notes] };
      } catch (error) {
        if (!(error instanceof BindConflictError)) return failedAttempt(ctx, probe, toFailure(error));
        const next = movable ? ctx.owned.take() : undefined;
        if (next === undefined) {
          notes.push(`local port ${error.port} is taken`);
          break;
        }
        notes.push(`${isPassive(plan.command) ? 'the reflector\'s' : 'local'} port ${error.port} was taken, moved to ${ownedByte(plan)} ${next}`);
        lease.connection.note(notes.at(-1)!);
        borrowed.push(next);
        own = next;
      }
    }
    return failedAttempt(ctx, probe, { kind: 'local', message: `no free local port for value ${probe.value} (${notes.join('; ')})` });
  } finally {
    for (const b of borrowed) ctx.owned.release(b);
  }
}

/** Evidence for an attempt that never got to send its command: a local problem. */
function failedAttempt(ctx: SweepContext, probe: Probe, failure: Failure): Attempt {
  return makeAttempt({ value: probe.value, oracle: ctx.options.oracle, command: ctx.plan.command, variant: probe.variant }, { failure });
}
