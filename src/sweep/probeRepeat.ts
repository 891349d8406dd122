/**
 * `ftpsweep probe --repeat N`: the same probe again and again, each on a fresh control connection,
 * while a firewall team watches its logs — the way the failure was first reproduced by hand. Each
 * attempt is handed to the caller as soon as it ends, so an interrupted run has shown all it did.
 */
import type { SweepOptions } from '../config/settings.js';
import type { Verdict } from '../model/judgement.js';
import { pause } from './pause.js';
import { probeOnce, type ProbeOutcome } from './probeOnce.js';

export interface RepeatSettings {
  /** How many attempts, at least 1. */
  readonly repeat: number;
  /** The pause between the end of one attempt and the start of the next, in ms. */
  readonly intervalMs: number;
  /** Stops the run: the attempt under way is dropped (its connection closed), none starts after. */
  readonly signal?: AbortSignal;
  /** Called with each attempt as it ends; `index` counts from 0. */
  readonly onAttempt: (outcome: ProbeOutcome, index: number) => void;
}

export interface RepeatOutcome {
  /** Each finished attempt's verdict, in order. */
  readonly verdicts: readonly Verdict[];
  /** Stopped by the signal before every attempt was made. */
  readonly interrupted: boolean;
  /**
   * Why the run ended early when a connection or login failed after the first attempt (the first
   * one's error is thrown: the target is unusable).
   */
  readonly stopped: unknown;
}

/** `promise`'s value, or undefined as soon as `signal` aborts (the promise is then left to end alone). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return promise;
  promise.catch(() => undefined); // dropped on abort: its failure is no longer anyone's
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Probes `value` `settings.repeat` times, one attempt at a time, each on a new control connection
 * (a firewall's state for one session cannot carry over). Throws when the first attempt cannot
 * connect or log in; a later such failure ends the run with the attempts done (`stopped`). After
 * the first attempt the target is known to be reachable, so a refused connection (a connection-rate
 * limit) is retried with backoff before it counts.
 */
export async function probeRepeatedly(options: SweepOptions, value: number, settings: RepeatSettings): Promise<RepeatOutcome> {
  const { signal } = settings;
  const verdicts: Verdict[] = [];
  let stopped: unknown;
  for (let i = 0; i < settings.repeat && !signal?.aborted; i++) {
    if (i > 0) await pause(settings.intervalMs, signal);
    if (signal?.aborted) break;
    let outcome: ProbeOutcome | undefined;
    try {
      outcome = await unlessAborted(probeOnce(options, value, i > 0, signal), signal);
    } catch (error) {
      if (signal?.aborted) break;
      if (i === 0) throw error;
      stopped = error;
      break;
    }
    // An attempt cut short by the stop is dropped: it was judged on a connection we closed.
    if (outcome === undefined || signal?.aborted) break;
    verdicts.push(outcome.result.verdict);
    settings.onAttempt(outcome, i);
  }
  return { verdicts, interrupted: signal?.aborted === true && verdicts.length < settings.repeat, stopped };
}
