/**
 * Control connections that fail before any probed command was sent: refused, reset, silent at the
 * greeting, a login that stalls, a pooled connection found closed. They say nothing about any
 * value, so they never reach the matrix: the connection is made again, with backoff and a bound,
 * and the sweep counts them (a middlebox that refuses some new connections — ftp-proxy's
 * `ForkLimit`, FIELD-NOTES §5 — or a server that limits connections per address).
 */
import { ConnectError, ConnectionClosedError, LoginError, TimeoutError } from '../ftp/errors.js';

/**
 * Where a connection failed: before the greeting, in the TLS upgrade, the login, later (stale:
 * found closed before the command), or closed by the far side together with others while the
 * command was out (a restart: no word about the command).
 */
export type RetryStage = 'connect' | 'tls' | 'login' | 'stale' | 'together';

/** New connections tried in a row for one attempt before the target counts as lost. */
export const MAX_RETRIES = 5;

/** Milliseconds to wait before retry number `retry` (0-based): 100, 200, 400, 800, 1600. */
export function backoffMs(retry: number): number {
  return 100 * 2 ** Math.min(retry, MAX_RETRIES);
}

/** Every backoff of one attempt's retries, summed: for sweepDeadlineMs. */
export const BACKOFF_TOTAL_MS = Array.from({ length: MAX_RETRIES }, (_, i) => backoffMs(i)).reduce((a, b) => a + b, 0);

/** Whether `error` is the far side failing a new connection (worth another try), not our mistake. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ConnectError || error instanceof LoginError || error instanceof TimeoutError || error instanceof ConnectionClosedError;
}

/** What summary.json and the console say about retried connections. */
export interface RetryReport {
  /** Connections that failed before any probed command was sent, each made again. */
  readonly total: number;
  readonly byStage: Readonly<Partial<Record<RetryStage, number>>>;
  /** The first failure's message, as an example. */
  readonly example: string | null;
  /** New connections kept failing while this many stayed open, so the sweep went on with those; or null. */
  readonly concurrencyLoweredTo: number | null;
}

export class RetryLog {
  private total = 0;
  private readonly byStage: Partial<Record<RetryStage, number>> = {};
  private example: string | null = null;
  private lowered: number | null = null;

  note(stage: RetryStage, error: unknown): void {
    this.total++;
    this.byStage[stage] = (this.byStage[stage] ?? 0) + 1;
    this.example ??= error instanceof Error ? error.message : String(error);
  }

  lowerConcurrency(to: number): void {
    this.lowered = to;
  }

  report(): RetryReport {
    return { total: this.total, byStage: { ...this.byStage }, example: this.example, concurrencyLoweredTo: this.lowered };
  }
}

const STAGE_WORDS: Record<RetryStage, string> = {
  connect: 'failed connecting or at the greeting',
  tls: 'failed in the TLS upgrade',
  login: 'failed at the login',
  stale: 'were found closed before their command',
  together: 'were closed by the far side all at once (a restart?) while their command was out',
};

/** One line for people: "3 control connections retried, never counted against a value: …". */
export function retryLine(report: RetryReport): string | undefined {
  if (report.total === 0) return undefined;
  const stages = Object.entries(report.byStage).map(([stage, n]) => `${n} ${STAGE_WORDS[stage as RetryStage]}`).join(', ');
  const n = report.concurrencyLoweredTo;
  const lowered = n === null ? '' : `; new ones kept failing while ${n} stayed open, so the sweep went on with ${n}`;
  return `${report.total} control connection${report.total === 1 ? '' : 's'} retried, never counted against a value: ${stages} (e.g. ${report.example})${lowered}`;
}

/** The far side stopped taking control connections mid-sweep: the sweep ends (exit 2), its rows kept. */
export class TargetLostError extends ConnectError {
  constructor(where: string, tries: number, last: unknown) {
    super(
      `lost ${where}: ${tries} control connections in a row failed before any command could be judged (last: ${last instanceof Error ? last.message : String(last)})`,
      'check that the server and anything in front of it are up and accept this many connections (lower --concurrency); the finished rows are kept, and --resume DIR finishes the sweep',
    );
  }
}
