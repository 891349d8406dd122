/**
 * results.csv written while the sweep runs: each row appended as soon as it and every row before
 * it are final, so the file is always a correct prefix of the sweep — what a crash, Ctrl-C or a
 * later --resume can rely on — and memory holds only the rows waiting for an earlier one. One
 * csv-stringify stream formats them all (a stringifier per row cost more than the rest of a probe).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { LocalError } from '../errors.js';
import type { ResultRow } from '../model/valueResult.js';
import { RESULT_COLUMNS, csvRecord } from './resultsCsv.js';

export class ResultsStream {
  private readonly pending = new Map<number, ResultRow>();
  private next = 0;
  private readonly fd: number;
  private readonly csv: Stringifier;
  private readonly ended: Promise<void>;

  /** Creates (or truncates) `file`; the header goes with the first write. `position` orders the rows. */
  constructor(
    readonly file: string,
    private readonly position: (row: ResultRow) => number,
  ) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      this.fd = openSync(file, 'w');
    } catch (error) {
      throw new LocalError(`cannot write ${file}: ${(error as Error).message}`, { cause: error, hint: 'choose a writable place with --out' });
    }
    this.csv = stringify({ header: true, columns: [...RESULT_COLUMNS] });
    this.csv.on('data', (chunk: Buffer) => writeSync(this.fd, chunk));
    this.ended = new Promise((resolve, reject) => {
      this.csv.once('end', resolve);
      this.csv.once('error', reject);
    });
  }

  /** Takes a final row; writes it, and any rows it was holding back, when their turn comes. */
  add(row: ResultRow): void {
    this.pending.set(this.position(row), row);
    for (let r = this.pending.get(this.next); r !== undefined; r = this.pending.get(this.next)) {
      this.csv.write(csvRecord(r));
      this.pending.delete(this.next++);
    }
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
    } finally {
      closeSync(this.fd);
    }
  }
}
