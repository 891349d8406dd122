/**
 * Where the CLI writes, and how it waits for Ctrl-C: the only place signal handlers are installed.
 */
import { FtpSweepError } from '../ftp/errors.js';
import type { SweepProgress } from '../sweep/sweep.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: then a progress line is drawn. */
  readonly tty: boolean;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
    tty: process.stderr.isTTY === true,
    env: process.env,
  };
}

/** A progress callback that redraws one line on a terminal, and stays silent otherwise. */
export function progressLine(io: Io): { update: (p: SweepProgress) => void; clear: () => void } {
  if (!io.tty) return { update: () => undefined, clear: () => undefined };
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 100 && p.done !== p.total) return;
      last = now;
      process.stderr.write(`\r\x1b[Ksweeping ${p.done}/${p.total}, ${p.failing} failing`);
    },
    clear: () => void process.stderr.write('\r\x1b[K'),
  };
}

/** Expected errors: one line, the message and what to do. Anything else is a bug: its stack. */
export function describeError(error: unknown): string {
  if (error instanceof FtpSweepError) return `ftpsweep: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`;
  return `ftpsweep: unexpected error (please report it):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
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
