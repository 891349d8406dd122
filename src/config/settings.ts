/**
 * Every setting of a sweep, one row each: the flag's name, type, default and help; the sweep-file
 * key; the option it becomes and how; how summary.json writes it; whether `--resume` must find it
 * unchanged. The yargs options, the sweep-file keys, SweepOptions and its defaults, summary.json's
 * options and the resume check are all read off this table: adding a flag is one row, plus the
 * code that uses it.
 */
import { UsageError } from '../errors.js';
import type { TlsSettings } from '../ftp/connect.js';
import type { Oracle } from '../model/evidence.js';
import { parseHighByte } from '../model/ownedBytes.js';
import { parseFields, type Field } from '../model/plan.js';
import { parseShard } from '../model/shard.js';
import { formatValueList } from '../model/values.js';
import { parseSplit, parseVariants, VARIANTS, type Split, type Variant } from '../model/variants.js';
import { advertise, command, COMMANDS, host, passwordFromEnv, tlsSettings, values, type Given } from './readers.js';

/** What a sweep file may hold under a key: a type, a value list, or one of some words. */
export type FileKind = 'string' | 'number' | 'boolean' | 'values' | 'string-or-number' | readonly string[];

export interface Setting {
  readonly type: 'string' | 'number' | 'boolean';
  /** `target`: every command that probes (sweep, run, probe); `sweep`: sweep and run only; `probe`: probe only. */
  readonly scope: 'target' | 'sweep' | 'probe';
  readonly help: string;
  readonly default?: string | number | boolean;
  /** What help shows as the default when it is not `default` itself. */
  readonly shown?: string;
  /** The whole numbers allowed. */
  readonly range?: readonly [number, number];
  /** What a sweep file may hold under this key; false: not in a sweep file. */
  readonly file: FileKind | false;
  /** The SweepOptions field this flag sets … */
  readonly option?: string;
  /** … and how the flags (all of them, defaults applied) become its value. */
  readonly parse?: (given: Given, env: NodeJS.ProcessEnv) => unknown;
  /** Where summary.json keeps the option: with the target, or with the options. */
  readonly summary?: 'target' | 'options';
  /** How summary.json writes it, when not as it is. */
  readonly write?: (value: never) => unknown;
  /** Part of what the sweep is: `--resume` refuses a folder where it differs. */
  readonly identity?: boolean;
}

const number = (name: string) => (given: Given): number => Number(given[name]);

export const SETTINGS = {
  host: { type: 'string', scope: 'target', help: 'FTP server to sweep (or the firewall in front of it)', file: 'string', option: 'host', parse: host, summary: 'target', identity: true },
  port: { type: 'number', scope: 'target', help: 'FTP control port', default: 21, range: [1, 65535], file: 'number', option: 'port', parse: number('port'), summary: 'target', identity: true },
  user: { type: 'string', scope: 'target', help: 'login name', default: 'anonymous', file: 'string', option: 'user', parse: (g): string => String(g.user), summary: 'target', identity: true },
  'password-env': {
    type: 'string',
    scope: 'target',
    help: 'name of the environment variable holding the password (never give the password itself)',
    file: 'string',
    option: 'password',
    // From the environment, never argv; anonymous logins send an e-mail-like word (RFC 1635) instead.
    parse: (g, env): string | undefined => passwordFromEnv(g['password-env'] === undefined ? undefined : String(g['password-env']), env),
  },
  oracle: {
    type: 'string',
    scope: 'target',
    help: 'data: the data connection must reach the port sent; reply: PORT reply code only',
    default: 'data',
    file: ['data', 'reply'],
    option: 'oracle',
    parse: (g): Oracle => {
      if (g.oracle !== 'data' && g.oracle !== 'reply') throw new UsageError(`--oracle ${String(g.oracle)} is not data or reply`, 'use --oracle data or --oracle reply');
      return g.oracle;
    },
    summary: 'options',
    identity: true,
  },
  command: {
    type: 'string',
    scope: 'target',
    help: 'PORT (RFC 959), EPRT (RFC 2428, IPv4 or IPv6), or the server-to-client PASV / EPSV',
    default: 'PORT',
    file: COMMANDS,
    option: 'command',
    parse: command,
    summary: 'options',
    identity: true,
  },
  field: {
    type: 'string',
    scope: 'target',
    help: 'the field the value goes into: p2 (last octet), p1, h1..h4, or two of them (p1,p2: the whole port space)',
    default: 'p2',
    file: 'string',
    option: 'fields',
    parse: (g): readonly Field[] => parseFields(String(g.field), command(g)),
    summary: 'options',
    identity: true,
  },
  values: {
    type: 'string',
    scope: 'sweep',
    help: 'values of the swept field(s): lists and ranges, e.g. 220-230,0',
    shown: '0-255; p1 from 4',
    file: 'values',
    option: 'values',
    parse: values,
    summary: 'options',
    write: (list: readonly number[]): string => formatValueList(list),
    identity: true,
  },
  variant: {
    type: 'string',
    scope: 'target',
    help: `how the command is written: all, or some of ${VARIANTS.join(', ')}`,
    default: 'plain',
    file: 'string',
    option: 'variants',
    parse: (g): readonly Variant[] => parseVariants(String(g.variant)),
    summary: 'options',
    identity: true,
  },
  split: {
    type: 'string',
    scope: 'target',
    help: 'send the command in two TCP segments: after byte N, or auto (every cut point in turn)',
    file: 'string-or-number',
    option: 'split',
    parse: (g): Split => parseSplit(g.split === undefined ? undefined : String(g.split)),
    summary: 'options',
    write: (split: Split): string => (split.kind === 'at' ? String(split.byte) : split.kind),
    identity: true,
  },
  tls: {
    type: 'boolean',
    scope: 'target',
    help: 'explicit FTPS (AUTH TLS) on the control connection: a firewall cannot see or change the commands',
    file: 'boolean',
    option: 'tls',
    parse: tlsSettings,
    summary: 'options',
    write: (tls: TlsSettings | undefined): boolean => tls !== undefined,
    identity: true,
  },
  'tls-ca': { type: 'string', scope: 'target', help: 'PEM file of certificates to trust for --tls (a self-signed server, a private CA)', file: 'string' },
  'tls-insecure': { type: 'boolean', scope: 'target', help: "with --tls, do not verify the server's certificate (anyone between could read the password)", file: 'boolean' },
  'high-byte': {
    type: 'string',
    scope: 'target',
    help: 'auto, or N: connections use high bytes N, N+1, … (port = high byte × 256 + value)',
    default: 'auto',
    file: 'string-or-number',
    option: 'highByte',
    parse: (g) => parseHighByte(String(g['high-byte'])),
    summary: 'options',
  },
  advertise: {
    type: 'string',
    scope: 'target',
    help: 'IPv4 address PORT carries',
    shown: 'this side of the control connection',
    file: 'string',
    option: 'advertise',
    parse: advertise,
    summary: 'options',
    // Another address in PORT is another sweep: a resume or merge must not mix the two.
    identity: true,
    write: (address: string | undefined): string | null => address ?? null,
  },
  concurrency: { type: 'number', scope: 'sweep', help: 'control connections at once', default: 4, range: [1, 100], file: 'number', option: 'concurrency', parse: number('concurrency'), summary: 'options' },
  timeout: { type: 'number', scope: 'target', help: 'deadline of each wait, in ms', default: 5000, range: [100, 600_000], file: 'number', option: 'timeoutMs', parse: number('timeout'), summary: 'options' },
  confirm: {
    type: 'number',
    scope: 'sweep',
    help: 'extra attempts, each on a fresh connection, for values that did not pass',
    default: 2,
    range: [0, 10],
    file: 'number',
    option: 'confirm',
    parse: number('confirm'),
    summary: 'options',
  },
  out: { type: 'string', scope: 'sweep', help: 'report folder', shown: 'reports/<host>-<port>-<YYYYMMDD-HHMMSS>', file: 'string' },
  baseline: { type: 'string', scope: 'sweep', help: 'a previous results.csv (or its folder): exit 1 only for values that got worse', file: 'string' },
  junit: { type: 'string', scope: 'sweep', help: 'also write JUnit XML here, one test case per value', file: 'string' },
  // Not in sweep files: a file runs every night, and replacing the baseline must be a deliberate step.
  'update-baseline': { type: 'string', scope: 'sweep', help: "after a whole run, write its results.csv here as the baseline --baseline reads (a file, or a folder/ for its results.csv); exit 0 once written", file: false },
  shard: {
    type: 'string',
    scope: 'sweep',
    help: 'K/N: sweep only every N-th value, starting at the K-th (merge the reports with ftpsweep merge)',
    file: 'string',
    option: 'shard',
    parse: (g) => (g.shard === undefined ? undefined : parseShard(String(g.shard))),
    identity: true,
  },
  // `probe` only: reproducing a failure by hand while a firewall team watches its logs.
  repeat: { type: 'number', scope: 'probe', help: 'probe this many times, each on a fresh control connection (Ctrl-C stops: the tally so far)', default: 1, range: [1, 100_000], file: false },
  interval: { type: 'number', scope: 'probe', help: 'pause between two attempts of --repeat, in ms', default: 1000, range: [0, 3_600_000], file: false },
  'max-failures': {
    type: 'number',
    scope: 'sweep',
    help: 'stop after N failing values: no new value is probed, the report covers the values done (--resume DIR finishes it)',
    default: 0,
    shown: '0 (never stop)',
    range: [0, 1_000_000],
    file: 'number',
    option: 'maxFailures',
    parse: number('max-failures'),
  },
  quiet: { type: 'boolean', scope: 'sweep', help: 'print only errors and a one-line result: no progress, no console report', file: 'boolean' },
  verbose: { type: 'boolean', scope: 'sweep', help: 'also print every attempt as it finishes: value, attempt, verdict, time', file: 'boolean' },
  resume: { type: 'string', scope: 'sweep', help: 'the report folder of an interrupted sweep: finish it, keeping the values done', file: false },
  force: { type: 'boolean', scope: 'sweep', help: 'replace the report in --out if the folder already holds one', file: false },
} as const satisfies Record<string, Setting>;

type Rows = typeof SETTINGS;
export type SettingName = keyof Rows;
type FlagValue<T> = T extends 'string' ? string : T extends 'number' ? number : boolean;
type OptionName<R> = R extends { readonly option: infer O extends string } ? O : never;
type OptionValue<R> = R extends { readonly parse: (...args: never[]) => infer V } ? V : never;

/** The flags of a sweep as given: each setting, by its flag name, when given (or defaulted). */
export type SweepFlags = { -readonly [K in SettingName]?: FlagValue<Rows[K]['type']> };

/** What a sweep is asked to do: the library's options, one per row that sets one. */
export type SweepOptions = { readonly [K in SettingName as OptionName<Rows[K]>]: OptionValue<Rows[K]> };

/** summary.json's options: the rows kept with the options, as written there. */
export type SummaryOptions = {
  readonly [K in SettingName as Rows[K] extends { readonly summary: 'options' } ? OptionName<Rows[K]> : never]: Rows[K] extends { readonly write: (value: never) => infer W } ? W : OptionValue<Rows[K]>;
};

/** The rows in table order, each with its name. */
export const ROWS = Object.entries(SETTINGS) as [SettingName, Setting][];

/** Every flag that has a default, with it. */
export const FLAG_DEFAULTS: SweepFlags = Object.fromEntries(ROWS.filter(([, row]) => row.default !== undefined).map(([name, row]) => [name, row.default]));

/** The flags a sweep file may set. */
export const FILE_KEYS: Readonly<Partial<Record<SettingName, FileKind>>> = Object.fromEntries(ROWS.filter(([, row]) => row.file !== false).map(([name, row]) => [name, row.file]));

/** Every flag of `scope` (`sweep` and `probe` each include `target`), with its row. */
export function flagsOf(scope: Setting['scope']): readonly (readonly [SettingName, Setting])[] {
  return ROWS.filter(([, row]) => row.scope === 'target' || row.scope === scope);
}

/** The numbers a flag takes, when they are bounded. */
export function rangeOf(name: SettingName): readonly [number, number] | undefined {
  return (SETTINGS[name] as Setting).range;
}
