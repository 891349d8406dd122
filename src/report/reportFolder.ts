/**
 * A sweep's report folder: results.csv (and results.jsonl, the same rows for programs), matrix.csv, summary.json, report.html, report.md and, when
 * a value failed, dialogue.txt (one failing probe, as `ftpsweep probe` prints it). `ftpsweep report`
 * and `ftpsweep merge` read folders back.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, errnoCode } from '../errors.js';
import { writeOutput } from './files.js';
import type { ResultRow } from '../model/valueResult.js';
import { htmlReport } from './htmlReport.js';
import { markdownReport } from './markdownReport.js';
import { matrixCsv } from './matrix.js';
import { parseResultsCsv, resultsCsv } from './resultsCsv.js';
import { resultsJsonl } from './resultsJsonl.js';
import { summaryJson, type Summary } from './summary.js';
import { serverChoseOffers } from './ticketModel.js';

export const DIALOGUE_FILE = 'dialogue.txt';

/** Every file a report folder may hold: what `--force` removes before a new sweep writes there. */
export const REPORT_FILES = ['results.csv', 'results.jsonl', 'matrix.csv', 'summary.json', 'report.html', 'report.md', DIALOGUE_FILE] as const;

/** `reports/<host>-<port>-<YYYYMMDD-HHMMSS>` in local time; characters unsafe in file names become `_`. */
export function defaultReportDir(host: string, port: number, at: Date, root = 'reports'): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return path.join(root, `${host.replace(/[^A-Za-z0-9.-]/g, '_')}-${port}-${stamp}`);
}

/** The files ResultsStream writes while a sweep runs. */
const STREAMED = ['results.csv', 'results.jsonl'];

/**
 * Writes every report file into `dir` (created if missing) and returns their paths. `resultsWritten`:
 * results.csv and results.jsonl were streamed during the sweep (ResultsStream) and are left as they are.
 */
export async function writeReport(dir: string, summary: Summary, rows: readonly ResultRow[], dialogue?: string, options: { resultsWritten?: boolean } = {}): Promise<string[]> {
  const files: [string, string][] = [
    ...(options.resultsWritten ? [] : ([['results.csv', resultsCsv(rows)], ['results.jsonl', resultsJsonl(rows)]] as [string, string][])),
    // No matrix of offers the server chose: they are not values (serverChoseOffers).
    ...(serverChoseOffers(summary) ? [] : [['matrix.csv', matrixCsv(rows, summary.options.fields?.length === 2)] as [string, string]]),
    ['summary.json', summaryJson(summary)],
    ['report.html', htmlReport(summary, rows, dialogue)],
    ['report.md', markdownReport(summary, rows, dialogue)],
  ];
  if (dialogue !== undefined) files.push([DIALOGUE_FILE, `${dialogue}\n`]);
  for (const [name, text] of files) await writeOutput(path.join(dir, name), text);
  return [...(options.resultsWritten ? STREAMED : []), ...files.map(([name]) => name)].map((name) => path.join(dir, name));
}

export interface StoredReport {
  readonly dir: string;
  readonly summary: Summary;
  readonly rows: ResultRow[];
  readonly dialogue: string | undefined;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = errnoCode(error) === 'ENOENT' ? 'does not exist' : (error as Error).message;
    throw new UsageError(`${file} ${reason}`, `give a report folder written by ftpsweep (it holds ${what})`);
  }
}

/**
 * The rows of a results.csv, given the file or the report folder holding it (what --baseline
 * accepts).
 */
export async function readResults(fileOrDir: string): Promise<{ readonly file: string; readonly rows: ResultRow[] }> {
  let file = fileOrDir;
  try {
    if ((await stat(fileOrDir)).isDirectory()) file = path.join(fileOrDir, 'results.csv');
  } catch {
    // Reported below, naming the path.
  }
  return { file, rows: parseResultsCsv(await readText(file, 'results.csv'), file) };
}

/** Reads a report folder back: results.csv, summary.json and, if present, dialogue.txt. */
export async function readReport(dir: string): Promise<StoredReport> {
  const { rows } = await readResults(path.join(dir, 'results.csv'));
  const summaryFile = path.join(dir, 'summary.json');
  let summary: Summary;
  try {
    summary = JSON.parse(await readText(summaryFile, 'summary.json')) as Summary;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${summaryFile} is not valid JSON`, 'give a report folder written by ftpsweep');
  }
  if (summary?.tool?.name !== 'ftpsweep' || typeof summary.target?.host !== 'string') {
    throw new UsageError(`${summaryFile} is not an ftpsweep summary`, 'give a report folder written by ftpsweep');
  }
  let dialogue: string | undefined;
  try {
    dialogue = (await readFile(path.join(dir, DIALOGUE_FILE), 'utf8')).replace(/\n$/, '');
  } catch {
    dialogue = undefined;
  }
  return { dir, summary, rows, dialogue };
}
