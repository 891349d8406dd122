/**
 * Where a job may write: checked before anything is probed or read, so a wrong path costs nothing
 * and no earlier report, input or special file is ever replaced without being asked.
 */
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { checkFolderFor } from '../report/files.js';
import { readResults, REPORT_FILES } from '../report/reportFolder.js';

/** What writeOutput names its temporary files: `.<name>.<pid>.tmp`. */
const TEMPORARY = /^\..+\.\d+\.tmp$/;

/** An empty or blank path would write into the current folder. */
export function checkGivenPath(value: string | undefined, flag: string, example: string): void {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} is empty`, `name a place, e.g. ${flag} ${example}, or leave the flag out`);
}

/**
 * A report folder a job writes into must not hold files already: `--out` at an earlier report used
 * to replace it without a word. With `force`, the report files there are removed first. Says
 * which folders are the job's own — `made`, the outermost one it will create (`reports/` too, the
 * first time), if any — so a job that learns nothing can take them away.
 */
export async function claimFolder(dir: string, force: boolean, resumable = true): Promise<{ made: string | undefined }> {
  const listed = await readdir(dir).catch(() => undefined);
  if (listed === undefined) {
    let made = path.resolve(dir);
    while (path.dirname(made) !== made && !existsSync(path.dirname(made))) made = path.dirname(made);
    return { made };
  }
  // A report file's temporary twin (files.ts), left by a process killed while writing: not a report.
  const leftovers = listed.filter((name) => TEMPORARY.test(name));
  await Promise.all(leftovers.map((name) => rm(path.join(dir, name), { force: true })));
  const held = listed.filter((name) => !TEMPORARY.test(name));
  if (held.length === 0) return { made: undefined };
  if (!force) {
    const ways = resumable ? `give a new or empty folder with --out, finish an interrupted sweep there with --resume ${dir}, or replace its report with --force` : 'give a new or empty folder with --out, or replace its report with --force';
    throw new UsageError(`${dir} already holds files (${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''})`, ways);
  }
  await Promise.all(REPORT_FILES.map((name) => rm(path.join(dir, name), { force: true })));
  return { made: undefined };
}

/**
 * Removes the report files of a job that learnt nothing, and the folders it made (`made`, from
 * claimFolder, and those inside it down to `dir`), as far as they are empty: another job may be
 * writing beside it in `reports/`.
 */
export async function removeReport(dir: string, made: string | undefined): Promise<void> {
  await Promise.all(REPORT_FILES.map((name) => rm(path.join(dir, name), { force: true })));
  if (made === undefined) return;
  for (let d = path.resolve(dir); d === made || d.startsWith(`${made}${path.sep}`); d = path.dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false)) || d === made) return;
  }
}

/**
 * A path as the file system resolves it, for comparing two spellings of one place: symbolic links
 * followed as far as the path exists (the rest may not exist yet).
 */
export function canonicalPath(p: string): string {
  const absolute = path.resolve(p);
  for (let existing = absolute, rest = ''; ; rest = path.join(path.basename(existing), rest), existing = path.dirname(existing)) {
    try {
      return path.join(realpathSync(existing), rest);
    } catch {
      if (existing === path.dirname(existing)) return absolute;
    }
  }
}

/**
 * The JUnit file: a new or regular file, never one a report or the job reads. A report file is
 * written to a temporary file and renamed over its place, which would turn a device, a FIFO or a
 * symlink into a plain file (`--junit /dev/stdout`); `--junit DIR/summary.json` would replace a
 * summary with XML, in this report or any other, and `--junit base.csv` the baseline. Makes the
 * folder it goes into.
 */
export function checkJunitPath(junit: string | undefined, reportDir: string, inputs: readonly string[] = []): void {
  if (junit === undefined) return;
  checkGivenPath(junit, '--junit', 'reports/junit.xml');
  const hint = 'name a new or regular file for the XML, e.g. --junit reports/junit.xml';
  let link = false;
  try {
    link = lstatSync(junit).isSymbolicLink();
  } catch {
    // Not there yet: a new file.
  }
  if (link) throw new UsageError(`--junit ${junit} is a symbolic link; a report replaces the file it names`, existsSync(junit) ? `name the file it points to, ${realpathSync(junit)}, or a new one` : hint);
  if (existsSync(junit)) {
    const stats = statSync(junit);
    if (stats.isDirectory()) throw new UsageError(`--junit ${junit} is a folder`, hint);
    if (!stats.isFile()) throw new UsageError(`--junit ${junit} is not a regular file (a device, FIFO or socket)`, hint);
    if ((REPORT_FILES as readonly string[]).includes(path.basename(junit))) throw new UsageError(`--junit ${junit} is a report's own ${path.basename(junit)}`, hint);
  }
  const target = canonicalPath(junit);
  const own = REPORT_FILES.find((name) => canonicalPath(path.join(reportDir, name)) === target);
  if (own !== undefined) throw new UsageError(`--junit ${junit} is the report's own ${own}`, hint);
  const input = inputs.find((file) => canonicalPath(file) === target || canonicalPath(path.join(file, 'results.csv')) === target);
  if (input !== undefined) throw new UsageError(`--junit ${junit} is ${input}, which this command reads`, hint);
  checkFolderFor(junit, '--junit');
}

/**
 * Where `--update-baseline` writes: the file named, or results.csv in the folder named (one that
 * exists, or a path ending in `/`). Checked
 * before anything is probed. Never in the report's folder (a baseline must outlive the report of
 * one run), a file the command reads other than the baseline it replaces (a shard being merged),
 * the JUnit file, a symbolic link (the rename would replace the link), or a file that is not a
 * results.csv — `--update-baseline package.json` would otherwise overwrite it.
 */
export async function checkBaselineOutput(target: string | undefined, reportDir: string, inputs: readonly string[], junit: string | undefined): Promise<string | undefined> {
  if (target === undefined) return undefined;
  checkGivenPath(target, '--update-baseline', 'baseline/results.csv');
  const hint = 'name a results.csv outside the report folder, e.g. --update-baseline baseline/results.csv';
  const folder = target.endsWith('/') || target.endsWith(path.sep) || (existsSync(target) && statSync(target).isDirectory()) || canonicalPath(target) === canonicalPath(reportDir);
  const file = folder ? path.join(target, 'results.csv') : target;
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch {
    // Not there yet: a new file.
  }
  if (link) throw new UsageError(`--update-baseline ${file} is a symbolic link; writing the baseline would replace the link`, existsSync(file) ? `name the file it points to, ${realpathSync(file)}` : hint);
  const at = canonicalPath(file);
  const within = path.relative(canonicalPath(reportDir), at);
  if (!within.startsWith('..') && !path.isAbsolute(within)) {
    const own = REPORT_FILES.find((name) => name === within);
    throw new UsageError(`--update-baseline ${target} is ${own === undefined ? "inside this report's folder" : `this report's own ${own}`}; a baseline must outlive the report of one run`, hint);
  }
  const input = inputs.find((f) => canonicalPath(f) === at);
  if (input !== undefined) throw new UsageError(`--update-baseline ${target} is ${input}, which this command reads`, hint);
  if (junit !== undefined && canonicalPath(junit) === at) throw new UsageError(`--update-baseline ${target} is also the --junit file`, hint);
  if (existsSync(file)) {
    if (!statSync(file).isFile()) throw new UsageError(`--update-baseline ${file} is not a regular file (a device, FIFO or socket)`, hint);
    try {
      await readResults(file);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(`--update-baseline ${file} exists and is not a results.csv written by ftpsweep (${error.message}); it would be replaced`, hint);
    }
  }
  checkFolderFor(file, '--update-baseline');
  return file;
}
