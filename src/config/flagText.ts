/**
 * How a flag's text becomes a whole number, or a host and a port: checked as text, so a message
 * quotes what the user typed (`--port abc`), never what a parser made of it (NaN).
 */
import { UsageError } from '../errors.js';

/** The whole numbers `min..max` (or `min` or more), as a hint says them. */
function rangeText([min, max]: readonly [number, number]): string {
  return max === Number.POSITIVE_INFINITY ? `${min} or more` : `${min}..${max}`;
}

/** Throws the one-line error for a number outside `range`. */
export function checkRange(flag: string, n: number, range: readonly [number, number]): void {
  if (!Number.isInteger(n)) throw new UsageError(`${flag} ${n} is not a whole number`, `use ${rangeText(range)}`);
  if (n < range[0] || n > range[1]) throw new UsageError(`${flag} ${n} is out of range`, `use a whole number ${rangeText(range)}`);
}

/**
 * `text` as a whole number within `range` (decimal digits, an optional minus: not `1e3`, `0x15`
 * or `21.0`, which JavaScript would take), or a one-line error naming `flag` and the text.
 */
export function wholeNumber(flag: string, text: string, range: readonly [number, number]): number {
  const trimmed = text.trim();
  if (!/^-?\d{1,16}$/.test(trimmed)) {
    const shown = trimmed === '' || trimmed !== text ? JSON.stringify(text) : text;
    throw new UsageError(`${flag} ${shown} is not a whole number`, `use ${rangeText(range)}`);
  }
  const n = Number(trimmed);
  checkRange(flag, n, range);
  return n;
}

/**
 * `host:port`, `[v6]:port`, `[v6]` or a bare host, split into the host and the port's text (if one
 * is given). A bare IPv6 address (`::1`, `2001:db8::1`) has colons of its own and so no port: a
 * port after an IPv6 address takes brackets (RFC 3986 §3.2.2).
 */
export function splitEndpoint(text: string): { readonly host: string; readonly port: string | undefined } {
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(trimmed);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] };
  const colon = trimmed.indexOf(':');
  if (colon !== -1 && colon === trimmed.lastIndexOf(':')) return { host: trimmed.slice(0, colon), port: trimmed.slice(colon + 1) };
  return { host: trimmed, port: undefined };
}

/**
 * `--host HOST:PORT` (or `[v6]:PORT`) as `--host HOST --port PORT`. With a --port as well, the two
 * must agree: which one was meant cannot be guessed.
 */
export function portFromHost<F extends { host?: string | undefined; port?: number | undefined }>(flags: F, range: readonly [number, number], file?: string): F {
  if (flags.host === undefined) return flags;
  const given = String(flags.host);
  const { host, port } = splitEndpoint(given);
  // Not a port at all (`ftp://192.0.2.10/`): --host itself is wrong, and its own check says so.
  if (port === undefined || !/^[\w-]*$/.test(port)) return flags;
  const n = wholeNumber(`--host ${given}: port`, port, range);
  if (flags.port !== undefined && flags.port !== n && file !== undefined) {
    throw new UsageError(`${file}: host ${given} names port ${n}, but the file's port is ${flags.port}`, `give the port once: drop \`port:\` from the file, or give --port on the command line (it wins)`);
  }
  if (flags.port !== undefined && flags.port !== n) {
    throw new UsageError(`--host ${given} names port ${n}, but --port is ${flags.port}`, `give the port once: --host ${host.includes(':') ? `[${host}]` : host} --port ${flags.port}, or --host ${given} alone`);
  }
  return { ...flags, host, port: n };
}
