/**
 * Command lines out of a byte stream (RFC 959 §4.1: a command ends with CRLF; a bare LF is taken
 * too, so syntax variants test the firewall, not the server): the rest of a line is carried across
 * chunks, and a line over `maxLine` bytes is never buffered — it is reported once, in its place
 * among the lines, and dropped up to its LF.
 */

/** A command line, terminator included, or `null` where an over-long line stood. */
export type FramedLine = Buffer | null;

export class LineFramer {
  private pending: Buffer = Buffer.alloc(0);
  /** The start of an over-long line was reported; its rest is dropped up to the LF. */
  private discarding = false;

  constructor(private readonly maxLine: number) {}

  /** The lines `chunk` completes, in order. */
  push(chunk: Buffer): FramedLine[] {
    const lines: FramedLine[] = [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (let lf = this.pending.indexOf(0x0a); lf !== -1; lf = this.pending.indexOf(0x0a)) {
      const line = this.pending.subarray(0, lf + 1);
      this.pending = this.pending.subarray(lf + 1);
      if (this.discarding) this.discarding = false; // the end of an over-long line, already reported
      else lines.push(line.length > this.maxLine ? null : Buffer.from(line));
    }
    if (this.pending.length > this.maxLine) {
      if (!this.discarding) lines.push(null);
      this.discarding = true;
      this.pending = Buffer.alloc(0);
    }
    return lines;
  }

  /** Whether a line has begun and not ended (bytes wait for their LF). */
  get partial(): boolean {
    return this.pending.length > 0 || this.discarding;
  }

  /** Forgets a partial line (after AUTH TLS, whatever was pipelined was meant to be encrypted). */
  reset(): void {
    this.pending = Buffer.alloc(0);
    this.discarding = false;
  }
}
