/**
 * results.csv and results.jsonl written while the sweep runs: each row appended as soon as it and
 * every row before it are final, so each file is always a correct prefix of the sweep — what a
 * crash, Ctrl-C or a later --resume can rely on — and memory holds only the rows waiting for an
 * earlier one.
 *
 * Rows are formatted and written in batches: when 512 are ready, or 100 ms after the first of them
 * (a stream through csv-stringify, one write per row, made a quarter of all a 65,536-probe sweep
 * allocated). A row costs its CSV cells and one JSON.stringify, made when it arrives; a batch, one
 * csv-stringify call. A kill loses at most the last 100 ms of rows, which --resume probes again.
 *
 * Only whole rows reach the disk: a CSV cell holds no line break (safeText.ts escapes them) and
 * JSON escapes them, so every LF ends a row. A write that fails (a full disk) keeps the whole rows
 * that made it and cuts the rest; every later call says why. results.csv is written first: it is
 * what --resume reads, and a resume writes both files afresh from it.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { LocalError } from '../errors.js';
import type { ResultRow } from '../model/valueResult.js';
import { makeDirectory, writeError } from './files.js';
import { csvCells, csvLines } from './resultsCsv.js';
import { jsonlLine } from './resultsJsonl.js';

const BATCH_ROWS = 512;
const BATCH_MS = 100;

type Cells = ReturnType<typeof csvCells>;

/** A file that only ever grows by whole lines: a write that fails is cut back to its last LF. */
class LineFile {
  private readonly fd: number;
  /** Bytes of whole lines on disk. */
  private written = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  /** Appends `text` (whole lines); on failure keeps the whole lines that made it and returns why. */
  append(text: Buffer): LocalError | undefined {
    let at = 0;
    try {
      while (at < text.length) at += writeSync(this.fd, text, at);
      this.written += text.length;
      return undefined;
    } catch (error) {
      this.written += text.subarray(0, at).lastIndexOf(0x0a) + 1;
      try {
        ftruncateSync(this.fd, this.written);
      } catch {
        // Nothing more to do: the error returned says the file could not be written.
      }
      return writeError(this.file, error);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class ResultsStream {
  /**
   * Rows that wait for an earlier one, as their cells and JSON line only: a row holds its attempts'
   * evidence, and holding that while a slow earlier probe finishes got it promoted to V8's old
   * generation (most of a 65,536-probe sweep's memory growth).
   */
  private readonly pending = new Map<number, readonly [Cells, string]>();
  private next = 0;
  private readonly csv: LineFile;
  private readonly jsonl: LineFile;
  /** Rows in order, formatted at the next flush: their cells, and their JSON lines. */
  private batch: Cells[] = [];
  private lines = '';
  private headerWritten = false;
  /** Why the files take no more (a full disk): every later call throws it. */
  private failure: LocalError | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  /**
   * Creates (or truncates) `dir`/results.csv and `dir`/results.jsonl; the CSV header goes with the
   * first write. `position` orders the rows.
   */
  constructor(
    readonly dir: string,
    private readonly position: (row: ResultRow) => number,
  ) {
    const csvFile = path.join(dir, 'results.csv');
    try {
      makeDirectory(dir);
      this.csv = new LineFile(csvFile);
    } catch (error) {
      throw writeError(csvFile, error);
    }
    const jsonlFile = path.join(dir, 'results.jsonl');
    try {
      this.jsonl = new LineFile(jsonlFile);
    } catch (error) {
      this.csv.close();
      throw writeError(jsonlFile, error);
    }
  }

  /** Takes a final row; writes it, and any rows it was holding back, when their turn comes. */
  add(row: ResultRow): void {
    if (this.failure) throw this.failure;
    const position = this.position(row);
    if (position === this.next) {
      this.batch.push(csvCells(row));
      this.lines += `${jsonlLine(row)}\n`;
      this.next++;
    } else {
      this.pending.set(position, [csvCells(row), jsonlLine(row)]);
    }
    for (let held = this.pending.get(this.next); held !== undefined; held = this.pending.get(this.next)) {
      this.take(held);
      this.pending.delete(this.next++);
    }
    if (this.batch.length >= BATCH_ROWS) this.flush();
    else if (this.batch.length > 0) this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS).unref();
    if (this.failure) throw this.failure;
  }

  /** Rows not yet written because an earlier one is missing. */
  get held(): number {
    return this.pending.size;
  }

  private take([cells, line]: readonly [Cells, string]): void {
    this.batch.push(cells);
    this.lines += `${line}\n`;
  }

  /** Formats the batch and writes it to both files; on failure each keeps its whole rows. */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.failure || (this.batch.length === 0 && this.headerWritten)) return;
    const csv = Buffer.from(csvLines(this.batch, !this.headerWritten));
    const jsonl = Buffer.from(this.lines);
    this.batch = [];
    this.lines = '';
    this.headerWritten = true;
    this.failure = this.csv.append(csv) ?? this.jsonl.append(jsonl);
  }

  /**
   * Writes what is left and closes the files. Rows still held back (an interrupted sweep: an
   * earlier row never came) are written too, after the in-order prefix, so no finished row is lost.
   */
  async close(): Promise<void> {
    for (const position of [...this.pending.keys()].sort((a, b) => a - b)) this.take(this.pending.get(position)!);
    this.pending.clear();
    try {
      this.flush();
    } finally {
      this.csv.close();
      this.jsonl.close();
    }
    if (this.failure) throw this.failure;
  }
}
