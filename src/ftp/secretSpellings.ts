/**
 * Masking a password wherever a server that quotes what it received spells it back: as itself, URL-
 * encoded or `\xNN`-escaped (any mix, either case), in hex (either case, bytes run together or
 * separated), in base64 (standard or URL-safe, padded or not, at any alignment within a longer
 * encoded text, wrapped or not), or spaced out letter by letter. A hostile server chooses the
 * encoding, so the usual ones are all covered, whitespace between characters included.
 *
 * Masking is for text people read. Evidence (replies, echoes) is judged on the raw bytes first: a
 * short password such as `ftp` or `1` also occurs in the reflector's tags and in addresses. The
 * whole word a spelling occurs in is masked: `ftp****-reflector` would tell the password by what
 * is left around it.
 */

export type Redactor = (text: string) => string;

const MASK = '****';
/** A character no reply carries (replies are read as latin1), marking a masked spelling for a moment. */
const MARK = '\u{F0000}';
const WORD_WITH_MARK = /\S*\u{F0000}\S*/gu;

/** Shorter base64 runs than this would mask ordinary words: the secret's core must be this long. */
const MIN_BASE64_CORE = 4;

/** Between two characters of a spelling: what wrapping, spacing or a hex separator may put there. */
const GAP = '[\\s:,.-]?\\s*';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A hex digit in either case. */
function hexDigit(d: string): string {
  return /[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d;
}

function hexPair(byte: number): string {
  return [...byte.toString(16).padStart(2, '0')].map(hexDigit).join('');
}

/** One byte as itself, URL-encoded (`%NN`, a space also as `+`) or escaped (`\xNN`). */
function byteForms(byte: number): string {
  const literal = escapeRegExp(String.fromCharCode(byte));
  return `(?:${literal}${byte === 0x20 ? '|\\+' : ''}|%${hexPair(byte)}|\\\\x${hexPair(byte)})`;
}

/**
 * The base64 characters that depend on the secret's bytes alone, for the secret starting at byte
 * offset 0, 1 or 2 of a longer encoded text: they appear in any base64 holding the secret whatever
 * surrounds it. Character i covers bits [6i, 6i + 6); the secret's bits are [8k, 8(k + n)).
 */
function base64Cores(bytes: Buffer): string[] {
  // The encoding of the password alone (`MQ==` for 1), whatever its length: padding makes even a
  // short one distinctive.
  const alone = bytes.toString('base64');
  const cores: string[] = alone.length >= MIN_BASE64_CORE ? [alone] : [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes, Buffer.alloc(3)]).toString('base64');
    const core = encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (core.length >= MIN_BASE64_CORE) cores.push(core);
  }
  return cores;
}

/** A base64 character, standard or URL-safe (RFC 4648 §5: `-` for `+`, `_` for `/`). */
function base64Char(c: string): string {
  if (c === '+') return '[+-]';
  if (c === '/') return '[/_]';
  return c;
}

/** The patterns for one byte string (the password as sent). */
function patterns(bytes: Buffer): string[] {
  const byteList = [...bytes];
  return [
    byteList.map(byteForms).join('\\s*'),
    byteList.map(hexPair).join(GAP),
    ...base64Cores(bytes).map((core) => [...core].map(base64Char).join('\\s*')),
  ];
}

/**
 * The password as it goes on the wire: UTF-8 (RFC 2640 §2.2 for non-ASCII text on the control
 * connection), as a latin1 string of those bytes, which is how replies are read.
 */
export function wireText(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** A function that masks every spelling of `secret`; the identity when there is none. */
export function makeRedactor(secret: string | undefined): Redactor {
  if (!secret) return (text) => text;
  // The wire form, and the text itself if it is latin1 (a server that decoded the bytes as such).
  const forms = new Set([wireText(secret), ...([...secret].every((c) => c.charCodeAt(0) < 256) ? [secret] : [])]);
  const all = [...forms].flatMap((form) => patterns(Buffer.from(form, 'latin1')));
  // Longest first: at one position the first alternative that matches wins.
  const pattern = new RegExp([...new Set(all)].sort((a, b) => b.length - a.length).join('|'), 'g');
  return (text) => {
    pattern.lastIndex = 0;
    if (!pattern.test(text)) return text;
    // Each occurrence becomes a marker first, then every word holding a marker becomes the mask.
    return text.replace(pattern, MARK).replace(WORD_WITH_MARK, MASK);
  };
}
