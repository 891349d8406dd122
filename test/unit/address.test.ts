import { describe, expect, it } from 'vitest';
import { canonicalAddress, formatEndpoint, sameAddress, unmapIPv4 } from '../../src/ftp/address.js';

describe('addresses compared as addresses (RFC 4291 §2.2, shown as RFC 5952 §4)', () => {
  it.each([
    // nf_nat_ftp's full form (FIELD-NOTES §5) and the socket's compressed one
    ['2001:0db8:0002:0000:0000:0000:0000:0001', '2001:db8:2::1'],
    ['2001:DB8::1', '2001:db8::1'],
    // §4.2.2: one zero group is not compressed; §4.2.3: the longest run, the first on a tie
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::', '::'],
    // a dual-stack socket's IPv4 peer is that IPv4 address
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['192.0.2.1', '192.0.2.1'],
    ['fe80::0001%eth0', 'fe80::1%eth0'],
    ['not an address', 'not an address'],
  ])('%s is written %s', (given, expected) => {
    expect(canonicalAddress(given)).toBe(expected);
  });

  it('sameAddress: spellings of one address match, different addresses do not', () => {
    expect(sameAddress('2001:0db8:0002:0000:0000:0000:0000:0001', '2001:db8:2::1')).toBe(true);
    expect(sameAddress('::ffff:127.0.0.1', '127.0.0.1')).toBe(true);
    expect(sameAddress('2001:db8:2::1', '2001:db8:2::2')).toBe(false);
    expect(sameAddress('127.0.0.1', '127.0.0.2')).toBe(false);
  });

  it('formatEndpoint brackets IPv6 hosts', () => {
    expect(formatEndpoint('2001:0db8:0002:0000:0000:0000:0000:0001', 21)).toBe('[2001:db8:2::1]:21');
    expect(formatEndpoint('127.0.0.1', 2121)).toBe('127.0.0.1:2121');
  });

  it('unmapIPv4 turns ::ffff:a.b.c.d into a.b.c.d only', () => {
    expect(unmapIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapIPv4('::1')).toBe('::1');
    expect(unmapIPv4('192.0.2.1')).toBe('192.0.2.1');
  });
});
