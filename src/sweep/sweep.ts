/**
 * The sweep engine: every probe (a value, written as a syntax variant) once over a bounded set of
 * control connections; a probe that did not pass is confirmed at once, on fresh connections, so each
 * value's row is final as soon as it is reported (and can be streamed to disk).
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { validateSweepOptions } from '../config/options.js';
import { type SweepOptions } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { LoginError } from '../ftp/errors.js';
import { makeRedactor } from '../ftp/secretSpellings.js';
import { isFailure } from '../model/judgement.js';
import { OwnedBytePool, ownCandidates } from '../model/ownedBytes.js';
import { isPassive, ownedByte, type Plan } from '../model/plan.js';
import { planProbes, type Probe } from '../model/probes.js';
import { redactRow, valueResult, type ValueResult } from '../model/valueResult.js';
import { judge, type Judged } from '../model/verdict.js';
import { ConnectionPool } from './connectionPool.js';
import { BACKOFF_TOTAL_MS, MAX_RETRIES, TargetLostError, type RetryReport } from './connectionRetries.js';
import { inspectControlChannel, type InspectionReport } from './inspection.js';
import { attemptOn, type SweepContext } from './leaseAttempt.js';
import { checkOpenFiles, type FileNeeds, wideSlots } from './openFiles.js';
import { SweepRows, type AttemptReport, type SweepProgress } from './sweepRows.js';

export interface SweepOutcome {
  readonly startedAt: Date;
  readonly endedAt: Date;
  /**
   * One row per probe, ordered by variant, then value. Evidence (`judged`) is kept for failing rows
   * only; above 4096 probes a passing row keeps only its value, variant and verdict, and only the
   * first 256 failing rows keep their evidence (all of it went to `onRow`, i.e. results.csv).
   */
  readonly results: readonly ValueResult[];
  /** Whether the far side was an ftpsweep reflector (its echo was seen). */
  readonly reflector: boolean;
  /**
   * PASV/EPSV whose offers nobody asked for (not the reflector's `SITE OFFER`: another server, or a
   * proxy answering itself): the server chose the ports, so the values are only repeated tries.
   */
  readonly offersChosenByServer: boolean;
  /** What the control-channel check before the sweep found (inspection.ts). */
  readonly inspection: InspectionReport | undefined;
  /** The sweep was stopped (`signal`, the target lost, `maxFailures`) before every probe was done; `results` holds those done. */
  readonly interrupted: boolean;
  /**
   * Why the sweep stopped early on its own, and what to do: the target stopped taking connections
   * (`target-lost`), or `maxFailures` values failed (`max-failures`).
   */
  readonly stopped: StopReason | undefined;
  /** Control connections that failed before any probed command was sent, and were made again. */
  readonly retries: RetryReport;
}

export interface StopReason {
  readonly by: 'target-lost' | 'max-failures';
  readonly reason: string;
  readonly hint: string;
}

/** Why `--max-failures N` stopped a sweep. */
export function failureLimitReason(limit: number): StopReason {
  return {
    by: 'max-failures',
    reason: `${limit} value${limit === 1 ? '' : 's'} failed, the limit --max-failures ${limit} sets: no further value was probed`,
    hint: 'the failing values are in the report; the same command with --resume DIR probes the rest (with --max-failures again it stops after as many new failures; without it, every value left is probed)',
  };
}

export interface SweepHooks {
  /** After each final row; keep it cheap (a counter): it runs once per probe. */
  readonly onProgress?: (progress: SweepProgress) => void;
  /** After each attempt is judged (confirmations included): for a line per attempt. */
  readonly onAttempt?: (attempt: AttemptReport) => void;
  /** Each row as soon as it is final (in completion order): for streaming it to disk. */
  readonly onRow?: (row: ValueResult) => void;
  /**
   * Stops the sweep: no new probe starts, connections are closed, and probes cut short are
   * dropped (never judged on a connection we closed ourselves).
   */
  readonly signal?: AbortSignal;
  /**
   * The probes to run, planned by the caller (planProbes): a resumed run leaves out those done.
   * Default: the whole plan.
   */
  readonly probes?: readonly Probe[];
}

/**
 * Hands tasks 0..count-1 to `start` keeping at most `depth` of them queued or running, until all
 * are done or `stop()`. Queueing all 65,536 probes of a 2-D sweep at once would keep as many
 * closures and promises alive (and promoted to the old generation): memory must not grow with the
 * sweep. `start` wraps the p-limit limiter, which still bounds how many run at once.
 */
function feed(count: number, depth: number, start: (i: number) => Promise<void>, stop: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let active = 0;
    const pump = (): void => {
      while (active < depth && next < count && !stop()) {
        active++;
        void start(next++).finally(() => {
          active--;
          pump();
        });
      }
      if (active === 0 && (next >= count || stop())) resolve();
    };
    pump();
  });
}

/** What a sweep holds open: wide confirmations only with the data oracle and an active command. */
export function fileNeeds(options: Pick<SweepOptions, 'oracle' | 'command' | 'concurrency'>, perProbe?: number): FileNeeds {
  const wide = options.oracle === 'data' && !isPassive(options.command);
  return perProbe === undefined ? { concurrency: options.concurrency, wide } : { concurrency: options.concurrency, wide, perProbe };
}

/** The connections and port bytes of a sweep, after checking what it asks for is possible here. */
function openSweep(options: SweepOptions): SweepContext {
  validateSweepOptions(options);
  checkOpenFiles(fileNeeds(options));
  const plan: Plan = { command: options.command, fields: options.fields };
  const candidates = ownCandidates(plan, options.highByte);
  if (candidates.length < options.concurrency + 1) {
    throw new UsageError(`--concurrency ${options.concurrency} needs more ${ownedByte(plan) === 'p2' ? 'low' : 'high'} bytes than the ${candidates.length} available`, 'lower --concurrency');
  }
  const owned = new OwnedBytePool(candidates);
  return { options, plan, pool: new ConnectionPool(options, owned, { maxConnections: options.concurrency }), owned };
}

/**
 * A value's attempts, each judged: the first on a pooled connection and, when it did not pass, the
 * confirmations on fresh ones. When the data did not arrive, the confirmations listen on the other
 * ports the command could have been turned into, to learn where the server connected instead.
 */
async function probeValue(ctx: SweepContext, probe: Probe, wideLimit: LimitFunction, signal: AbortSignal, onAttempt: SweepHooks['onAttempt']): Promise<Judged[]> {
  const first = judge(await attemptOn(ctx, false, probe, false));
  // `f?.(…)` builds the report only when there is a hook.
  onAttempt?.({ probe, n: 1, verdict: first.judgement.verdict, ms: first.attempt.ms });
  const judged = [first];
  if (!isFailure(first.judgement.verdict)) return judged;
  const wide = ctx.options.oracle === 'data' && first.attempt.data.kind !== 'arrived';
  for (let c = 0; c < ctx.options.confirm && !signal.aborted; c++) {
    const next = judge(await (wide ? wideLimit(() => attemptOn(ctx, true, probe, true)) : attemptOn(ctx, true, probe, false)));
    onAttempt?.({ probe, n: c + 2, verdict: next.judgement.verdict, ms: next.attempt.ms });
    judged.push(next);
  }
  return judged;
}

/** The control-channel check, on a pooled connection (inspection.ts). */
async function checkControlChannel(ctx: SweepContext): Promise<InspectionReport> {
  const lease = await ctx.pool.acquire();
  try {
    return await inspectControlChannel(lease);
  } finally {
    ctx.pool.release(lease);
  }
}

/**
 * Runs a sweep. Throws ConnectError/LoginError/UsageError when no connection can be opened at all
 * (nothing would be learnt); after that, every problem becomes some value's verdict — or, when the
 * target stops taking connections, an outcome that says so (`stopped`) with the rows done.
 */
export async function runSweep(options: SweepOptions, hooks: SweepHooks = {}): Promise<SweepOutcome> {
  const ctx = openSweep(options);
  const startedAt = new Date();
  const probes = hooks.probes ?? planProbes(options);
  const rows = new SweepRows(probes.length, hooks);
  // The caller's stop, or ours once --max-failures values failed: either closes every connection,
  // and probes cut short are dropped.
  const stop = new AbortController();
  const { signal } = stop;
  const stopNow = (): void => stop.abort();
  const stopping = (): void => ctx.pool.closeAll();
  signal.addEventListener('abort', stopping, { once: true });
  hooks.signal?.addEventListener('abort', stopNow, { once: true });
  if (hooks.signal?.aborted) stop.abort();
  let inspection: InspectionReport | undefined;
  let fatal: unknown;
  let lost: TargetLostError | undefined;
  let limited = false;
  const ending = (): boolean => fatal !== undefined || lost !== undefined || signal.aborted;
  // The error that ends a sweep before it began: a refused login says more than the connections
  // closed because of it.
  const fail = (error: unknown): void => {
    if (fatal === undefined || (error instanceof LoginError && !(fatal instanceof LoginError))) fatal = error;
  };
  // Wide confirmations hold 256 listeners each: fewer at once than the open-file limit allows.
  // Rows are judged on raw replies, then the password is masked in their text (secretSpellings.ts).
  const redact = makeRedactor(options.password);
  const wideLimit = pLimit(Math.min(options.concurrency, wideSlots(fileNeeds(options))));
  try {
    // No separate preflight: every connection opens at once. If none opens (bad host, refused
    // login), every probe fails alike, and the sweep ends with that error (exit 2).
    const limit = pLimit(options.concurrency);
    // The control-channel check takes one slot like a probe.
    const checking = limit(async () => {
      inspection = await checkControlChannel(ctx).catch(async (error: unknown) => {
        if (!(await ctx.pool.anySucceeded())) fail(error);
        return undefined;
      });
    });
    const runProbe = async (probe: Probe, i: number): Promise<void> => {
      if (ending()) return;
      try {
        const judged = await probeValue(ctx, probe, wideLimit, signal, hooks.onAttempt);
        // Cut short by the stop: its evidence is ours, not the firewall's.
        if (!signal.aborted && lost === undefined) rows.add(i, redactRow(valueResult(judged), redact));
        if (options.maxFailures > 0 && rows.failed >= options.maxFailures && !signal.aborted) {
          limited = true;
          stop.abort();
        }
      } catch (error) {
        // The target stopped taking connections mid-sweep: end here, keeping every finished row.
        if (error instanceof TargetLostError) lost ??= error;
        else if (!signal.aborted) fail(error);
      }
    };
    await feed(probes.length, options.concurrency * 2, (i) => limit(runProbe, probes[i]!, i), ending);
    await checking;
    if (fatal !== undefined) throw fatal;
  } finally {
    hooks.signal?.removeEventListener('abort', stopNow);
    signal.removeEventListener('abort', stopping);
    ctx.pool.closeAll();
  }
  const interrupted = (signal.aborted || lost !== undefined) && rows.incomplete;
  const stopped: StopReason | undefined = lost ? { by: 'target-lost', reason: lost.message, hint: lost.hint ?? '' } : limited ? failureLimitReason(options.maxFailures) : undefined;
  const { observed } = rows;
  return {
    startedAt,
    endedAt: new Date(),
    results: rows.rows(),
    // The reflector's echo of SYST says so too, even when a middlebox answered every probe itself.
    reflector: observed.reflector || inspection?.checked.includes('echo') === true,
    offersChosenByServer: isPassive(options.command) && !observed.offersAsked,
    inspection: inspection && observed.findings(inspection, options.command, !isPassive(options.command)),
    interrupted,
    stopped: interrupted ? stopped : undefined,
    retries: ctx.pool.retries.report(),
  };
}

/** Waits one attempt can make at most on an open connection: the command (and SITE OFFER or a
 * pipelined reply), NLST, the transfer, the data's end, QUIT. */
const WAITS_PER_ATTEMPT = 6;
/** Waits of opening one connection: connect, greeting, USER, PASS; AUTH TLS adds four. */
const WAITS_PER_OPEN = 4;

/**
 * An upper bound on how long a sweep can take, from its options alone: every attempt of every
 * probe (and the control-channel check) waiting out every deadline, with every new connection
 * failing and retried (connectionRetries.ts) — and, since a far side may take only one connection
 * at a time, one attempt after another. Every wait is bounded by --timeout, so no peer, however
 * hostile, can hold a sweep longer.
 */
export function sweepDeadlineMs(options: SweepOptions): number {
  const tries = MAX_RETRIES + 1;
  const openMs = (WAITS_PER_OPEN + (options.tls ? 4 : 0)) * options.timeoutMs;
  const acquireMs = tries * openMs + BACKOFF_TOTAL_MS;
  // A connection found closed before its command is replaced, up to MAX_RETRIES times.
  const attemptMs = tries * acquireMs + WAITS_PER_ATTEMPT * options.timeoutMs;
  return (planProbes(options).length + 1) * (1 + options.confirm) * attemptMs;
}

