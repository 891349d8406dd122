/**
 * Where the CLI writes, and how it waits for Ctrl-C: the only place signal handlers are installed.
 */
import { FtpSweepError } from '../errors.js';
import { ProgressReporter, type ProgressSettings } from '../report/progressReporter.js';
import { printable } from '../report/safeText.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Writes to stderr as it is, no newline: a progress line redrawn in place. */
  status(text: string): void;
  /** True when stderr is a terminal: then a progress line is drawn. */
  readonly tty: boolean;
  /** The terminal's width, when stderr is one. */
  readonly columns: number | undefined;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  // `ftpsweep probe … | head`: once the reader has gone, the rest of the output is dropped, and the
  // sweep still finishes and writes its report (an unhandled EPIPE ended it with a stack trace).
  let readerGone = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  return {
    // Whatever a server sent, no control character reaches the terminal as one (safeText.ts).
    out: (text) => void (readerGone || process.stdout.write(`${printable(text, true)}\n`)),
    err: (text) => void process.stderr.write(`${printable(text, true)}\n`),
    status: (text) => void process.stderr.write(text),
    tty: process.stderr.isTTY === true,
    columns: process.stderr.isTTY === true ? process.stderr.columns : undefined,
    env: process.env,
  };
}

/**
 * A sweep's progress on stderr (progressReporter.ts): a live line on a terminal, a line every 10 s
 * elsewhere. Stop it when the sweep ends.
 */
export function progressReporter(io: Io, settings: Omit<ProgressSettings, 'tty' | 'columns'>): ProgressReporter {
  return new ProgressReporter({ status: io.status, line: io.err }, { ...settings, tty: io.tty, ...(io.columns ? { columns: io.columns } : {}) });
}

/** Expected errors: one line, the message and what to do. Anything else is a bug: its stack. */
export function describeError(error: unknown): string {
  // One line, always: a server's multi-line reply quoted in a message is joined.
  if (error instanceof FtpSweepError) return `ftpsweep: ${error.message.replace(/\s*[\r\n]+\s*/g, ' ')}${error.hint ? ` — ${error.hint}` : ''}`;
  return `ftpsweep: unexpected error (please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

const SIGNAL_NUMBER: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

/**
 * Ctrl-C or SIGTERM during a sweep: the first asks the sweep to stop and write its report (the
 * returned signal aborts); a second stops the process at once. `exitCode()` is 128 + the signal's
 * number once one came (130 for Ctrl-C), the shell's convention; `release()` removes the handlers.
 * `then` says what happens next (the sweep's report, by default).
 */
export function interruptible(
  io: Io,
  then = (signal: NodeJS.Signals): string => `writing the report for the values done (${signal} again stops at once; --resume DIR finishes the sweep)`,
): { readonly signal: AbortSignal; exitCode(): number | undefined; release(): void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received !== undefined) process.exit(128 + (SIGNAL_NUMBER[signal] ?? 1));
    received = signal;
    io.err(`ftpsweep: ${signal}: stopping; ${then(signal)}`);
    // The signal's name is the reason: summary.json tells the exit code it causes.
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    exitCode: () => (received === undefined ? undefined : 128 + (SIGNAL_NUMBER[received] ?? 1)),
    release() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

/** Resolves with the signal's name on SIGINT or SIGTERM, then removes its handlers. */
export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
