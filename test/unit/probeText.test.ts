import { describe, expect, it } from 'vitest';
import { captureFilter, probeHeader, tallyExitCode, tallyLine } from '../../src/report/probeText.js';

describe('probe tally', () => {
  it.each([
    [['corrupted', 'corrupted', 'corrupted'], '227: corrupted 3/3', 1],
    [['pass', 'corrupted', 'pass', 'pass'], '227: pass 3/4, corrupted 1/4', 1],
    // A tie keeps the report's order of verdicts: pass before the failures.
    [['timeout', 'pass'], '227: pass 1/2, timeout 1/2', 1],
    [['translated', 'pass'], '227: pass 1/2, translated 1/2', 0],
    [[], '227: no attempt finished', 0],
  ] as const)('%j → %s (exit %i)', (verdicts, line, code) => {
    expect(tallyLine('227', verdicts)).toBe(line);
    expect(tallyExitCode(verdicts)).toBe(code);
  });
});

describe('capture filter for one attempt', () => {
  const control = { from: '192.0.2.5:50412', to: '198.51.100.7:21' };

  it('PORT: the control connection by our port, the data connection by both of its ports (wherever it went)', () => {
    expect(captureFilter('PORT', control, { from: '198.51.100.7:20', to: '192.0.2.5:16406' }, '192.0.2.5:16611')).toBe(
      "tcpdump -ni any '(host 198.51.100.7 and tcp port 50412) or (host 198.51.100.7 and tcp port 20 and tcp port 16406)'",
    );
  });

  it('a data connection from another server address names that address; none names the port it was to reach', () => {
    expect(captureFilter('PORT', control, { from: '198.51.100.8:41000', to: '192.0.2.5:16611' }, '192.0.2.5:16611')).toBe(
      "tcpdump -ni any '(host 198.51.100.7 and tcp port 50412) or (host 198.51.100.8 and tcp port 41000 and tcp port 16611)'",
    );
    expect(captureFilter('PORT', control, undefined, '192.0.2.5:16611')).toBe("tcpdump -ni any '(host 198.51.100.7 and tcp port 50412) or (tcp dst port 16611)'");
    expect(captureFilter('PORT', control, undefined, undefined)).toBe("tcpdump -ni any 'host 198.51.100.7 and tcp port 50412'");
  });

  it('PASV to an offer on another address that refused: the offer\'s address, not the control server\'s', () => {
    expect(captureFilter('PASV', control, undefined, '203.0.113.3:42600')).toBe("tcpdump -ni any '(host 198.51.100.7 and tcp port 50412) or (host 203.0.113.3 and tcp port 42600)'");
  });

  it('IPv6 and EPSV: addresses without brackets; the server end of a passive data connection is its "to"', () => {
    const v6 = { from: '[2001:db8::5]:50412', to: '[2001:db8::7]:21' };
    expect(captureFilter('EPSV', v6, { from: '[2001:db8::5]:40000', to: '[2001:db8::7]:30000' }, '[2001:db8::7]:30000')).toBe(
      "tcpdump -ni any '(host 2001:db8::7 and tcp port 50412) or (host 2001:db8::7 and tcp port 30000 and tcp port 40000)'",
    );
  });
});

describe('probe header', () => {
  it('names the target (IPv6 in brackets), the time in UTC, the version and the attempts', () => {
    const at = new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 5));
    const base = { version: '1.2.3', host: '::1', port: 21, command: 'EPRT', fields: ['p2'], value: '227', intervalMs: 1000, at } as const;
    expect(probeHeader({ ...base, repeat: 1 })).toBe('ftpsweep 1.2.3 probe of [::1]:21 at 2024-05-01T12:00:00.005Z (UTC): EPRT p2 = 227');
    expect(probeHeader({ ...base, repeat: 10 })).toMatch(/: EPRT p2 = 227, 10 attempts 1000 ms apart, each on a fresh control connection$/);
  });
});
