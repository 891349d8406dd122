import { describe, expect, it } from 'vitest';
import { parseEpsvReply, parsePasvReply } from '../../src/ftp/passiveReply.js';

describe('passive offers (RFC 959 227, RFC 1123 §4.1.2.6, RFC 2428 229)', () => {
  it.each([
    ['Entering Passive Mode (127,0,0,1,124,227).', '127.0.0.1', 31971],
    ['Entering Passive Mode 10,0,0,5,4,1', '10.0.0.5', 1025],
    ['=192,0,2,9,200,10', '192.0.2.9', 51210],
  ])('227 %j', (text, host, port) => {
    expect(parsePasvReply(text)).toEqual({ ok: true, address: { family: 4, host, port } });
  });

  it.each(['Entering Passive Mode (127,0,0,1,124,22_)', 'Entering Passive Mode (127,0,0,1,124)', 'Passive', '(127,0,0,1,124,256)'])('227 %j is not a valid offer', (text) => {
    expect(parsePasvReply(text).ok).toBe(false);
  });

  it('229 offers a port at the control peer', () => {
    expect(parseEpsvReply('Entering Extended Passive Mode (|||31971|)', '::1')).toEqual({ ok: true, address: { family: 6, host: '::1', port: 31971 } });
    expect(parseEpsvReply('Entering Extended Passive Mode (|||3197_|)', '127.0.0.1').ok).toBe(false);
  });
});
