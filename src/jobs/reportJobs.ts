/**
 * `ftpsweep report DIR` (re-render the ticket reports from results.csv + summary.json) and
 * `ftpsweep merge DIR…` (join shard reports into one).
 */
import path from 'node:path';
import { identityDifferences, planOf } from '../config/options.js';
import { UsageError } from '../errors.js';
import { isFailure } from '../model/judgement.js';
import { compareProbes, missingProbes, planProbes, probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import { compareWithBaseline, writeBaseline } from '../report/baseline.js';
import { htmlReport } from '../report/htmlReport.js';
import { junitXml } from '../report/junit.js';
import { markdownReport } from '../report/markdownReport.js';
import { writeOutput } from '../report/files.js';
import { readReport, readResults, REPORT_FILES, writeReport, type StoredReport } from '../report/reportFolder.js';
import { resultsCsv } from '../report/resultsCsv.js';
import { combineInspections, makeSummary, type Summary } from '../report/summary.js';
import { canonicalPath, checkBaselineOutput, checkGivenPath, checkJunitPath, claimFolder } from './outputPaths.js';

/** Re-renders report.html and report.md in `dir`; returns their paths. */
export async function rerenderReport(dir: string): Promise<{ readonly summary: Summary; readonly rows: readonly ResultRow[]; readonly files: readonly string[] }> {
  const { summary, rows, dialogue } = await readReport(dir);
  const files = [path.join(dir, 'report.html'), path.join(dir, 'report.md')];
  await writeOutput(files[0]!, htmlReport(summary, rows, dialogue));
  await writeOutput(files[1]!, markdownReport(summary, rows, dialogue));
  return { summary, rows, files };
}

export interface MergeJob {
  readonly dirs: readonly string[];
  readonly out: string;
  readonly baseline: string | undefined;
  readonly junit: string | undefined;
  /** Replace a report already in `out` (without it, a folder that holds files is refused). */
  readonly force?: boolean;
  /** When every probe of the sweep is here, write the merged results.csv here as the baseline; exit 0. */
  readonly updateBaseline?: string | undefined;
}

/**
 * Checks the reports fit together: one sweep (target, oracle, values, variants … all that makes it
 * what it is), one shard count, no value twice.
 */
function checkMergeable(reports: readonly StoredReport[]): void {
  const [first] = reports;
  const owner = new Map<string, string>();
  for (const report of reports) {
    const differs = identityDifferences(first!.summary, report.summary);
    if (differs.length > 0) throw new UsageError(`${report.dir} is a different sweep from ${first!.dir} (${first!.dir} has ${differs.join(', ')})`, 'merge only the shards of one sweep');
    if ((first!.summary.shard?.count ?? null) !== (report.summary.shard?.count ?? null)) {
      throw new UsageError(`${first!.dir} and ${report.dir} come from different shardings`, 'merge only the shards of one sweep (same --shard K/N count)');
    }
    const twoFields = report.summary.options.fields.length === 2;
    for (const row of report.rows) {
      const label = probeLabel(row, twoFields);
      const other = owner.get(label);
      if (other !== undefined) throw new UsageError(`value ${label} is in both ${other} and ${report.dir}`, 'merge each shard once; shards of one sweep never overlap');
      owner.set(label, report.dir);
    }
  }
}

export async function mergeReports(job: MergeJob): Promise<{ readonly summary: Summary; readonly rows: readonly ResultRow[]; readonly files: readonly string[] }> {
  if (job.dirs.length === 0) throw new UsageError('nothing to merge', 'give the report folders of the shards: ftpsweep merge DIR… --out DIR');
  checkGivenPath(job.out, '--out', 'reports/merged');
  // The merged report never replaces a shard it is made from, not even with --force.
  const input = job.dirs.find((dir) => canonicalPath(dir) === canonicalPath(job.out));
  if (input !== undefined) throw new UsageError(`--out ${job.out} is one of the shards being merged`, 'give the merged report a folder of its own, e.g. --out reports/merged');
  const shardFiles = job.dirs.flatMap((dir) => REPORT_FILES.map((name) => path.join(dir, name)));
  checkJunitPath(job.junit, job.out, [...shardFiles, ...(job.baseline === undefined ? [] : [job.baseline])]);
  const baselineOut = await checkBaselineOutput(job.updateBaseline, job.out, shardFiles, job.junit);
  const reports = await Promise.all(job.dirs.map((dir) => readReport(dir)));
  checkMergeable(reports);
  const baseline = job.baseline === undefined ? undefined : await readResults(job.baseline);
  await claimFolder(job.out, job.force === true, false);

  const rows = reports.flatMap((r) => r.rows).sort(compareProbes);
  const first = reports[0]!.summary;
  // Every shard's summary tells the whole plan: what no shard brought is missing, and said so.
  const planned = planProbes(planOf(first.options));
  const missing = missingProbes(planned, rows);
  const twoFields = first.options.fields.length === 2;
  const failingLabels = new Set(rows.filter((row) => isFailure(row.verdict)).map((row) => probeLabel(row, twoFields)));
  const withDialogue = reports.find((r) => r.dialogue !== undefined && r.summary.dialogueValue !== null && failingLabels.has(r.summary.dialogueValue));
  const comparison = baseline ? compareWithBaseline(rows, baseline.rows, job.baseline!, first.options.fields.length === 2) : null;
  // Only a merge of the whole sweep becomes the baseline: a value no shard brought would count as
  // passing before.
  const newBaseline = missing.length === 0 ? baselineOut : undefined;
  if (newBaseline !== undefined) await writeBaseline(newBaseline, resultsCsv(rows));
  const summary = makeSummary({
    target: first.target,
    // Shards split the probes, not the options: every shard carries the whole sweep's options.
    options: first.options,
    startedAt: new Date(Math.min(...reports.map((r) => Date.parse(r.summary.startedAt)))),
    endedAt: new Date(Math.max(...reports.map((r) => Date.parse(r.summary.endedAt)))),
    reflector: reports.some((r) => r.summary.reflector),
    offersChosenByServer: reports.some((r) => r.summary.offersChosenByServer),
    // Each shard checked the control channel on its own connection, and its rows show the path for
    // its own values only: every distinct finding is kept (combineInspections).
    inspection: combineInspections(reports.map((r) => r.summary.inspection)),
    rows,
    probes: planned.length,
    missing,
    mergedFrom: job.dirs,
    baseline: comparison,
    dialogueValue: withDialogue?.summary.dialogueValue ?? null,
    baselineWritten: newBaseline ?? null,
  });
  const files = await writeReport(job.out, summary, rows, withDialogue?.dialogue);
  if (job.junit !== undefined) {
    await writeOutput(job.junit, junitXml(summary, rows), '--junit');
    files.push(job.junit);
  }
  return { summary, rows, files };
}
