/**
 * IP addresses compared as addresses, never as text. The same IPv6 address has many spellings:
 * Linux's nf_nat_ftp writes the full form `2001:0db8:0002:0000:0000:0000:0000:0001` into EPRT
 * (FIELD-NOTES §5), a peer's socket reports `2001:db8:2::1`, and a dual-stack socket reports an
 * IPv4 peer as `::ffff:192.0.2.1`. All are valid (RFC 4291 §2.2); people read the one form RFC 5952
 * recommends.
 */
import { isIP } from 'node:net';

/** An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, as dual-stack sockets report it) as plain IPv4. */
export function unmapIPv4(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The RFC 5952 text of an address: IPv6 in lower case, leading zeros dropped, the longest run of
 * two or more zero groups (the first, on a tie) written `::` (§4); an IPv4-mapped address as the
 * IPv4 address it carries. A zone (`fe80::1%eth0`) is kept as it is. Anything that is not an IP
 * address comes back unchanged, so callers can compare whatever they were given.
 */
export function canonicalAddress(address: string): string {
  const zone = address.indexOf('%');
  const bare = unmapIPv4(zone === -1 ? address : address.slice(0, zone));
  if (isIP(bare) !== 6) return zone === -1 ? bare : address;
  // The URL serializer writes exactly RFC 5952's form for IPv6 hosts (WHATWG URL §3.7): lower
  // case, no leading zeros, the first longest run of at least two zero groups compressed.
  const host = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const unmapped = unmapIPv4(host.replace(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/, (_, hi: string, lo: string) => `::ffff:${dotted(hi, lo)}`));
  return zone === -1 ? unmapped : `${unmapped}${address.slice(zone)}`;
}

function dotted(hi: string, lo: string): string {
  const [a, b] = [parseInt(hi, 16), parseInt(lo, 16)];
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
}

/** Whether two spellings name the same address (`2001:0db8::0001` and `2001:db8::1` do). */
export function sameAddress(a: string, b: string): boolean {
  return canonicalAddress(a) === canonicalAddress(b);
}

/** `host:port`, with IPv6 hosts in brackets (RFC 3986 §3.2.2), the host in RFC 5952 form. */
export function formatEndpoint(host: string, port: number): string {
  const text = canonicalAddress(host);
  return isIP(text) === 6 ? `[${text}]:${port}` : `${text}:${port}`;
}
