/**
 * Writing report files so that what is on disk is always whole: a file is written beside its place
 * and renamed over it (a full disk leaves the old file, never a 0-byte one), and a failed write
 * says which file and why in one line — a full disk by name, with the way out.
 */
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalError, errnoCode } from '../errors.js';

/** The folders of `dir` that do not exist yet, outermost first, and the nearest one that does. */
function missingFolders(dir: string): { readonly missing: string[]; readonly existing: string } {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (; !existsSync(d) && d !== path.dirname(d); d = path.dirname(d)) missing.unshift(d);
  return { missing, existing: d };
}

/**
 * Creates `dir` and its missing parents, one at a time: Node's recursive mkdir spins without end on
 * some paths it cannot create (under /proc, measured: 91% CPU, deaf to SIGTERM).
 */
export function makeDirectory(dir: string): void {
  for (const d of missingFolders(dir).missing) mkdirSync(d);
}

/**
 * Checks that the folder `file` goes into exists or can be made, and leaves nothing: the folders
 * missing are made, then removed again (a sweep refused later, a refused login, must leave no
 * folder behind; the file's writer makes them for good, writeOutput). Says in one line why not.
 */
export function checkFolderFor(file: string, flag = '--out'): void {
  const { missing, existing } = missingFolders(path.dirname(file));
  if (!statSync(existing).isDirectory()) throw writeError(file, Object.assign(new Error(`${existing} is a file, not a folder`), { code: 'ENOTDIR' }), flag);
  try {
    for (const folder of missing) mkdirSync(folder);
  } catch (error) {
    throw writeError(file, error, flag);
  } finally {
    // Innermost first; those it made before failing too (they were missing, now they are there).
    for (const folder of missing.reverse()) if (existsSync(folder)) rmdirSync(folder);
  }
}

/** The disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** What a failed write of `file` means for the user: one line, with what to do. */
export function writeError(file: string, error: unknown, flag = '--out'): LocalError {
  const code = errnoCode(error);
  if (isDiskFull(error)) {
    return new LocalError(`cannot write ${file}: the disk is full (${code})`, { cause: error, hint: `free space on that disk (or choose another place with ${flag}), then run the same command again${flag === '--out' ? ` with --resume ${path.dirname(file)}: every whole row written so far is kept` : ''}` });
  }
  return new LocalError(`cannot write ${file}: ${(error as Error).message}`, { cause: error, hint: `choose a writable place with ${flag}` });
}

/** Writes `text` to `file` whole or not at all (a temporary file, then a rename), creating folders. */
export async function writeOutput(file: string, text: string, flag = '--out'): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    makeDirectory(path.dirname(file));
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw writeError(file, error, flag);
  }
}
