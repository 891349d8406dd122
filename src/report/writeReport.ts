/**
 * Writes a sweep's report folder: results.csv, matrix.csv, summary.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalError } from '../ftp/errors.js';
import type { ValueResult } from '../sweep/valueResult.js';
import { matrixCsv } from './matrix.js';
import { resultsCsv } from './resultsCsv.js';
import type { Summary } from './summary.js';

/** `reports/<host>-<port>-<YYYYMMDD-HHMMSS>` in local time; characters unsafe in file names become `_`. */
export function defaultReportDir(host: string, port: number, at: Date, root = 'reports'): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return path.join(root, `${host.replace(/[^A-Za-z0-9.-]/g, '_')}-${port}-${stamp}`);
}

/** Writes the three files into `dir` (created if missing) and returns their paths. */
export async function writeReport(dir: string, summary: Summary, results: readonly ValueResult[]): Promise<string[]> {
  const files: [string, string][] = [
    ['results.csv', resultsCsv(results)],
    ['matrix.csv', matrixCsv(results)],
    ['summary.json', `${JSON.stringify(summary, null, 2)}\n`],
  ];
  try {
    await mkdir(dir, { recursive: true });
    await Promise.all(files.map(([name, text]) => writeFile(path.join(dir, name), text)));
  } catch (error) {
    throw new LocalError(`cannot write the report to ${dir}: ${(error as Error).message}`, { cause: error, hint: 'choose a writable folder with --out' });
  }
  return files.map(([name]) => path.join(dir, name));
}
