/**
 * The open-file limit (`ulimit -n`) against what a sweep holds open: checked before anything is
 * sent, so running out of descriptors never turns into errors on random values.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** The open-file limit (`ulimit -n`): read from /proc on Linux; elsewhere the common default 1024. */
function openFileLimit(): number {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: keep the default.
  }
  return 1024;
}

/** How many wide confirmations (257 listeners each) fit in the open-file limit, beside the rest. */
export function wideSlots(): number {
  return Math.floor((openFileLimit() - 256) / 300);
}

/** Each running probe holds a control connection, a listener and a data connection, or more. */
const FILES_PER_PROBE = 4;
/** Node itself, stdio, the report files. */
const FILES_BASE = 64;

/**
 * Refuses, before anything is sent, a concurrency the open-file limit cannot carry: running out of
 * descriptors mid-sweep would turn into errors on random values.
 */
export function checkOpenFiles(concurrency: number): void {
  const limit = openFileLimit();
  const need = concurrency * FILES_PER_PROBE + FILES_BASE;
  if (need > limit) {
    const fits = Math.max(1, Math.floor((limit - FILES_BASE) / FILES_PER_PROBE));
    throw new UsageError(`--concurrency ${concurrency} needs about ${need} open files, but this process may open only ${limit} (ulimit -n)`, `lower --concurrency to ${fits} or raise \`ulimit -n\``);
  }
}
