/**
 * The ways a password may come back from a server that quotes what it received: as itself, in hex
 * (either case, bytes run together or spaced), in base64 (standard or URL-safe, with or without
 * padding, at any alignment within a longer encoded text), URL-encoded, or spaced out letter by
 * letter. Each spelling is masked wherever it appears; a hostile server chooses the encoding, so
 * the usual ones are all covered.
 */

/** Shorter base64 runs than this would mask ordinary words: the secret's core must be this long. */
const MIN_BASE64_CORE = 4;

/** RFC 3986 §2.3: the bytes URL encoding leaves as they are. */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function hexSpellings(bytes: Buffer): string[] {
  const pairs = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
  // URL encoding of the bytes as sent (latin1 on the wire): unreserved ones kept, or every one encoded.
  const url = [...bytes].map((b, i) => (UNRESERVED.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${pairs[i]}`)).join('');
  const spellings = [pairs.join(''), pairs.join(' '), pairs.join(':'), pairs.map((p) => `%${p}`).join('')].flatMap((s) => [s, s.toUpperCase()]);
  return [...spellings, url, url.replace(/%[0-9a-f]{2}/g, (p) => p.toUpperCase())];
}

/**
 * The base64 characters that depend on the secret's bytes alone, for the secret starting at byte
 * offset 0, 1 or 2 of a longer encoded text: they appear in any base64 holding the secret whatever
 * surrounds it. Character i covers bits [6i, 6i + 6); the secret's bits are [8k, 8(k + n)).
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let k = 0; k < 3; k++) {
    const padded = Buffer.concat([Buffer.alloc(k), bytes, Buffer.alloc(3)]);
    const encoded = padded.toString('base64');
    const core = encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (core.length >= MIN_BASE64_CORE) cores.push(core);
  }
  // The whole encoding as a value on its own, padding included (e.g. `PASS UzNjcmV0`).
  const whole = bytes.toString('base64');
  return [whole, ...cores].flatMap((s) => [s, s.replace(/\+/g, '-').replace(/\//g, '_')]);
}

/** Every spelling of `secret` to mask, longest first (a longer one may contain a shorter one). */
export function secretSpellings(secret: string | undefined): string[] {
  if (!secret) return [];
  const bytes = Buffer.from(secret, 'latin1');
  const spellings = new Set([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    ...hexSpellings(bytes),
    ...base64Cores(bytes),
  ]);
  if (secret.length >= 4) spellings.add([...secret].join(' '));
  return [...spellings].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}
