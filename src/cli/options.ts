/**
 * The sweep flags on the command line, read off the settings table (config/settings.ts): yargs
 * options for `sweep`, `run` and `probe`, what the user typed, a sweep file underneath, and the
 * SweepJob they make. Flags carry no yargs defaults, so "given on the command line" is visible and
 * can override a sweep file; the defaults are the table's, applied once.
 */
import type { Argv, Options } from 'yargs';
import { sweepOptionsFrom } from '../config/options.js';
import { portFromHost, splitEndpoint, wholeNumber } from '../config/flagText.js';
import { FLAG_DEFAULTS, flagsOf, rangeOf, SETTINGS, type Setting, type SettingName, type SweepFlags } from '../config/settings.js';
import { expandValue } from '../config/expandValue.js';
import type { SweepFile, SweepFileKey } from '../config/sweepFile.js';
import { UsageError } from '../errors.js';
import type { SweepJob } from '../jobs/sweepJob.js';

/** The options of `scope`'s flags, each with its help and, when it has one, its default shown. */
function flagOptions<T>(y: Argv<T>, scope: Setting['scope']): Argv<T> {
  let argv = y;
  for (const [name, row] of flagsOf(scope)) {
    const shown = row.shown ?? (row.default === undefined ? undefined : String(row.default));
    // No yargs default: a flag left out must stay visible as left out, so it can fall back to a
    // sweep file's value. Help shows the default as every other command's flags do.
    const option = { type: row.type, describe: row.help, ...(shown === undefined ? {} : { defaultDescription: shown }) };
    argv = (row.type === 'number' && row.range ? wholeNumberFlag(argv, name, row.range, option) : argv.option(name, option)) as Argv<T>;
  }
  return argv;
}

/** --host … --timeout: the target and how to probe it, with --host required or not. */
export function targetFlags<T>(y: Argv<T>, hostRequired: boolean): Argv<T> {
  const argv = flagOptions(y, 'target');
  return hostRequired ? argv.demandOption('host', 'give --host, the FTP server (or the firewall in front of it)') : argv;
}

/** The flags of `probe`: the target's, and how often to probe (--repeat, --interval). */
export function probeFlags<T>(y: Argv<T>): Argv<T> {
  return flagOptions(y, 'probe').demandOption('host', 'give --host, the FTP server (or the firewall in front of it)');
}

/** Every sweep flag: the target's, and what to sweep and where the reports go (`sweep`, `run`). */
export function sweepFlags<T>(y: Argv<T>): Argv<T> {
  return flagOptions(y, 'sweep');
}

/** The flags the user typed, without yargs' camelCase copies and bookkeeping. */
export function givenFlags(args: Record<string, unknown>): SweepFlags {
  const flags: Record<string, unknown> = {};
  // A flag given twice takes its last value, as in most command-line tools (yargs makes an array).
  for (const key of Object.keys(SETTINGS)) if (args[key] !== undefined) flags[key] = Array.isArray(args[key]) ? args[key].at(-1) : args[key];
  return flags as SweepFlags;
}

/** Command-line flags over the sweep file's values (with `${VAR}` expanded) over the defaults. */
export function combineFlags(cli: SweepFlags, file: SweepFile | undefined, env: NodeJS.ProcessEnv): SweepFlags {
  const fromFile: Record<string, string | number | boolean> = {};
  if (file) {
    for (const [key, value] of Object.entries(file.values) as [SweepFileKey, string | number | boolean][]) {
      if (key === 'description' || cli[key] !== undefined) continue;
      const expanded = expandValue(file.path, key, value, env);
      // A flag's type decides: a number flag gets a number, every other flag text (`split: 4`).
      fromFile[key] = SETTINGS[key as SettingName].type === 'number' ? Number(expanded) : typeof expanded === 'number' ? String(expanded) : expanded;
    }
  }
  // `--host HOST:PORT` is split in each source, so a port on the command line overrides the file's.
  const port = rangeOf('port')!;
  return { ...FLAG_DEFAULTS, ...portFromHost(fromFile as SweepFlags, port, file?.path), ...portFromHost(cli, port) };
}

/** Turns complete flags into a SweepJob. The password is read from the environment, never argv. */
export function toSweepJob(flags: SweepFlags, env: NodeJS.ProcessEnv, where = 'give --host'): SweepJob {
  if ((flags.host?.trim() ?? '') === '') throw new UsageError('no host to sweep', `${where}, the FTP server (or the firewall in front of it)`);
  return { options: sweepOptionsFrom(flags, env), out: flags.out, baseline: flags.baseline, junit: flags.junit, resume: flags.resume, force: flags.force === true, updateBaseline: flags['update-baseline'] };
}

/** `host:port`, `[v6]:port` or `:port` (with `defaultHost`); port 0: any free port. */
export function parseHostPort(text: string, flag: string, defaultHost?: string): { host: string; port: number } {
  const { host, port } = splitEndpoint(text);
  const resolved = host === '' ? defaultHost : host;
  if (port === undefined || resolved === undefined) {
    throw new UsageError(`${flag} ${JSON.stringify(text)} is not HOST:PORT`, `e.g. ${flag} 127.0.0.1:2121 or ${flag} [::1]:2121`);
  }
  return { host: resolved, port: wholeNumber(`${flag} ${text}: port`, port, [0, 65535]) };
}

/**
 * A whole-number flag: help shows it as `[number]`, yet yargs hands over the text as typed (`string`
 * wins over `number` when it parses), and a middleware reads it before the handler runs, so
 * `--port abc` is named as typed and not as NaN. (A coerce function's error reaches the program
 * without its hint.) A flag given twice takes its last value.
 */
export function wholeNumberFlag<T>(y: Argv<T>, flag: string, range: readonly [number, number], option: Options): Argv<T> {
  const camel = flag.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
  return y.option(flag, { ...option, type: 'number', string: true }).middleware((argv) => {
    const value: unknown = argv[flag];
    if (value === undefined || typeof value === 'number') return;
    const n = wholeNumber(`--${flag}`, String(Array.isArray(value) ? value.at(-1) : value), range);
    Object.assign(argv, { [flag]: n, [camel]: n });
  }, true) as Argv<T>;
}
