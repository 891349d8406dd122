/**
 * The open-file limit (`ulimit -n`) against what a sweep holds open: checked before anything is
 * sent, so running out of descriptors never turns into errors on random values. (It did: at
 * `ulimit -n` 80..300 the demo reported values 235 and 236 as no-data, because a wide confirmation
 * took the descriptors the other probes and the in-process reflector needed.)
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** The open-file limit (`ulimit -n`): read from /proc on Linux; elsewhere the common default 1024. */
export function openFileLimit(): number {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: keep the default.
  }
  return 1024;
}

/**
 * Below this, Node cannot even load ftpsweep's modules (at 60 its loader fails with a stack trace):
 * main.ts checks it before loading anything else.
 */
export const MIN_OPEN_FILES = 128;

/** Each running probe holds a control connection, a listener and a data connection, or more. */
export const FILES_PER_PROBE = 4;
/** Node itself, stdio, the report files. */
const FILES_BASE = 64;
/** A wide confirmation: a listener on each of the 256 ports of a high byte, and its connections. */
const FILES_PER_WIDE = 260;

export interface FileNeeds {
  readonly concurrency: number;
  /** Descriptors each running probe costs: more when the servers run in this process (the demo). */
  readonly perProbe?: number;
  /** Whether a failed value is confirmed on all 256 ports of its high byte (the data oracle, active commands). */
  readonly wide: boolean;
  /** Who needs them, when the concurrency is not the user's to lower (the demo). */
  readonly who?: string;
}

function filesNeeded(needs: FileNeeds, concurrency = needs.concurrency): number {
  return FILES_BASE + concurrency * (needs.perProbe ?? FILES_PER_PROBE) + (needs.wide ? FILES_PER_WIDE : 0);
}

/** How many wide confirmations fit at once beside `concurrency` running probes (at least the one checked for). */
export function wideSlots(needs: FileNeeds): number {
  return Math.max(1, Math.floor((openFileLimit() - filesNeeded({ ...needs, wide: false })) / FILES_PER_WIDE));
}

/**
 * Refuses, before anything is sent, a sweep the open-file limit cannot carry: running out of
 * descriptors mid-sweep would turn into errors on random values.
 */
export function checkOpenFiles(needs: FileNeeds): void {
  const limit = openFileLimit();
  const need = filesNeeded(needs);
  if (need <= limit) return;
  const why = needs.wide ? ' (a failed value is confirmed on all 256 ports of its high byte)' : '';
  const problem = `${needs.who ?? `--concurrency ${needs.concurrency}`} needs about ${need} open files${why}, but this process may open only ${limit} (ulimit -n)`;
  if (needs.who !== undefined) throw new UsageError(problem, `raise \`ulimit -n\` to at least ${need}`);
  let fits = needs.concurrency;
  while (fits > 1 && filesNeeded(needs, fits) > limit) fits--;
  if (filesNeeded(needs, fits) > limit) throw new UsageError(problem, `raise \`ulimit -n\` to at least ${need}`);
  throw new UsageError(problem, `lower --concurrency to ${fits} or raise \`ulimit -n\``);
}
