import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/ftp/errors.js';
import { parseReplies, replyKind, replyMessage } from '../../src/ftp/replyParser.js';

describe('parseReplies (RFC 959 §4.2)', () => {
  it.each([
    { name: 'single line', input: '200 OK\r\n', codes: [200], rest: '' },
    { name: 'two replies in one chunk', input: '200 OK\r\n150 Opening\r\n', codes: [200, 150], rest: '' },
    { name: 'unterminated line is kept', input: '200 OK\r\n226 Tra', codes: [200], rest: '226 Tra' },
    { name: 'bare LF terminator', input: '220 hi\n', codes: [220], rest: '' },
    { name: 'code without text', input: '200\r\n', codes: [200], rest: '' },
    { name: 'multi-line complete', input: '211-Features:\r\n EPRT\r\n211 End\r\n', codes: [211], rest: '' },
    { name: 'multi-line: inner lines may start with digits and another code', input: '230-Welcome\r\n123 not the end\r\n230-still not\r\n230 done\r\n', codes: [230], rest: '' },
    { name: 'multi-line unfinished: whole block is rest', input: '220-one\r\n220-two\r\n', codes: [], rest: '220-one\r\n220-two\r\n' },
    { name: 'multi-line ends on bare code', input: '220-one\r\n220\r\n', codes: [220], rest: '' },
    { name: 'empty input', input: '', codes: [], rest: '' },
  ])('$name', ({ input, codes, rest }) => {
    const parsed = parseReplies(input);
    expect(parsed.replies.map((r) => r.code)).toEqual(codes);
    expect(parsed.rest).toBe(rest);
  });

  it('keeps garbage lines as stray evidence instead of dropping them', () => {
    const parsed = parseReplies('hello there\r\n200 OK\r\n\r\nxx\r\n');
    expect(parsed.replies.map((r) => r.code)).toEqual([200]);
    expect(parsed.stray).toEqual(['hello there', '', 'xx']);
  });

  it('gives the same replies whatever the chunking', () => {
    const stream = '220-Welcome to\r\n220-the test\r\n220 server\r\n331 Password\r\n230 In\r\n200 PORT ok\r\n150 Here\r\n226 Done\r\n';
    const whole = parseReplies(stream).replies;
    for (let size = 1; size <= 7; size++) {
      const got = [];
      let rest = '';
      for (let i = 0; i < stream.length; i += size) {
        const parsed = parseReplies(rest + stream.slice(i, i + size));
        got.push(...parsed.replies);
        rest = parsed.rest;
      }
      expect(got).toEqual(whole);
      expect(rest).toBe('');
    }
    expect(whole.map((r) => r.code)).toEqual([220, 331, 230, 200, 150, 226]);
  });

  it('throws ProtocolError when a line exceeds the cap', () => {
    expect(() => parseReplies(`200 ${'x'.repeat(100)}\r\n`, 50)).toThrow(ProtocolError);
  });

  it('throws ProtocolError when unterminated input exceeds the cap', () => {
    expect(() => parseReplies('x'.repeat(51), 50)).toThrow(ProtocolError);
  });

  it('throws ProtocolError for a never-ending multi-line reply', () => {
    let rest = '';
    const feed = (): void => {
      for (let i = 0; i < 1000; i++) rest = parseReplies(`${rest}220-line ${i}\r\n`, 4096).rest;
    };
    expect(feed).toThrow(ProtocolError);
  });

  it('replyMessage strips the code prefixes of the first and last line', () => {
    const [reply] = parseReplies('211-Features:\r\n EPRT\r\n211 End\r\n').replies;
    expect(replyMessage(reply!)).toBe('Features:\n EPRT\nEnd');
  });

  it.each([
    [150, 'preliminary'],
    [200, 'positive'],
    [331, 'intermediate'],
    [425, 'transient'],
    [501, 'permanent'],
    [999, 'invalid'],
    [0, 'invalid'],
  ] as const)('replyKind(%i) is %s', (code, kind) => {
    expect(replyKind(code)).toBe(kind);
  });
});
