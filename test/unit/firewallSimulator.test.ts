import { describe, expect, it } from 'vitest';
import { corruptLine, corruptReply } from '../../src/servers/firewallSimulator.js';

describe('the simulated firewall', () => {
  const bad = new Set([227]);
  it.each([
    ['PORT 127,0,0,1,124,227\r\n', 'PORT 127,0,0,1,124,22_\r\n'],
    ['port 127,0,0,1,124,227\n', 'port 127,0,0,1,124,22_\n'],
    ['PORT 127,0,0,1,124,226\r\n', 'PORT 127,0,0,1,124,226\r\n'],
    ['PORT 127,0,0,1,124,227 \r\n', 'PORT 127,0,0,1,124,227 \r\n'],
    [`EPRT |1|127.0.0.1|${124 * 256 + 227}|\r\n`, `EPRT |1|127.0.0.1|3197_|\r\n`],
    [`EPRT |2|::1|${124 * 256 + 227}|\r\n`, `EPRT |2|::1|3197_|\r\n`],
    ['NLST\r\n', 'NLST\r\n'],
  ])('%j → %j', (line, out) => {
    expect(corruptLine(line, bad)).toBe(out);
  });

  it('the simulated firewall mangles 227 and 229 offers ending in a corrupted byte', () => {
    expect(corruptReply('227 Entering Passive Mode (127,0,0,1,124,227). [ftpsweep-sent 3232]\r\n', new Set([227]))).toBe('227 Entering Passive Mode (127,0,0,1,124,22_). [ftpsweep-sent 3232]\r\n');
    expect(corruptReply('229 Entering Extended Passive Mode (|||31971|)\r\n', new Set([227]))).toBe('229 Entering Extended Passive Mode (|||3197_|)\r\n');
    expect(corruptReply('226 Transfer complete\r\n', new Set([227]))).toBe('226 Transfer complete\r\n');
  });
});
