/**
 * Flag definitions shared by `sweep` and `probe`, and their normalisation into library options.
 * Every mistake a user can make here becomes a UsageError naming the flag and the fix.
 */
import { isIP } from 'node:net';
import type { Argv } from 'yargs';
import { UsageError } from '../ftp/errors.js';
import type { HighByteSpec } from '../sweep/highBytes.js';
import { SWEEP_DEFAULTS, type SweepOptions } from '../sweep/sweep.js';

export interface TargetArgs {
  host: string;
  port: number;
  user: string;
  'password-env': string | undefined;
  oracle: string;
  'high-byte': string;
  advertise: string | undefined;
  concurrency: number;
  timeout: number;
  confirm: number;
}

/** --host … --confirm: the flags naming the target and how to probe it. */
export function targetOptions<T>(y: Argv<T>): Argv<T & TargetArgs> {
  return y
    .option('host', { type: 'string', demandOption: 'give --host, the FTP server (or the firewall in front of it)', describe: 'FTP server to sweep' })
    .option('port', { type: 'number', default: SWEEP_DEFAULTS.port, describe: 'FTP control port' })
    .option('user', { type: 'string', default: SWEEP_DEFAULTS.user, describe: 'login name' })
    .option('password-env', { type: 'string', describe: 'name of the environment variable holding the password (never give the password itself)' })
    .option('oracle', { type: 'string', default: SWEEP_DEFAULTS.oracle, choices: ['data', 'reply'], describe: 'data: the data connection must reach the port sent; reply: PORT reply code only' })
    .option('high-byte', { type: 'string', default: 'auto', describe: 'auto, or N: connections use high bytes N, N+1, … (port = high byte × 256 + value)' })
    .option('advertise', { type: 'string', describe: 'IPv4 address PORT carries (default: this side of the control connection)' })
    .option('concurrency', { type: 'number', default: SWEEP_DEFAULTS.concurrency, describe: 'control connections at once' })
    .option('timeout', { type: 'number', default: SWEEP_DEFAULTS.timeoutMs, describe: 'deadline of each wait, in ms' })
    .option('confirm', { type: 'number', default: SWEEP_DEFAULTS.confirm, describe: 'extra attempts, each on a fresh connection, for values that did not pass' }) as unknown as Argv<T & TargetArgs>;
}

/** Turns parsed flags into SweepOptions. The password is read from the environment, never argv. */
export function toSweepOptions(args: TargetArgs, values: readonly number[], env: NodeJS.ProcessEnv): SweepOptions {
  const host = args.host.trim();
  if (host === '') throw new UsageError('--host is empty', 'give the FTP server\'s name or address');
  const secret = passwordFromEnv(args['password-env'], env);
  const advertise = args.advertise;
  if (advertise !== undefined && isIP(advertise) !== 4) throw new UsageError(`--advertise ${advertise} is not an IPv4 address`, 'PORT carries IPv4 addresses only, e.g. --advertise 192.0.2.10');
  return {
    host,
    port: args.port,
    user: args.user,
    password: secret ?? SWEEP_DEFAULTS.password,
    passwordIsSecret: secret !== undefined,
    oracle: args.oracle === 'reply' ? 'reply' : 'data',
    values,
    highByte: parseHighByte(args['high-byte']),
    advertise,
    concurrency: args.concurrency,
    timeoutMs: args.timeout,
    confirm: args.confirm,
  };
}

export function parseHighByte(text: string): HighByteSpec {
  if (text === 'auto') return 'auto';
  if (!/^\d+$/.test(text)) throw new UsageError(`--high-byte ${text} is not auto or a number`, 'use auto or a number 4..255');
  return Number(text);
}

/** `host:port`, `[v6]:port` or `:port` (with `defaultHost`). */
export function parseHostPort(text: string, flag: string, defaultHost?: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3]);
  const resolved = host === '' ? defaultHost : host;
  if (!match || resolved === undefined || port > 65535) {
    throw new UsageError(`${flag} ${JSON.stringify(text)} is not HOST:PORT`, `e.g. ${flag} 127.0.0.1:2121 or ${flag} [::1]:2121`);
  }
  return { host: resolved, port };
}

/** Reads a password from the variable named by a `--password-env` flag, if given. */
export function passwordFromEnv(variable: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (variable === undefined) return undefined;
  const value = env[variable];
  if (value === undefined || value === '') throw new UsageError(`the environment variable ${variable} (from --password-env) is not set`, `export ${variable}=… first, or leave out --password-env`);
  return value;
}
