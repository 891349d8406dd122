/**
 * `ftpsweep sweep` and `ftpsweep probe`.
 */
import type { Argv, CommandModule } from 'yargs';
import type { TranscriptEntry } from '../ftp/controlConnection.js';
import { consoleReport } from '../report/consoleReport.js';
import { buildSummary } from '../report/summary.js';
import { defaultReportDir, writeReport } from '../report/writeReport.js';
import { probeOnce } from '../sweep/probeOnce.js';
import { runSweep } from '../sweep/sweep.js';
import { parseValueList } from '../sweep/values.js';
import { isFailure } from '../sweep/verdict.js';
import { progressLine } from './io.js';
import { targetOptions, toSweepOptions, type TargetArgs } from './options.js';
import type { Handler } from './program.js';

type Run = (handler: Handler) => (args: Record<string, unknown>) => Promise<void>;

export function sweepCommand(run: Run): CommandModule {
  return {
    command: 'sweep',
    describe: 'probe every value (default 0..255) and write results.csv, matrix.csv, summary.json',
    builder: (y: Argv) =>
      targetOptions(y)
        .option('values', { type: 'string', default: '0-255', describe: 'last-octet values: lists and ranges, e.g. 220-230,0' })
        .option('out', { type: 'string', describe: 'report folder (default reports/<host>-<port>-<YYYYMMDD-HHMMSS>)' }),
    handler: run(async (raw, io) => {
      const args = raw as unknown as TargetArgs & { values: string; out: string | undefined };
      const options = toSweepOptions(args, parseValueList(args.values), io.env);
      const progress = progressLine(io);
      const outcome = await runSweep(options, progress.update).finally(progress.clear);
      const dir = args.out ?? defaultReportDir(options.host, options.port, outcome.startedAt);
      const summary = buildSummary(options, outcome);
      await writeReport(dir, summary, outcome.results);
      io.out(consoleReport(summary, outcome.results, dir));
      return summary.exitCode;
    }),
  };
}

export function probeCommand(run: Run): CommandModule {
  return {
    command: 'probe',
    describe: 'probe one value and print the whole dialogue (for a ticket)',
    builder: (y: Argv) => targetOptions(y).option('value', { type: 'number', demandOption: 'give --value, e.g. --value 227', describe: 'last-octet value 0..255' }),
    handler: run(async (raw, io) => {
      const args = raw as unknown as TargetArgs & { value: number };
      const options = toSweepOptions(args, [args.value], io.env);
      const { result, transcript } = await probeOnce(options, args.value);
      io.out(formatTranscript(transcript));
      io.out('');
      io.out(`verdict: ${result.verdict}`);
      io.out(`sent:    ${result.sent}`);
      if (result.seen) io.out(`seen:    ${result.seen}`);
      io.out(`data:    ${result.data}`);
      io.out(`detail:  ${result.detail}`);
      return isFailure(result.verdict) ? 1 : 0;
    }),
  };
}

/** `  +12 ms > PORT 127,0,0,1,64,227` — one line per entry. */
export function formatTranscript(transcript: readonly TranscriptEntry[]): string {
  return transcript.map((e) => `${`+${e.at} ms`.padStart(9)} ${e.dir} ${e.text}`).join('\n');
}
