import type { TranscriptEntry } from '../ftp/transcript.js';
import { printable } from './safeText.js';

/** `  +12 ms > PORT 127,0,0,1,64,227` — one line per entry, as `ftpsweep probe` prints it, control characters escaped. */
export function formatTranscript(transcript: readonly TranscriptEntry[]): string {
  return transcript.map((e) => `${`+${e.at} ms`.padStart(9)} ${e.dir} ${printable(e.text)}`).join('\n');
}
