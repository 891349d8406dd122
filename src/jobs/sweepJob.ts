/**
 * A whole sweep as `ftpsweep sweep` and `ftpsweep run` do it: the sweep, the dialogue of one failing
 * probe, the comparison with a baseline, and every report file. The CLI only prints and exits.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { identityDifferences, summaryView } from '../config/options.js';
import { type SweepOptions } from '../config/settings.js';
import { FtpSweepError, UsageError } from '../errors.js';
import { isFailure, type Verdict } from '../model/judgement.js';
import { compareProbes, missingProbes, planProbes, probeId, probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import { compareWithBaseline } from '../report/baseline.js';
import { junitXml } from '../report/junit.js';
import { makeFolderFor, writeOutput } from '../report/files.js';
import { defaultReportDir, readReport, readResults, REPORT_FILES, writeReport, type StoredReport } from '../report/reportFolder.js';
import { ResultsStream } from '../report/resultsStream.js';
import { buildSummary, startedSummary, summaryJson, type Summary } from '../report/summary.js';
import { printable } from '../report/safeText.js';
import { formatTranscript } from '../report/transcript.js';
import { probeOnce } from '../sweep/probeOnce.js';
import { runSweep } from '../sweep/sweep.js';
import { type SweepProgress } from '../sweep/sweepRows.js';

export interface SweepJob {
  readonly options: SweepOptions;
  /** Report folder; default reports/<host>-<port>-<stamp>[-shard-K-of-N]. */
  readonly out: string | undefined;
  /** A previous results.csv, or the report folder holding it. */
  readonly baseline: string | undefined;
  /** Where to write JUnit XML. */
  readonly junit: string | undefined;
  /** The report folder of an interrupted sweep to finish: its done rows are kept, not probed again. */
  readonly resume?: string | undefined;
  /** Replace a report already in `out` (without it, a folder that holds files is refused). */
  readonly force?: boolean;
}

export interface JobHooks {
  readonly onProgress?: (p: SweepProgress) => void;
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
 * What a resumed sweep starts from: the rows of the interrupted one, after checking it swept the
 * same target the same way (concurrency, timeout and confirmations may differ).
 */
async function resumeFrom(dir: string, options: SweepOptions): Promise<ResultRow[]> {
  const { rows } = await readResults(dir);
  let previous: StoredReport['summary'] | undefined;
  try {
    previous = (await readReport(dir)).summary;
  } catch {
    previous = undefined; // killed before writing summary.json: results.csv is all there is
  }
  if (previous) {
    const differs = identityDifferences(previous, summaryView(options));
    if (JSON.stringify(previous.shard) !== JSON.stringify(options.shard ?? null)) differs.push(`shard ${JSON.stringify(previous.shard)}`);
    if (differs.length > 0) throw new UsageError(`${dir} is a different sweep (${differs.join(', ')})`, 'resume with the same command as the interrupted sweep, adding --resume DIR');
  }
  return rows;
}

/**
 * The folder a new sweep writes into must not hold files already: `--out` at an earlier report used
 * to replace it without a word. With `force`, the report files there are removed first.
 */
async function claimFolder(dir: string, force: boolean): Promise<{ made: boolean }> {
  const held = await readdir(dir).catch(() => undefined);
  if (held === undefined) return { made: true };
  if (held.length === 0) return { made: false };
  if (!force) {
    throw new UsageError(`${dir} already holds files (${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''})`, 'give a new or empty folder with --out, finish an interrupted sweep there with --resume DIR, or replace its report with --force');
  }
  await Promise.all(REPORT_FILES.map((name) => rm(path.join(dir, name), { force: true })));
  return { made: false };
}

/** Removes the report files of a sweep that learnt nothing, and the folder if this sweep made it and it is empty. */
async function removeReport(dir: string, made: boolean): Promise<void> {
  await Promise.all(REPORT_FILES.map((name) => rm(path.join(dir, name), { force: true })));
  if (made) await rmdir(dir).catch(() => undefined);
}

export async function runSweepJob(job: SweepJob, hooks: JobHooks = {}): Promise<JobOutcome> {
  const { options } = job;
  if (job.out === '' || job.resume === '') throw new UsageError(`--${job.out === '' ? 'out' : 'resume'} is empty`, 'name a folder, e.g. --out reports/dmz, or leave the flag out');
  if (job.resume !== undefined && job.out !== undefined && path.resolve(job.out) !== path.resolve(job.resume)) {
    throw new UsageError(`--out ${job.out} and --resume ${job.resume} name different folders`, 'a resumed sweep writes into the folder it resumes: leave out --out');
  }
  // Read the baseline and the sweep to resume, and make JUnit's folder, before sweeping: a wrong
  // path should cost nothing.
  if (job.junit !== undefined) makeFolderFor(job.junit, '--junit');
  const baseline = job.baseline === undefined ? undefined : await readResults(job.baseline);
  const carried = job.resume === undefined ? [] : await resumeFrom(job.resume, options);
  const startedAt = new Date();
  const shardSuffix = options.shard ? `-shard-${options.shard.index}-of-${options.shard.count}` : '';
  const dir = job.resume ?? job.out ?? `${defaultReportDir(options.host, options.port, startedAt)}${shardSuffix}`;
  const claimed = job.resume === undefined ? await claimFolder(dir, job.force === true) : undefined;

  // The sweep is planned here, once. Rows reach results.csv in plan order as they become final; a
  // resumed sweep's rows come first, and its probes are not run again.
  const probes = planProbes(options);
  const position = new Map(probes.map((p, i) => [probeId(p), i]));
  for (const row of carried) {
    if (!position.has(probeId(row))) throw new UsageError(`${job.resume}: value ${row.value} (${row.variant}) is not part of this sweep`, 'resume with the same command as the interrupted sweep');
  }
  const stream = new ResultsStream(path.join(dir, 'results.csv'), (row) => position.get(probeId(row))!);
  for (const row of carried) stream.add(row);
  // What this sweep is (target, options, plan), on disk before the first probe: a resume after a
  // SIGKILL checks it, and never mixes two sweeps in one folder.
  await writeOutput(path.join(dir, 'summary.json'), summaryJson(startedSummary(options, probes.length, carried, startedAt, missingProbes(probes, carried))));
  const done = new Set(carried.map(probeId));
  let outcome;
  let added = 0;
  try {
    outcome = await runSweep(options, { ...hooks, onRow: (row) => {
      added++;
      stream.add(row);
    }, probes: probes.filter((p) => !done.has(probeId(p))) });
  } catch (error) {
    await stream.close();
    // Refused before any value was probed (unreachable host, refused login, too few descriptors):
    // a new folder keeps nothing, so the same command can simply be run again.
    if (claimed && added === 0) await removeReport(dir, claimed.made);
    throw error;
  }
  await stream.close();
  const rows = carried.length === 0 ? outcome.results : [...carried, ...outcome.results].sort(compareProbes);

  // An interrupted sweep gets its report now, but no extra probe for a dialogue.
  const chosen = outcome.interrupted ? undefined : dialogueRow(rows.filter((r) => isFailure(r.verdict)));
  const dialogue = chosen === undefined ? undefined : await captureDialogue(options, chosen);
  const comparison = baseline ? compareWithBaseline(rows, baseline.rows, job.baseline!, options.fields.length === 2) : undefined;
  const summary = buildSummary(options, outcome, {
    rows,
    probes: probes.length,
    missing: outcome.interrupted ? missingProbes(probes, rows) : [],
    resumed: carried.length,
    shard: options.shard ?? null,
    baseline: comparison ?? null,
    dialogueValue: chosen ? probeLabel(chosen, options.fields.length === 2) : null,
  });

  const files = await writeReport(dir, summary, rows, dialogue, { resultsWritten: true });
  if (job.junit !== undefined) {
    await writeOutput(job.junit, junitXml(summary, rows), '--junit');
    files.push(job.junit);
  }
  return { summary, rows, dir, files };
}
