/**
 * Sweep files (`sweeps/*.yaml`): named sweep definitions whose keys are the `ftpsweep sweep` flags,
 * spelled the same way, so "CLI flags override the file" needs no explaining. String values may name
 * environment variables as `${VAR}` (a host kept out of the repository, say); a variable is only
 * required when its key is used, i.e. not overridden on the command line.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { UsageError, errnoCode } from '../errors.js';
import { FILE_KEYS, type FileKind, type SettingName } from './settings.js';

/** Every key a sweep file may hold, with what it takes: the flags' (settings.ts), and a description. */
export const SWEEP_FILE_KEYS: Readonly<Partial<Record<SweepFileKey, FileKind>>> = { description: 'string', ...FILE_KEYS };

export type SweepFileKey = 'description' | SettingName;
export type SweepFileValues = Partial<Record<SweepFileKey, string | number | boolean>>;

export interface SweepFile {
  readonly path: string;
  /** Values as written (`${VAR}` not yet expanded). */
  readonly values: SweepFileValues;
}

const HINT = (file: string): string => `fix ${file}; allowed keys: ${Object.keys(SWEEP_FILE_KEYS).join(', ')} (see sweeps/last-octet.yaml)`;

function describe(kind: FileKind): string {
  if (Array.isArray(kind)) return `one of ${kind.join(', ')}`;
  return { string: 'a string', number: 'a whole number', boolean: 'true or false', values: 'a value list such as 0-255 or [0, 1, 227]', 'string-or-number': 'auto or a number' }[kind as string]!;
}

/** Checks one key's value; returns it normalised (a values list becomes `0,1,227`). */
function checkValue(file: string, key: SweepFileKey, value: unknown): string | number | boolean {
  const kind = SWEEP_FILE_KEYS[key]!;
  const fail = (): never => {
    throw new UsageError(`${file}: key "${key}" is ${JSON.stringify(value)}, but must be ${describe(kind)}`, HINT(file));
  };
  if (Array.isArray(kind)) return typeof value === 'string' && kind.includes(value) ? value : fail();
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : fail();
    case 'number':
      return typeof value === 'number' && Number.isInteger(value) ? value : fail();
    case 'boolean':
      return typeof value === 'boolean' ? value : fail();
    case 'string-or-number':
      return typeof value === 'string' || typeof value === 'number' ? value : fail();
    case 'values':
      if (typeof value === 'string' || typeof value === 'number') return value;
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number' || typeof v === 'string')) return value.join(',');
      return fail();
  }
  return fail();
}

/** Parses and validates a sweep file's text. Errors name the file, the key, and what is allowed. */
export function parseSweepFile(text: string, file: string): SweepFile {
  // A document, not parse(): YAML warnings (an unknown tag such as !!js/function, %YAML 9.9) would
  // be printed by the library as multi-line process warnings. Here they are errors of one line.
  const parsed = parseDocument(text);
  const problem = parsed.errors[0] ?? parsed.warnings[0];
  if (problem) throw new UsageError(`${file}: not valid YAML: ${problem.message.split('\n')[0]}`, HINT(file));
  let doc: unknown;
  try {
    // toJS() expands aliases, and refuses a "billion laughs" of nested ones (maxAliasCount).
    doc = parsed.toJS();
  } catch (error) {
    throw new UsageError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`, HINT(file));
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`${file}: expected a mapping of keys to values`, HINT(file));
  }
  const values: SweepFileValues = {};
  for (const [key, value] of Object.entries(doc)) {
    if (!(key in SWEEP_FILE_KEYS)) throw new UsageError(`${file}: unknown key "${key}"`, HINT(file));
    if (value === null) continue; // `key:` left empty means "not set"
    values[key as SweepFileKey] = checkValue(file, key as SweepFileKey, value);
  }
  return { path: file, values };
}

/** The largest sweep file read: a handful of keys needs a few hundred bytes (a 50 MB one took 1.8 GB). */
const MAX_FILE_BYTES = 64 * 1024;

export async function loadSweepFile(file: string): Promise<SweepFile> {
  let text: string;
  try {
    const stats = await stat(file);
    // A device (/dev/zero) or a FIFO has no size to check, and may never end: regular files only.
    if (!stats.isFile()) throw new UsageError(`sweep file ${file} is not a regular file`, 'give a sweep file of a few keys, e.g. sweeps/last-octet.yaml');
    const { size } = stats;
    if (size > MAX_FILE_BYTES) throw new UsageError(`sweep file ${file} is ${size} bytes; a sweep file holds at most ${MAX_FILE_BYTES}`, 'give a sweep file of a few keys, e.g. sweeps/last-octet.yaml');
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read sweep file ${file}: ${errnoCode(error) === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'give the path of a sweep file, e.g. sweeps/last-octet.yaml');
  }
  return parseSweepFile(text, file);
}

export { expandValue } from './expandValue.js';
