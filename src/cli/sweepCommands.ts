/**
 * `ftpsweep sweep`, `run`, `report` and `merge` (`probe` is in probeCommand.ts).
 */
import type { Argv, CommandModule } from 'yargs';
import { rerenderReport, mergeReports } from '../jobs/reportJobs.js';
import { runSweepJob, type SweepJob } from '../jobs/sweepJob.js';
import { consoleReport } from '../report/consoleReport.js';
import type { Run } from './handler.js';
import { interruptible, progressLine, type Io } from './io.js';
import { combineFlags, givenFlags, sweepFlags, targetFlags, toSweepJob } from './options.js';

async function sweepAndReport(job: SweepJob, io: Io): Promise<number> {
  const progress = progressLine(io);
  const stop = interruptible(io);
  try {
    const { summary, rows, dir, files } = await runSweepJob(job, { onProgress: progress.update, signal: stop.signal }).finally(progress.clear);
    io.out(consoleReport(summary, rows, dir));
    if (job.junit !== undefined) io.out(`JUnit: ${files.at(-1)}`);
    // The target stopped taking connections: the report covers the values done, and it is an error.
    // --max-failures stopping it is a result (values failed: exit 1), said in the report's STOPPED line.
    if (summary.stopped?.by === 'target-lost') {
      io.err(`ftpsweep: ${summary.stopped.reason} — ${summary.stopped.hint}`);
      return 2;
    }
    return stop.exitCode() ?? summary.exitCode;
  } finally {
    stop.release();
  }
}

export function sweepCommand(run: Run): CommandModule {
  return {
    command: 'sweep',
    describe: 'probe every value (default 0..255) and write the reports',
    builder: (y: Argv) => targetFlags(sweepFlags(y), true),
    handler: run(async (args, io) => sweepAndReport(toSweepJob(combineFlags(givenFlags(args), undefined, io.env), io.env), io)),
  };
}

export function runCommand(run: Run): CommandModule {
  return {
    command: 'run <file>',
    describe: 'run a sweep file (sweeps/*.yaml); flags given here override the file',
    builder: (y: Argv) => sweepFlags(y).positional('file', { type: 'string', describe: 'the sweep file, e.g. sweeps/last-octet.yaml' }),
    handler: run(async (args, io) => {
      // The YAML parser is loaded only for sweep files.
      const { loadSweepFile } = await import('../config/sweepFile.js');
      const file = await loadSweepFile(String(args.file));
      const job = toSweepJob(combineFlags(givenFlags(args), file, io.env), io.env, `give --host, or set host in ${file.path}`);
      return sweepAndReport(job, io);
    }),
  };
}

export function reportCommand(run: Run): CommandModule {
  return {
    command: 'report <dir>',
    describe: 're-render report.html and report.md from a report folder\'s results.csv and summary.json',
    builder: (y: Argv) => y.positional('dir', { type: 'string', describe: 'a report folder written by ftpsweep' }),
    handler: run(async (args, io) => {
      const { files } = await rerenderReport(String(args.dir));
      io.out(`Rendered ${files.join(' and ')}`);
      return 0;
    }),
  };
}

export function mergeCommand(run: Run): CommandModule {
  return {
    command: 'merge <dirs..>',
    describe: 'join the reports of shards (--shard K/N) into one report folder',
    builder: (y: Argv) =>
      y
        .positional('dirs', { type: 'string', array: true, describe: 'the shards\' report folders' })
        .option('out', { type: 'string', demandOption: 'give --out, the folder for the merged report', describe: 'folder for the merged report' })
        .option('baseline', { type: 'string', describe: 'a previous results.csv (or its folder): exit 1 only for values that got worse' })
        .option('junit', { type: 'string', describe: 'also write JUnit XML here' })
        .option('force', { type: 'boolean', default: false, describe: 'replace a report already in --out' }),
    handler: run(async (args, io) => {
      const { summary, rows } = await mergeReports({
        force: args.force === true,
        dirs: (args.dirs as string[]).map(String),
        out: String(args.out),
        baseline: args.baseline as string | undefined,
        junit: args.junit as string | undefined,
      });
      io.out(consoleReport(summary, rows, String(args.out)));
      return summary.exitCode;
    }),
  };
}
