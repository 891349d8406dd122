import { describe, expect, it } from 'vitest';
import { reply } from '../helpers/attempts.js';
import { displayBytes, echoTag, echoedCommandInReply, findEcho, firstDifference, stripEcho } from '../../src/ftp/echo.js';

describe('echo evidence', () => {
  it('round-trips the exact bytes through the reflector tag', () => {
    const raw = Buffer.from('PORT 127,0,0,1,4,22_\r\n\x00\xff', 'latin1');
    const r = reply(`501 Syntax error ${echoTag(raw)}`);
    expect(findEcho(r)?.equals(raw)).toBe(true);
    expect(stripEcho(r.lines[0]!)).toBe('501 Syntax error');
  });

  it('finds no echo in ordinary replies', () => {
    expect(findEcho(reply('200 PORT command successful'))).toBeUndefined();
  });

  it.each([
    ['PORT 1,2,3,4,5,6\r\n', 'PORT 1,2,3,4,5,6'],
    ['PORT 1,2,3,4,5,6\n', 'PORT 1,2,3,4,5,6\\n'],
    ['PORT  a\tb\r\n\r\n', 'PORT  a\\tb\\r\\n'],
    ['x\x00\x7f\\', 'x\\x00\\x7f\\\\'],
  ])('displayBytes(%j) = %j', (input, shown) => {
    expect(displayBytes(Buffer.from(input, 'latin1'))).toBe(shown);
  });

  it.each([
    ["500 'PORT 10,225,1,89,124,22_': command not understood.", 'PORT 10,225,1,89,124,22_'],
    ['500 Command not understood PORT 10,225,51,60,125,22_', 'PORT 10,225,51,60,125,22_'],
    ['200 PORT command successful', undefined],
    ['200 PORT command successful. Consider using PASV.', undefined],
  ])('echoedCommandInReply(%j)', (line, echoed) => {
    expect(echoedCommandInReply(reply(line), 'PORT')).toBe(echoed);
  });

  it.each([
    // vsftpd and ProFTPD (FIELD-NOTES §5): their own words, not what they received
    ['200 EPRT command successful. Consider using EPSV.', undefined],
    ['200 EPRT command successful', undefined],
    ['500 Bad EPRT protocol.', undefined],
    ["500 'EPRT': command unrecognized", undefined],
    ["500 'EPRT |1|10.225.1.89|31971_|': command not understood.", 'EPRT |1|10.225.1.89|31971_|'],
    ['501 Bad EPRT !2!::1!1251!', 'EPRT !2!::1!1251!'],
  ])('echoedCommandInReply(%j, EPRT)', (line, echoed) => {
    expect(echoedCommandInReply(reply(line), 'EPRT')).toBe(echoed);
  });

  it('firstDifference', () => {
    expect(firstDifference('abc', 'abc')).toBe(-1);
    expect(firstDifference('abc', 'abd')).toBe(2);
    expect(firstDifference('ab', 'abc')).toBe(2);
  });
});
