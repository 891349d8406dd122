/**
 * A whole sweep as `ftpsweep sweep` and `ftpsweep run` do it: the sweep, the dialogue of one failing
 * probe, the comparison with a baseline, and every report file. The CLI only prints and exits.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { identityDifferences, summaryView, validateSweepOptions } from '../config/options.js';
import { type SweepOptions } from '../config/settings.js';
import { FtpSweepError, LocalError, UsageError } from '../errors.js';
import { isFailure, type Verdict } from '../model/judgement.js';
import { compareProbes, missingProbes, planPositions, planProbes, probeId, probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import { compareWithBaseline, writeBaseline } from '../report/baseline.js';
import type { ExitStatus } from '../report/exitStatus.js';
import { junitXml } from '../report/junit.js';
import { isDiskFull, writeOutput } from '../report/files.js';
import { defaultReportDir, readReport, readResults, writeReport, type StoredReport } from '../report/reportFolder.js';
import { ResultsStream } from '../report/resultsStream.js';
import { buildSummary, startedSummary, summaryJson, type Summary } from '../report/summary.js';
import { printable } from '../report/safeText.js';
import { formatTranscript } from '../report/transcript.js';
import { probeOnce } from '../sweep/probeOnce.js';
import { runSweep } from '../sweep/sweep.js';
import { type AttemptReport, type SweepProgress } from '../sweep/sweepRows.js';
import { checkBaselineOutput, checkGivenPath, checkJunitPath, claimFolder, removeReport } from './outputPaths.js';

export interface SweepJob {
  readonly options: SweepOptions;
  /** Report folder; default reports/<host>-<port>-<stamp>[-shard-K-of-N]. */
  readonly out: string | undefined;
  /** A previous results.csv, or the report folder holding it. */
  readonly baseline?: string | undefined;
  /** Where to write JUnit XML. */
  readonly junit?: string | undefined;
  /** The report folder of an interrupted sweep to finish: its done rows are kept, not probed again. */
  readonly resume?: string | undefined;
  /** Replace a report already in `out` (without it, a folder that holds files is refused). */
  readonly force?: boolean;
  /** After a whole run, write its results.csv here (a file, or a folder for results.csv) as the baseline; exit 0. */
  readonly updateBaseline?: string | undefined;
  /** What decides the exit code instead of the verdicts, from the rows (the demo, which expects a failure). */
  readonly expect?: (rows: readonly ResultRow[]) => ExitStatus;
}

export interface JobHooks {
  readonly onProgress?: (p: SweepProgress) => void;
  /** Each row as soon as it is final (in completion order), after it went to results.csv. */
  readonly onRow?: (row: ResultRow) => void;
  /** After each attempt is judged (confirmations included). */
  readonly onAttempt?: (a: AttemptReport) => void;
  /** Stops the sweep; the report is then written for the values done (`interrupted` in summary.json). */
  readonly signal?: AbortSignal;
}

export interface JobOutcome {
  readonly summary: Summary;
  readonly rows: readonly ResultRow[];
  readonly dir: string;
  readonly files: readonly string[];
}

/** Which failing value's dialogue the ticket shows: the most telling verdict first. */
const DIALOGUE_PREFERENCE: readonly Verdict[] = ['corrupted', 'no-data', 'timeout', 'reset', 'rejected', 'error'];

export function dialogueRow(rows: readonly ResultRow[]): ResultRow | undefined {
  for (const verdict of DIALOGUE_PREFERENCE) {
    const row = rows.find((r) => r.verdict === verdict);
    if (row) return row;
  }
  return undefined;
}

/** Probes `row` once more with its whole dialogue kept; a failure to do so is said in the text. */
async function captureDialogue(options: SweepOptions, row: ResultRow): Promise<string> {
  try {
    const { result, transcript } = await probeOnce({ ...options, variants: [row.variant] }, row.value, true);
    return `${formatTranscript(transcript)}\n\nverdict: ${result.verdict}\ndetail:  ${printable(result.detail)}`;
  } catch (error) {
    if (!(error instanceof FtpSweepError)) throw error;
    return `(value ${row.value} could not be probed again for its dialogue: ${printable(error.message)})`;
  }
}

/**
 * What a resumed sweep starts from: the rows and summary of the interrupted one, after checking it
 * swept the same target the same way (concurrency, timeout and confirmations may differ).
 */
async function resumeFrom(dir: string, options: SweepOptions): Promise<StoredReport> {
  // summary.json is written before results.csv (and whole, by rename): without it the folder cannot
  // say which sweep its rows belong to, and they are not taken on trust.
  if (!existsSync(dir)) throw new UsageError(`--resume ${dir} does not exist`, 'give the report folder of the interrupted sweep');
  let previous: StoredReport;
  try {
    previous = await readReport(dir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`${dir} cannot be resumed: ${error.message}`, `sweep afresh there with --out ${dir} --force, or into a new folder`);
  }
  const differs = identityDifferences(previous.summary, summaryView(options));
  const shard = (s: { index: number; count: number } | null | undefined): string => (s ? `${s.index}/${s.count}` : 'none');
  if (shard(previous.summary.shard) !== shard(options.shard)) differs.push(`shard ${shard(previous.summary.shard)}`);
  if (differs.length > 0) throw new UsageError(`${dir} is a different sweep (${differs.join(', ')})`, 'resume with the command of the interrupted sweep, or sweep into a new folder');
  return previous;
}

/** A full disk before any row was written: nothing to resume, the same command runs again. */
function runAgain(error: unknown): unknown {
  if (!(error instanceof LocalError) || !isDiskFull(error.cause)) return error;
  return new LocalError(error.message, { cause: error.cause, hint: 'free space on that disk (or choose another place with --out), then run the same command again' });
}

/**
 * Sweeps as `ftpsweep sweep` does and writes the report folder (`job.out`, or
 * reports/<host>-<port>-<stamp>): results.csv while it runs, then the other reports and, for the
 * most telling failing value, its dialogue (probed once more). Throws UsageError, LocalError,
 * ConnectError or LoginError for what stops it before any value is done (no folder is left behind
 * then); once values are done, an interruption (`hooks.signal`) or a lost target still writes the
 * report (`summary.interrupted`).
 */
export async function runSweepJob(job: SweepJob, hooks: JobHooks = {}): Promise<JobOutcome> {
  const { options } = job;
  // A usage error (--concurrency 0) is said before any folder is made.
  validateSweepOptions(options);
  checkGivenPath(job.out, '--out', 'reports/dmz');
  checkGivenPath(job.resume, '--resume', 'reports/dmz');
  if (job.resume !== undefined && job.out !== undefined && path.resolve(job.out) !== path.resolve(job.resume)) {
    throw new UsageError(`--out ${job.out} and --resume ${job.resume} name different folders`, 'a resumed sweep writes into the folder it resumes: leave out --out');
  }
  const startedAt = new Date();
  const shardSuffix = options.shard ? `-shard-${options.shard.index}-of-${options.shard.count}` : '';
  const dir = job.resume ?? job.out ?? `${defaultReportDir(options.host, options.port, startedAt)}${shardSuffix}`;
  // Check JUnit's path, read the baseline and the sweep to resume, before sweeping: a wrong path
  // should cost nothing.
  checkJunitPath(job.junit, dir, job.baseline === undefined ? [] : [job.baseline]);
  const baselineOut = await checkBaselineOutput(job.updateBaseline, dir, [], job.junit);
  const baseline = job.baseline === undefined ? undefined : await readResults(job.baseline);
  const previous = job.resume === undefined ? undefined : await resumeFrom(job.resume, options);
  const carried = previous?.rows ?? [];
  const claimed = job.resume === undefined ? await claimFolder(dir, job.force === true) : undefined;

  // The sweep is planned here, once. Rows reach results.csv in plan order as they become final; a
  // resumed sweep's rows come first, and its probes are not run again.
  const probes = planProbes(options);
  const position = planPositions(probes);
  for (const row of carried) {
    if (position(row) === undefined) throw new UsageError(`${job.resume}: value ${row.value} (${row.variant}) is not part of this sweep`, 'resume with the same command as the interrupted sweep');
  }
  const done = new Set(carried.map(probeId));
  let stream: ResultsStream | undefined;
  let outcome;
  let added = 0;
  try {
    // What this sweep is (target, options, plan), on disk before results.csv and the first probe:
    // a resume after a SIGKILL checks it, and never mixes two sweeps in one folder.
    await writeOutput(path.join(dir, 'summary.json'), summaryJson(startedSummary(options, probes.length, carried, startedAt, missingProbes(probes, carried), previous?.summary)));
    const rowsFile = new ResultsStream(dir, (row) => position(row)!);
    stream = rowsFile;
    for (const row of carried) rowsFile.add(row);
    const onRow = (row: ResultRow): void => {
      added++;
      rowsFile.add(row);
      hooks.onRow?.(row);
    };
    // Progress counts the values of an earlier run too (--resume), as the report will.
    const before = carried.length;
    const failedBefore = carried.filter((r) => isFailure(r.verdict)).length;
    const { onProgress } = hooks;
    const progress = onProgress && before > 0 ? { onProgress: (p: SweepProgress): void => onProgress({ ...p, done: p.done + before, total: p.total + before, failing: p.failing + failedBefore, before }) } : {};
    outcome = await runSweep(options, { ...hooks, ...progress, onRow, probes: probes.filter((p) => !done.has(probeId(p))) });
    await rowsFile.close();
  } catch (error) {
    await stream?.close().catch(() => undefined);
    // Refused before any value was probed (unreachable host, refused login, a full disk): a new
    // folder keeps nothing, so the same command can simply be run again.
    if (claimed && added === 0) {
      await removeReport(dir, claimed.made);
      throw runAgain(error);
    }
    throw error;
  }
  const rows = carried.length === 0 ? outcome.results : [...carried, ...outcome.results].sort(compareProbes);

  // An interrupted sweep gets its report now, but no extra probe for a dialogue.
  const chosen = outcome.interrupted ? undefined : dialogueRow(rows.filter((r) => isFailure(r.verdict)));
  const dialogue = chosen === undefined ? undefined : await captureDialogue(options, chosen);
  const comparison = baseline ? compareWithBaseline(rows, baseline.rows, job.baseline!, options.fields.length === 2) : undefined;
  // The signal's name, as cli/io.ts aborts with it: the summary tells the exit code it causes.
  const reason: unknown = hooks.signal?.aborted ? hooks.signal.reason : undefined;
  const summaryOf = (baselineWritten: string | null): Summary =>
    buildSummary(options, outcome, {
      rows,
      probes: probes.length,
      missing: outcome.interrupted ? missingProbes(probes, rows) : [],
      resumed: carried.length,
      shard: options.shard ?? null,
      baseline: comparison ?? null,
      dialogueValue: chosen ? probeLabel(chosen, options.fields.length === 2) : null,
      signal: typeof reason === 'string' ? reason : undefined,
      baselineWritten,
      expected: job.expect?.(rows),
    }, previous?.summary);
  // Only a whole run becomes the baseline: a value it never probed would count as passing before.
  const newBaseline = outcome.interrupted || outcome.stopped !== undefined ? undefined : baselineOut;
  if (newBaseline !== undefined) {
    try {
      await writeBaseline(newBaseline, await readFile(path.join(dir, 'results.csv'), 'utf8'));
    } catch (error) {
      await writeReport(dir, summaryOf(null), rows, dialogue, { resultsWritten: true });
      throw error;
    }
  }
  const summary = summaryOf(newBaseline ?? null);

  const files = await writeReport(dir, summary, rows, dialogue, { resultsWritten: true });
  if (job.junit !== undefined) {
    await writeOutput(job.junit, junitXml(summary, rows), '--junit');
    files.push(job.junit);
  }
  return { summary, rows, dir, files };
}
