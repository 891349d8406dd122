/**
 * ftpsweep as a library (`import … from 'ftpsweep'`): what the command line does, for a program —
 * a test suite, a monitoring job. Everything here is what `ftpsweep sweep`, `reflect`, `simulate`
 * and `report` call; the command line adds only flags, printing and exit codes. Nothing here calls
 * `process.exit` or installs a signal handler: stop a sweep with an `AbortSignal`.
 *
 * @example Sweep a reflector through the simulated firewall, row by row, and read the report back:
 * ```ts
 * import { readReport, runSweepJob, startReflector, startSimulator, sweepOptions } from 'ftpsweep';
 *
 * const reflector = await startReflector({ host: '127.0.0.1', port: 0 });
 * const firewall = await startSimulator({ host: '127.0.0.1', port: 0, upstream: reflector, corrupt: [227], delayMs: 0 });
 * try {
 *   const options = sweepOptions({ host: firewall.host, port: firewall.port, values: '220-230' });
 *   const job = await runSweepJob({ options, out: 'reports/api-example', force: true }, {
 *     onRow: (row) => console.log(`${row.value} ${row.verdict} ${row.seen}`),
 *   });
 *   console.log(job.summary.counts);
 *   const report = await readReport(job.dir);
 *   console.log(`${report.rows.length} rows in ${report.dir}`);
 * } finally {
 *   await firewall.close();
 *   await reflector.close();
 * }
 * ```
 * @packageDocumentation
 */
import { sweepOptionsFrom } from './config/options.js';
import type { SweepFlags, SweepOptions } from './config/settings.js';

// Options: the command line's flags, spelled the same, or every option at its default.
export { SWEEP_DEFAULTS } from './config/options.js';
export type { SweepFlags, SweepOptions } from './config/settings.js';

/**
 * The options a sweep takes, made from flags spelled as on the command line and in sweep files
 * (`{ host, port: 2121, values: '220-230', 'password-env': 'FTP_PW' }`), every other option at its
 * default. The password is read from the variable `password-env` names in `env`, never given
 * itself. Throws `UsageError` (code `EUSAGE`) for a value the command line would refuse.
 *
 * `out`, `baseline`, `update-baseline`, `junit`, `resume` and `force` are not sweep options: give them to
 * {@link runSweepJob} in its `SweepJob`.
 */
export function sweepOptions(flags: SweepFlags & { readonly host: string }, env: NodeJS.ProcessEnv = process.env): SweepOptions {
  return sweepOptionsFrom(flags, env);
}

// Sweeping: the engine alone (rows in memory and to a callback), or with every report file.
export { runSweep, sweepDeadlineMs, type SweepHooks, type SweepOutcome } from './sweep/sweep.js';
export type { SweepProgress } from './sweep/sweepRows.js';
export { runSweepJob, type JobHooks, type JobOutcome, type SweepJob } from './jobs/sweepJob.js';
export type { ResultRow, RowData, ValueResult } from './model/valueResult.js';
export { isFailure, VERDICTS, type Verdict } from './model/judgement.js';

// The companions: the reflector to place behind the firewall, and the simulated broken firewall.
export { REFLECTOR_GREETING, startReflector, type ReflectorOptions } from './servers/reflector.js';
export type { Credentials } from './servers/reflectorVerbs.js';
export type { ServerLimits } from './servers/admission.js';
export { startSimulator, type SimulatorOptions } from './servers/firewallSimulator.js';
export type { RunningServer } from './servers/listen.js';

// Report folders, read back as `ftpsweep report` and `--baseline` read them.
export { readReport, readResults, type StoredReport } from './report/reportFolder.js';
export type { Inspection, Summary } from './report/summary.js';
export type { ExitCode } from './report/exitStatus.js';
// One line of results.jsonl: a row as programs read it.
export type { ResultRecord } from './report/resultsJsonl.js';

// Errors: branch on `code`, never on the message.
export { FtpSweepError, LocalError, UsageError, type ErrorCode } from './errors.js';
export { ConnectError, LoginError, TimeoutError, ConnectionClosedError, ProtocolError } from './ftp/errors.js';

export { VERSION } from './version.js';
