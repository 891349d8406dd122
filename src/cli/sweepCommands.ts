/**
 * `ftpsweep sweep`, `run`, `report` and `merge` (`probe` is in probeCommand.ts).
 */
import type { Argv, CommandModule } from 'yargs';
import { SETTINGS } from '../config/settings.js';
import { rerenderReport, mergeReports } from '../jobs/reportJobs.js';
import { runSweepJob, type SweepJob } from '../jobs/sweepJob.js';
import type { SweepFlags } from '../config/settings.js';
import { UsageError } from '../errors.js';
import { baselineLine } from '../report/baseline.js';
import { consoleReport, resultLine } from '../report/consoleReport.js';
import type { Run } from './handler.js';
import { interruptible, progressReporter, type Io } from './io.js';
import { combineFlags, givenFlags, sweepFlags, targetFlags, toSweepJob } from './options.js';

/** Why a run wrote no baseline: it was not whole. */
const notWhole = (reason: string): string => `only a whole run becomes the baseline (${reason})`;

/**
 * Runs a sweep job with its progress on stderr (none with --quiet; every attempt with --verbose),
 * then prints the console report (--quiet: one line) and returns the exit code.
 */
async function sweepAndReport(job: SweepJob, io: Io, flags: SweepFlags): Promise<number> {
  if (flags.quiet === true && flags.verbose === true) throw new UsageError('--quiet and --verbose contradict each other', 'give one of them');
  const verbose = flags.verbose === true;
  const progress = flags.quiet === true ? undefined : progressReporter(io, { sweep: job.options, verbose });
  const stop = interruptible(io);
  try {
    const hooks = { signal: stop.signal, ...(progress ? { onProgress: progress.update } : {}), ...(progress && verbose ? { onAttempt: progress.attempt } : {}) };
    const { summary, rows, dir, files } = await runSweepJob(job, hooks).finally(() => progress?.stop());
    if (flags.quiet === true) io.out(resultLine(summary, dir));
    else io.out(consoleReport(summary, rows, dir));
    if (job.junit !== undefined && flags.quiet !== true) io.out(`JUnit: ${files.at(-1)}`);
    // Said even with --quiet: what was written where is the point of the flag.
    if (job.updateBaseline !== undefined) io.out(baselineLine(job.updateBaseline, summary.baselineWritten, rows, notWhole(summary.exitReason)));
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
    builder: (y: Argv) =>
      targetFlags(sweepFlags(y), true)
        .example('$0 --host 192.0.2.10', 'PORT h1,h2,h3,h4,p1,0..255 through the firewall in front of 192.0.2.10:21, anonymous')
        .example('$0 --host 192.0.2.10:2121 --user sweep --password-env FTP_PW', 'another port (or --port 2121), a login whose password is in $FTP_PW')
        .example('$0 --host [2001:db8::10]:21 --command EPRT', 'EPRT over IPv6')
        .example('$0 --host 192.0.2.10 --values 220-230 --tls', 'a few values, then the same under AUTH TLS (the firewall cannot see them)')
        .example('$0 --host 192.0.2.10 --baseline reports/dmz', 'exit 1 only for values worse than in an earlier report'),
    handler: run(async (args, io) => {
      const flags = combineFlags(givenFlags(args), undefined, io.env);
      return sweepAndReport(toSweepJob(flags, io.env), io, flags);
    }),
  };
}

export function runCommand(run: Run): CommandModule {
  return {
    command: 'run <file>',
    describe: 'run a sweep file (sweeps/*.yaml); flags given here override the file',
    builder: (y: Argv) =>
      sweepFlags(y)
        .positional('file', { type: 'string', describe: 'the sweep file, e.g. sweeps/last-octet.yaml' })
        .example('$0 sweeps/last-octet.yaml --host 192.0.2.10', 'the sweep the file describes, against 192.0.2.10 (--host overrides the file\'s)')
        .example('FTPSWEEP_HOST=192.0.2.10 $0 sweeps/dmz-inspection.yaml --port 2121', 'the file\'s host from the environment (${FTPSWEEP_HOST}), another port'),
    handler: run(async (args, io) => {
      // The YAML parser is loaded only for sweep files.
      const { loadSweepFile } = await import('../config/sweepFile.js');
      const file = await loadSweepFile(String(args.file));
      const flags = combineFlags(givenFlags(args), file, io.env);
      const job = toSweepJob(flags, io.env, `give --host, or set host in ${file.path}`);
      return sweepAndReport(job, io, flags);
    }),
  };
}

export function reportCommand(run: Run): CommandModule {
  return {
    command: 'report <dir>',
    describe: 're-render report.html and report.md from a report folder\'s results.csv and summary.json',
    builder: (y: Argv) => y.positional('dir', { type: 'string', describe: 'a report folder written by ftpsweep' }).example('$0 reports/dmz', 'write reports/dmz/report.html and report.md again'),
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
        .option('force', { type: 'boolean', describe: 'replace a report already in --out' })
        .option('update-baseline', { type: 'string', describe: SETTINGS['update-baseline'].help })
        .example('$0 reports/dmz-1 reports/dmz-2 --out reports/dmz', 'join the reports of --shard 1/2 and --shard 2/2')
        .example('$0 shards/* --out reports/merged --update-baseline baseline/', 'join them and make the result the baseline later merges compare with (exit 0 once written)'),
    handler: run(async (args, io) => {
      const { summary, rows } = await mergeReports({
        force: args.force === true,
        dirs: (args.dirs as string[]).map(String),
        out: String(args.out),
        baseline: args.baseline as string | undefined,
        junit: args.junit as string | undefined,
        updateBaseline: args['update-baseline'] as string | undefined,
      });
      io.out(consoleReport(summary, rows, String(args.out)));
      if (args['update-baseline'] !== undefined) io.out(baselineLine(String(args['update-baseline']), summary.baselineWritten, rows, notWhole(summary.exitReason)));
      return summary.exitCode;
    }),
  };
}
