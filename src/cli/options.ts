/**
 * The sweep flags, shared by `sweep`, `run` (where a sweep file supplies them too) and `probe`, and
 * their normalisation into a SweepJob. Flags carry no yargs defaults, so "given on the command line"
 * is visible and can override a sweep file; the defaults are applied here, once.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { TlsSettings } from '../ftp/controlConnection.js';
import type { Argv } from 'yargs';
import { expandValue, type SweepFile, type SweepFileKey } from '../config/sweepFile.js';
import { UsageError } from '../errors.js';
import type { SweepJob } from '../jobs/sweepJob.js';
import { parseHighByte } from '../model/ownedBytes.js';
import { parseFields, type DataCommand } from '../model/plan.js';
import { parseShard } from '../model/shard.js';
import { parseSplit, parseVariants, VARIANTS } from '../model/variants.js';
import { SWEEP_DEFAULTS } from '../model/options.js';
import { parseValueList } from '../model/values.js';

export interface SweepFlags {
  host?: string;
  port?: number;
  user?: string;
  'password-env'?: string;
  command?: string;
  field?: string;
  variant?: string;
  split?: string;
  values?: string;
  oracle?: string;
  'high-byte'?: string;
  advertise?: string;
  concurrency?: number;
  timeout?: number;
  confirm?: number;
  out?: string;
  baseline?: string;
  junit?: string;
  shard?: string;
  tls?: boolean;
  'tls-ca'?: string;
  'tls-insecure'?: boolean;
  resume?: string;
}

export const FLAG_DEFAULTS = {
  port: SWEEP_DEFAULTS.port,
  user: SWEEP_DEFAULTS.user,
  command: 'PORT',
  field: 'p2',
  variant: 'plain',
  oracle: SWEEP_DEFAULTS.oracle,
  'high-byte': 'auto',
  concurrency: SWEEP_DEFAULTS.concurrency,
  timeout: SWEEP_DEFAULTS.timeoutMs,
  confirm: SWEEP_DEFAULTS.confirm,
} as const satisfies SweepFlags;

/** --host … --confirm: the target and how to probe it. */
export function targetOptions<T>(y: Argv<T>, hostRequired: boolean): Argv<T> {
  return y
    .option('host', {
      type: 'string',
      describe: 'FTP server to sweep (or the firewall in front of it)',
      ...(hostRequired ? { demandOption: 'give --host, the FTP server (or the firewall in front of it)' } : {}),
    })
    .option('port', { type: 'number', describe: `FTP control port [default: ${FLAG_DEFAULTS.port}]` })
    .option('user', { type: 'string', describe: `login name [default: ${FLAG_DEFAULTS.user}]` })
    .option('password-env', { type: 'string', describe: 'name of the environment variable holding the password (never give the password itself)' })
    .option('oracle', { type: 'string', choices: ['data', 'reply'], describe: 'data: the data connection must reach the port sent; reply: PORT reply code only [default: data]' })
    .option('high-byte', { type: 'string', describe: 'auto, or N: connections use high bytes N, N+1, … (port = high byte × 256 + value) [default: auto]' })
    .option('advertise', { type: 'string', describe: 'IPv4 address PORT carries (default: this side of the control connection)' })
    .option('concurrency', { type: 'number', describe: `control connections at once [default: ${FLAG_DEFAULTS.concurrency}]` })
    .option('timeout', { type: 'number', describe: `deadline of each wait, in ms [default: ${FLAG_DEFAULTS.timeout}]` })
    .option('confirm', { type: 'number', describe: `extra attempts, each on a fresh connection, for values that did not pass [default: ${FLAG_DEFAULTS.confirm}]` })
    .option('command', { type: 'string', describe: 'PORT (RFC 959), EPRT (RFC 2428, IPv4 or IPv6), or the server-to-client PASV / EPSV [default: PORT]' })
    .option('variant', { type: 'string', describe: `how the command is written: all, or some of ${VARIANTS.join(', ')} [default: plain]` })
    .option('split', { type: 'string', describe: 'send the command in two TCP segments: after byte N, or auto (every cut point in turn)' })
    .option('tls', { type: 'boolean', describe: 'explicit FTPS (AUTH TLS) on the control connection: a firewall cannot see or change the commands' })
    .option('tls-ca', { type: 'string', describe: 'PEM file of certificates to trust for --tls (a self-signed server, a private CA)' })
    .option('tls-insecure', { type: 'boolean', describe: 'with --tls, do not verify the server\'s certificate (anyone between could read the password)' }) as Argv<T>;
}

/** --field … --shard: what to sweep and where the reports go. */
export function sweepOptions<T>(y: Argv<T>): Argv<T> {
  return targetOptions(y, false)
    .option('field', { type: 'string', describe: 'the field swept: p2 (last octet), p1, h1..h4, or two of them (p1,p2: the whole port space) [default: p2]' })
    .option('values', { type: 'string', describe: 'values of the swept field(s): lists and ranges, e.g. 220-230,0 [default: 0-255; 4-255 for p1]' })
    .option('out', { type: 'string', describe: 'report folder [default: reports/<host>-<port>-<YYYYMMDD-HHMMSS>]' })
    .option('baseline', { type: 'string', describe: 'a previous results.csv (or its folder): exit 1 only for values that got worse' })
    .option('junit', { type: 'string', describe: 'also write JUnit XML here, one test case per value' })
    .option('shard', { type: 'string', describe: 'K/N: sweep only every N-th value, starting at the K-th (merge the reports with ftpsweep merge)' })
    .option('resume', { type: 'string', describe: 'the report folder of an interrupted sweep: finish it, keeping the values done' }) as Argv<T>;
}

/** The flags the user typed, without yargs' camelCase copies and bookkeeping. */
export function givenFlags(args: Record<string, unknown>): SweepFlags {
  const keys: (keyof SweepFlags)[] = ['host', 'port', 'user', 'password-env', 'command', 'field', 'variant', 'split', 'tls', 'tls-ca', 'tls-insecure', 'resume', 'values', 'oracle', 'high-byte', 'advertise', 'concurrency', 'timeout', 'confirm', 'out', 'baseline', 'junit', 'shard'];
  const flags: Record<string, unknown> = {};
  // A flag given twice takes its last value, as in most command-line tools (yargs makes an array).
  for (const key of keys) if (args[key] !== undefined) flags[key] = Array.isArray(args[key]) ? args[key].at(-1) : args[key];
  return flags as SweepFlags;
}

/** Command-line flags over the sweep file's values (with `${VAR}` expanded) over the defaults. */
export function combineFlags(cli: SweepFlags, file: SweepFile | undefined, env: NodeJS.ProcessEnv): SweepFlags {
  const fromFile: Record<string, string | number | boolean> = {};
  if (file) {
    for (const [key, value] of Object.entries(file.values) as [SweepFileKey, string | number | boolean][]) {
      if (key === 'description' || (cli as Record<string, unknown>)[key] !== undefined) continue;
      const expanded = expandValue(file.path, key, value, env);
      fromFile[key] = ['port', 'concurrency', 'timeout', 'confirm'].includes(key) ? Number(expanded) : typeof expanded === 'number' ? String(expanded) : expanded;
    }
  }
  return { ...FLAG_DEFAULTS, ...fromFile, ...cli };
}

/** Reads a password from the variable named by a `--password-env` flag, if given. */
export function passwordFromEnv(variable: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (variable === undefined) return undefined;
  const value = env[variable];
  if (value === undefined || value === '') throw new UsageError(`the environment variable ${variable} (from --password-env) is not set`, `export ${variable}=… first, or leave out --password-env`);
  return value;
}

/**
 * Sweeping p1 alone, values below 4 make ports below 1024, which every server refuses (RFC 2577):
 * not the firewall's doing, so they are left out unless asked for. Otherwise every value.
 */
function defaultValues(field: string | undefined): string {
  return field?.trim() === 'p1' ? '4-255' : '0-255';
}

/** --tls, --tls-ca FILE, --tls-insecure (either of the last two implies --tls). */
function tlsSettings(flags: SweepFlags): TlsSettings | undefined {
  if (!flags.tls && flags['tls-ca'] === undefined && !flags['tls-insecure']) return undefined;
  let ca: string | undefined;
  if (flags['tls-ca'] !== undefined) {
    try {
      ca = readFileSync(flags['tls-ca'], 'utf8');
    } catch (error) {
      throw new UsageError(`--tls-ca ${flags['tls-ca']}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'give a PEM file with the certificates to trust');
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--tls-ca ${flags['tls-ca']} holds no PEM certificate`, 'give a PEM file with the certificates to trust');
  }
  return { insecure: flags['tls-insecure'] === true, ...(ca ? { ca } : {}) };
}

/** Turns complete flags into a SweepJob. The password is read from the environment, never argv. */
export function toSweepJob(flags: SweepFlags, env: NodeJS.ProcessEnv, where = 'give --host'): SweepJob {
  const host = flags.host?.trim() ?? '';
  if (host === '') throw new UsageError('no host to sweep', `${where}, the FTP server (or the firewall in front of it)`);
  const command = String(flags.command ?? 'PORT').toUpperCase();
  if (!['PORT', 'EPRT', 'PASV', 'EPSV'].includes(command)) throw new UsageError(`--command ${flags.command} is not PORT, EPRT, PASV or EPSV`, 'use --command PORT, EPRT, PASV or EPSV');
  const secret = passwordFromEnv(flags['password-env'], env);
  const advertise = flags.advertise;
  if (advertise !== undefined && command === 'PORT' && isIP(advertise) !== 4) throw new UsageError(`--advertise ${advertise} is not an IPv4 address`, 'PORT carries IPv4 addresses only, e.g. --advertise 192.0.2.10 (or use --command EPRT)');
  if (advertise !== undefined && isIP(advertise) === 0) throw new UsageError(`--advertise ${advertise} is not an IP address`, 'e.g. --advertise 192.0.2.10');
  if (flags.oracle !== undefined && flags.oracle !== 'data' && flags.oracle !== 'reply') throw new UsageError(`--oracle ${flags.oracle} is not data or reply`, 'use --oracle data or --oracle reply');
  return {
    options: {
      host,
      port: flags.port ?? FLAG_DEFAULTS.port,
      user: flags.user ?? FLAG_DEFAULTS.user,
      password: secret ?? SWEEP_DEFAULTS.password,
      passwordIsSecret: secret !== undefined,
      oracle: flags.oracle === 'reply' ? 'reply' : 'data',
      command: command as DataCommand,
      fields: parseFields(String(flags.field ?? FLAG_DEFAULTS.field), command as DataCommand),
      values: parseValueList(String(flags.values ?? defaultValues(flags.field))),
      variants: parseVariants(String(flags.variant ?? FLAG_DEFAULTS.variant)),
      split: parseSplit(flags.split),
      tls: tlsSettings(flags),
      highByte: parseHighByte(String(flags['high-byte'] ?? 'auto')),
      advertise,
      concurrency: flags.concurrency ?? FLAG_DEFAULTS.concurrency,
      timeoutMs: flags.timeout ?? FLAG_DEFAULTS.timeout,
      confirm: flags.confirm ?? FLAG_DEFAULTS.confirm,
    },
    out: flags.out,
    baseline: flags.baseline,
    junit: flags.junit,
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
    resume: flags.resume,
  };
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
