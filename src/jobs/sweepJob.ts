/**
 * A whole sweep as `ftpsweep sweep` and `ftpsweep run` do it: the sweep, the dialogue of one failing
 * probe, the comparison with a baseline, and every report file. The CLI only prints and exits.
 */
import { compareWithBaseline } from '../report/baseline.js';
import { junitXml } from '../report/junit.js';
import path from 'node:path';
import { defaultReportDir, readResults, writeOutput, writeReport } from '../report/reportFolder.js';
import { ResultsStream } from '../report/resultsStream.js';
import { rowLabel } from '../report/rowLabel.js';
import { buildSummary, type Summary } from '../report/summary.js';
import { formatTranscript } from '../report/transcript.js';
import { probeOnce } from '../sweep/probeOnce.js';
import type { Shard } from '../sweep/shard.js';
import { VARIANTS, type Variant } from '../sweep/variants.js';
import { runSweep, sweepProbes, type SweepOptions, type SweepProgress } from '../sweep/sweep.js';
import type { ResultRow } from '../sweep/valueResult.js';
import { isFailure, type Verdict } from '../sweep/verdict.js';
import { FtpSweepError } from '../ftp/errors.js';

export interface SweepJob {
  readonly options: SweepOptions;
  /** Report folder; default reports/<host>-<port>-<stamp>[-shard-K-of-N]. */
  readonly out: string | undefined;
  /** A previous results.csv, or the report folder holding it. */
  readonly baseline: string | undefined;
  /** Where to write JUnit XML. */
  readonly junit: string | undefined;
  readonly shard: Shard | undefined;
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
    const { result, transcript } = await probeOnce({ ...options, variants: [row.variant] }, row.value);
    return `${formatTranscript(transcript)}\n\nverdict: ${result.verdict}\ndetail:  ${result.detail}`;
  } catch (error) {
    if (!(error instanceof FtpSweepError)) throw error;
    return `(value ${row.value} could not be probed again for its dialogue: ${error.message})`;
  }
}

export async function runSweepJob(job: SweepJob, onProgress?: (p: SweepProgress) => void): Promise<JobOutcome> {
  // Read the baseline before sweeping: a wrong path should cost nothing.
  const baseline = job.baseline === undefined ? undefined : await readResults(job.baseline);
  const options = { ...job.options, shard: job.shard };
  const startedAt = new Date();
  const shardSuffix = job.shard ? `-shard-${job.shard.index}-of-${job.shard.count}` : '';
  const dir = job.out ?? `${defaultReportDir(options.host, options.port, startedAt)}${shardSuffix}`;
  // Rows reach results.csv as they become final, in sweep order.
  const key = (variant: Variant, value: number): number => VARIANTS.indexOf(variant) * 65536 + value;
  const order = new Map(sweepProbes(options).map((p, i) => [key(p.variant, p.value), i]));
  const stream = new ResultsStream(path.join(dir, 'results.csv'), (row) => order.get(key(row.variant, row.value))!);
  let outcome;
  try {
    outcome = await runSweep(options, { onProgress, onRow: (row) => stream.add(row) });
  } finally {
    await stream.close();
  }
  const rows = outcome.results;

  const chosen = dialogueRow(rows.filter((r) => isFailure(r.verdict)));
  const dialogue = chosen === undefined ? undefined : await captureDialogue(options, chosen);
  const comparison = baseline ? compareWithBaseline(rows, baseline.rows, job.baseline!, options.fields.length === 2) : undefined;
  const summary = buildSummary(options, outcome, { shard: job.shard ?? null, baseline: comparison ?? null, dialogueValue: chosen ? rowLabel(chosen, options.fields.length === 2) : null });

  const files = await writeReport(dir, summary, rows, dialogue, { resultsWritten: true });
  if (job.junit !== undefined) {
    await writeOutput(job.junit, junitXml(summary, rows), '--junit');
    files.push(job.junit);
  }
  return { summary, rows, dir, files };
}
