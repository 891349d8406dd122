/**
 * The dialogue of one control connection, for a ticket (`ftpsweep probe`): every line sent and
 * received, and the events between, with the password masked — also encoded, since an echoing
 * server (the reflector) may quote a command in hex, and a hostile one in base64. Kept only when
 * asked: it costs per line.
 */
import { makeRedactor, type Redactor } from './secretSpellings.js';
import { monotonicMs } from '../clock.js';

export interface TranscriptEntry {
  /** Milliseconds since the connection was opened. */
  readonly at: number;
  /** `>` sent by us, `<` received, `*` an event (data connection, close). */
  readonly dir: '>' | '<' | '*';
  readonly text: string;
}

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  private readonly startedAt = monotonicMs();
  /** Masks the secret as it may appear: itself, hex, base64, URL-encoded (secretSpellings.ts). */
  readonly redact: Redactor;

  constructor(
    /** Whether lines are kept: callers skip building notes when they are not. */
    readonly recording: boolean,
    secret?: string,
  ) {
    this.redact = makeRedactor(secret);
  }

  /** Milliseconds since the connection was opened. */
  elapsed(): number {
    return monotonicMs() - this.startedAt;
  }

  /**
   * Adds a line; `text` is only made when lines are kept. What the server sent (`<`) is masked; our
   * own lines hold no password (PASS is shown as `PASS ****`), and events quote a server only
   * through text masked where it was made (a data connection's first bytes).
   */
  add(dir: TranscriptEntry['dir'], text: string | (() => string)): void {
    if (!this.recording) return;
    const line = typeof text === 'string' ? text : text();
    this.entries.push({ at: Math.round(this.elapsed()), dir, text: dir === '<' ? this.redact(line) : line });
  }
}
