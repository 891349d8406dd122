import type { TranscriptEntry } from '../ftp/transcript.js';

/** `  +12 ms > PORT 127,0,0,1,64,227` — one line per entry, as `ftpsweep probe` prints it. */
export function formatTranscript(transcript: readonly TranscriptEntry[]): string {
  return transcript.map((e) => `${`+${e.at} ms`.padStart(9)} ${e.dir} ${e.text}`).join('\n');
}
