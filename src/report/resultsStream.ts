/**
 * results.csv written while the sweep runs: each row appended as soon as it and every row before
 * it are final, so the file is always a correct prefix of the sweep — what a crash, Ctrl-C or a
 * later --resume can rely on — and memory holds only the rows waiting for an earlier one. One
 * csv-stringify stream formats them all (a stringifier per row cost more than the rest of a probe).
 *
 * Only whole rows reach the disk: a cell holds no line break (safeText.ts escapes them), so every
 * LF ends a row, and text is written up to its last LF. A write that fails (a full disk) leaves the
 * file at its last whole row, and every later call says why.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import type { LocalError } from '../errors.js';
import type { ResultRow } from '../model/valueResult.js';
import { makeDirectory, writeError } from './files.js';
import { RESULT_COLUMNS, csvRecord } from './resultsCsv.js';

const BATCH_BYTES = 64 * 1024;
const BATCH_MS = 100;

export class ResultsStream {
  private readonly pending = new Map<number, ResultRow>();
  private next = 0;
  private readonly fd: number;
  private readonly csv: Stringifier;
  private readonly ended: Promise<void>;
  /** Formatted text not on disk yet: the part after its last whole row. */
  private unwritten = '';
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
    this.csv = stringify({ header: true, columns: [...RESULT_COLUMNS] });
    this.csv.on('data', (chunk: Buffer) => this.take(chunk.toString()));
    this.ended = new Promise((resolve, reject) => {
      this.csv.once('end', resolve);
      this.csv.once('error', reject);
    });
  }

  /**
   * Takes formatted text and writes it in batches: when 64 KiB have gathered, or 100 ms after the
   * first row waiting (one write per row was 7.5% of a 65,536-probe sweep). The file stays a prefix
   * of whole rows; a kill loses at most the last 100 ms of rows, which --resume probes again.
   */
  private take(text: string): void {
    this.unwritten += text;
    if (this.unwritten.length >= BATCH_BYTES) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS).unref();
  }

  /** Writes the whole rows of what was formatted; on failure cuts the file back to its last whole row. */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const end = this.unwritten.lastIndexOf('\n') + 1;
    if (end === 0 || this.failure) return;
    const rows = Buffer.from(this.unwritten.slice(0, end));
    this.unwritten = this.unwritten.slice(end);
    let at = 0;
    try {
      while (at < rows.length) at += writeSync(this.fd, rows, at);
      this.written += rows.length;
    } catch (error) {
      // Keep the whole rows of the batch that made it before the disk filled, and cut the rest.
      this.written += rows.subarray(0, at).lastIndexOf(0x0a) + 1;
      try {
        ftruncateSync(this.fd, this.written);
      } catch {
        // Nothing more to do: the message below says the file could not be written.
      }
      this.failure = writeError(this.file, error);
    }
  }

  /** Takes a final row; writes it, and any rows it was holding back, when their turn comes. */
  add(row: ResultRow): void {
    if (this.failure) throw this.failure;
    this.pending.set(this.position(row), row);
    for (let r = this.pending.get(this.next); r !== undefined; r = this.pending.get(this.next)) {
      this.csv.write(csvRecord(r));
      this.pending.delete(this.next++);
    }
    if (this.failure) throw this.failure;
  }

  /** Rows not yet written because an earlier one is missing. */
  get held(): number {
    return this.pending.size;
  }

  /**
   * Writes what is left and closes the file. Rows still held back (an interrupted sweep: an earlier
   * row never came) are written too, after the in-order prefix, so no finished row is lost.
   */
  async close(): Promise<void> {
    for (const position of [...this.pending.keys()].sort((a, b) => a - b)) this.csv.write(csvRecord(this.pending.get(position)!));
    this.pending.clear();
    this.csv.end();
    try {
      await this.ended;
      this.flush();
    } finally {
      closeSync(this.fd);
    }
    if (this.failure) throw this.failure;
  }
}
