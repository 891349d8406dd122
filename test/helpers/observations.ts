/**
 * What the real-path tests saw, for the README's "Tested against" tables: each test that sweeps
 * through a real middlebox writes one JSON note into reports/tested-against/paths/, which
 * `npm run tested-against` renders. Only what the test asserted goes in: the counts of verdicts
 * and one example of what was sent against what the far side saw.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PATHS = fileURLToPath(new URL('../../reports/tested-against/paths/', import.meta.url));
const VERSIONS = fileURLToPath(new URL('../../.peers/versions.txt', import.meta.url));

/** A results.csv row, as the tests parse it. */
export interface CsvRow {
  readonly value: string;
  readonly sent: string;
  readonly seen: string;
  readonly data: string;
  readonly verdict: string;
}

export interface PathNote {
  /** The middlebox, e.g. `Linux nf_conntrack_ftp + nf_nat_ftp, masquerade`. */
  readonly middlebox: string;
  readonly version: string;
  /** What stood behind it: `ftpsweep reflector`, `vsftpd 3.0.3-13+b2`, … */
  readonly farSide: string;
  /** `PORT`, `EPRT over IPv6`, … */
  readonly command: string;
  readonly rows: readonly CsvRow[];
  readonly exitCode: number | null;
  /** Anything else the test checked, in a few words. */
  readonly note?: string;
}

/** A Debian package's version as scripts/peers.sh recorded it, or `unknown`. */
export function packageVersion(pkg: string): string {
  const line = existsSync(VERSIONS) ? readFileSync(VERSIONS, 'utf8').split('\n').find((l) => l.startsWith(`${pkg} `)) : undefined;
  return line?.split(' ')[1] ?? 'unknown';
}

/** Linux's FTP helper behind NAT, as the namespace tests build it. */
export const LINUX_HELPER_NAT = 'Linux nf_conntrack_ftp + nf_nat_ftp, masquerade';

/** The kernel and nftables, for Linux's FTP helper. */
export function linuxHelperVersion(): string {
  return `kernel ${release()}, nftables ${packageVersion('nftables')}`;
}

/** "256 translated (data arrived)", "4 translated, 252 pass", … */
function counts(rows: readonly CsvRow[]): string {
  const by = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.verdict}${r.data === 'arrived' ? ' (data arrived)' : ''}`;
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  return [...by].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** Writes the note as `<id>.json`. */
export async function recordPath(id: string, note: PathNote): Promise<void> {
  const changed = note.rows.find((r) => r.seen !== '' && r.seen !== r.sent);
  const first = note.rows[0];
  const unchanged = first === undefined ? '' : first.seen === '' ? `${first.sent} (the far side does not say what it saw)` : `${first.sent} (seen as sent)`;
  const json = {
    middlebox: note.middlebox,
    version: note.version,
    farSide: note.farSide,
    command: note.command,
    verdicts: counts(note.rows),
    example: changed ? `${changed.sent} → ${changed.seen}` : unchanged,
    exitCode: note.exitCode,
    ...(note.note ? { note: note.note } : {}),
  };
  await mkdir(PATHS, { recursive: true });
  await writeFile(path.join(PATHS, `${id}.json`), `${JSON.stringify(json, null, 2)}\n`);
}
