/**
 * results.csv written while the sweep runs: each row appended as soon as it and every row before
 * it are final, so the file is always a correct prefix of the sweep — what a crash, Ctrl-C or a
 * later --resume can rely on — and memory holds only the rows waiting for an earlier one.
 *
 * Rows are formatted and written in batches: when 512 are ready, or 100 ms after the first of them
 * (a stream through csv-stringify, one write per row, made a quarter of all a 65,536-probe sweep
 * allocated). A kill loses at most the last 100 ms of rows, which --resume probes again.
 *
 * Only whole rows reach the disk: a cell holds no line break (safeText.ts escapes them), so every
 * LF ends a row. A write that fails (a full disk) keeps the whole rows that made it and cuts the
 * rest; every later call says why.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { LocalError } from '../errors.js';
import type { ResultRow } from '../model/valueResult.js';
import { makeDirectory, writeError } from './files.js';
import { RESULT_COLUMNS, csvCells } from './resultsCsv.js';

const BATCH_ROWS = 512;
const BATCH_MS = 100;

type Cells = ReturnType<typeof csvCells>;

export class ResultsStream {
  /**
   * Rows that wait for an earlier one, as their cells only: a row holds its attempts' evidence, and
   * holding that while a slow earlier probe finishes got it promoted to V8's old generation (most
   * of a 65,536-probe sweep's memory growth).
   */
  private readonly pending = new Map<number, Cells>();
  private next = 0;
  private readonly fd: number;
  /** Rows in order, formatted at the next flush. */
  private batch: Cells[] = [];
  private headerWritten = false;
  /** Bytes of whole rows on disk. */
  private written = 0;
  /** Why the file takes no more (a full disk): every later call throws it. */
  private failure: LocalError | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  /** Creates (or truncates) `file`; the header goes with the first write. `position` orders the rows. */
  constructor(
    readonly file: string,
    private readonly position: (row: ResultRow) => number,
  ) {
    try {
      makeDirectory(path.dirname(file));
      this.fd = openSync(file, 'w');
    } catch (error) {
      throw writeError(file, error);
    }
  }

  /** Takes a final row; writes it, and any rows it was holding back, when their turn comes. */
  add(row: ResultRow): void {
    if (this.failure) throw this.failure;
    const position = this.position(row);
    if (position === this.next) {
      this.batch.push(csvCells(row));
      this.next++;
    } else {
      this.pending.set(position, csvCells(row));
    }
    for (let cells = this.pending.get(this.next); cells !== undefined; cells = this.pending.get(this.next)) {
      this.batch.push(cells);
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

  /** Formats the batch and writes it; on failure keeps the whole rows that made it. */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.failure || (this.batch.length === 0 && this.headerWritten)) return;
    const text = Buffer.from(stringify(this.batch, { header: !this.headerWritten, columns: [...RESULT_COLUMNS] }));
    this.batch = [];
    this.headerWritten = true;
    let at = 0;
    try {
      while (at < text.length) at += writeSync(this.fd, text, at);
      this.written += text.length;
    } catch (error) {
      this.written += text.subarray(0, at).lastIndexOf(0x0a) + 1;
      try {
        ftruncateSync(this.fd, this.written);
      } catch {
        // Nothing more to do: the message below says the file could not be written.
      }
      this.failure = writeError(this.file, error);
    }
  }

  /**
   * Writes what is left and closes the file. Rows still held back (an interrupted sweep: an earlier
   * row never came) are written too, after the in-order prefix, so no finished row is lost.
   */
  async close(): Promise<void> {
    for (const position of [...this.pending.keys()].sort((a, b) => a - b)) this.batch.push(this.pending.get(position)!);
    this.pending.clear();
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
    if (this.failure) throw this.failure;
  }
}
