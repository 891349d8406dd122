/**
 * `ftpsweep probe`: one value, the whole dialogue, for a ticket — and, with `--repeat`, the same
 * probe again and again while the firewall team watches its logs, each attempt with its time and
 * both connections' addresses, ended (or stopped by Ctrl-C) with one tally line.
 */
import type { Argv, CommandModule } from 'yargs';
import { flagsOf, rangeOf, type SettingName } from '../config/settings.js';
import { UsageError } from '../errors.js';
import type { Verdict } from '../model/judgement.js';
import { attemptText, probeHeader, tallyExitCode, tallyLine } from '../report/probeText.js';
import { TargetLostError } from '../sweep/connectionRetries.js';
import { probeRepeatedly } from '../sweep/probeRepeat.js';
import { VERSION } from '../version.js';
import type { Run } from './handler.js';
import { describeError, interruptible } from './io.js';
import { combineFlags, givenFlags, probeFlags, toSweepJob } from './options.js';

/** Why a sweep's flag means nothing for a probe, and what to use instead. */
const NOT_FOR_PROBE: Partial<Record<SettingName, string>> = {
  concurrency: 'a probe runs one control connection at a time; use it with ftpsweep sweep or run',
  confirm: 'to probe again, each time on a fresh connection, use --repeat N',
  values: 'give the one value to probe with --value, e.g. --value 227',
};

/** The flags of sweep and run only: known here, so that giving one says why it does not apply. */
const SWEEP_ONLY = flagsOf('sweep').filter(([, row]) => row.scope === 'sweep');

function refuseSweepFlags(args: Record<string, unknown>): void {
  for (const [name] of SWEEP_ONLY) {
    if (args[name] === undefined) continue;
    throw new UsageError(`--${name} is not a probe flag`, NOT_FOR_PROBE[name] ?? 'use it with ftpsweep sweep or run');
  }
}

/** A bounded whole-number flag (--repeat, --interval), checked against its row's range. */
function bounded(name: 'repeat' | 'interval', n: number | undefined): number {
  const [min, max] = rangeOf(name)!;
  if (n === undefined || !Number.isInteger(n)) throw new UsageError(`--${name} needs a whole number`, `use a whole number ${min}..${max}`);
  if (n < min || n > max) throw new UsageError(`--${name} ${n} is out of range`, `use a whole number ${min}..${max}`);
  return n;
}

/**
 * `--value`: one number 0..255, or `A,B` for two fields (then the probe's value is A × 256 + B,
 * as a 2-D sweep numbers them: for p1,p2 the port itself).
 */
function parseValue(text: string, fields: readonly string[]): number {
  const given = text.trim();
  const field = `--field ${fields.join(',')}`;
  const numbers = given.split(',');
  if (numbers.length !== fields.length) {
    throw fields.length === 2
      ? new UsageError(`--value ${JSON.stringify(text)} is not two numbers for ${field}`, 'give one number 0..255 for each field, e.g. --value 4,227')
      : numbers.length === 2
        ? new UsageError(`--value ${JSON.stringify(text)} is two numbers, and ${field} is one field`, 'give one number 0..255, or two fields for two numbers, e.g. --field p1,p2 --value 4,227')
        : new UsageError(`--value ${JSON.stringify(text)} is not a whole number`, 'give a whole number 0..255, e.g. --value 227');
  }
  const bytes = numbers.map((part) => {
    const trimmed = part.trim();
    // A string, parsed here: yargs turns `--value abc` into NaN, and the message would say NaN.
    if (!/^-?\d+$/.test(trimmed)) throw new UsageError(`--value ${JSON.stringify(text)} is not a whole number`, 'give a whole number 0..255, e.g. --value 227');
    const n = Number(trimmed);
    if (n < 0 || n > 255) throw new UsageError(`--value ${fields.length === 2 ? given : n} is out of range`, `give ${fields.length === 2 ? 'numbers' : 'a whole number'} 0..255, e.g. --value ${fields.length === 2 ? '4,227' : '227'}`);
    return n;
  });
  return bytes.length === 2 ? bytes[0]! * 256 + bytes[1]! : bytes[0]!;
}

export function probeCommand(run: Run): CommandModule {
  return {
    command: 'probe',
    describe: 'probe one value and print the whole dialogue (for a ticket); --repeat N for the firewall team',
    builder: (y: Argv) => {
      let argv = probeFlags(y).option('value', {
        type: 'string',
        demandOption: 'give --value, e.g. --value 227',
        describe: 'the value of --field (p2, the last octet, by default): 0..255; two numbers for two fields, e.g. 4,227',
      });
      for (const [name, row] of SWEEP_ONLY) argv = argv.option(name, { type: row.type, hidden: true });
      return argv;
    },
    handler: run(async (args, io) => {
      refuseSweepFlags(args);
      const flags = combineFlags(givenFlags(args), undefined, io.env);
      const repeat = bounded('repeat', flags.repeat);
      const intervalMs = bounded('interval', flags.interval);
      const { options } = toSweepJob(flags, io.env);
      // Given twice, the last one counts, as for every flag (yargs makes an array, which reads as `A,B`).
      const given = String(Array.isArray(args.value) ? args.value.at(-1) : args.value);
      const shown = given.trim();
      const value = parseValue(given, options.fields);
      io.out(probeHeader({ version: VERSION, host: options.host, port: options.port, command: options.command, fields: options.fields, value: shown, repeat, intervalMs, at: new Date() }));
      const stop = interruptible(io, (signal) => `the tally of the attempts done follows (${signal} again stops at once)`);
      try {
        // The dialogue of the first attempt of each verdict: what changed is shown in full, once.
        const shownVerdicts = new Set<Verdict>();
        const outcome = await probeRepeatedly({ ...options, values: [value & 255] }, value, {
          repeat,
          intervalMs,
          signal: stop.signal,
          onAttempt: (attempt, index) => {
            const full = !shownVerdicts.has(attempt.result.verdict);
            shownVerdicts.add(attempt.result.verdict);
            io.out('');
            io.out(attemptText(attempt, index, repeat, full));
          },
        });
        io.out('');
        io.out(tallyLine(shown, outcome.verdicts));
        if (outcome.stopped !== undefined) {
          // A sweep's advice (--concurrency, --resume) means nothing here: the attempts above are all.
          const lost = outcome.stopped instanceof TargetLostError;
          io.err(lost ? `ftpsweep: ${outcome.stopped.message} — check that the server and anything in front of it are up; the attempts above are all this run made` : describeError(outcome.stopped));
          return 2;
        }
        // Stopped before any attempt ended: nothing to judge, the shell's convention (130).
        if (outcome.verdicts.length === 0) return stop.exitCode() ?? 2;
        return tallyExitCode(outcome.verdicts);
      } finally {
        stop.release();
      }
    }),
  };
}
