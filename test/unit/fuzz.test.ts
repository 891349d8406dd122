/**
 * Arbitrary bytes into the parsers a hostile peer feeds: nothing but the typed errors may come out,
 * and nothing may be buffered without bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayBytes, echoedCommandInReply, findEcho, findSent } from '../../src/ftp/echo.js';
import { ProtocolError } from '../../src/ftp/errors.js';
import { parseEpsvReply, parsePasvReply } from '../../src/ftp/passiveReply.js';
import { parseDataPortLine, parseEprtArgument, parsePortArgument } from '../../src/ftp/portCommand.js';
import { parseReplies } from '../../src/ftp/replyParser.js';

/** Byte strings as the parsers see them (latin1), biased towards FTP-looking text. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a).toString('latin1')),
  fc.array(fc.constantFrom('2', '0', '1', '5', '-', ' ', '\r', '\n', 'x', ',', '(', ')', '|', '227 ', '229 ', '220-', 'PORT ', 'EPRT '), { maxLength: 200 }).map((a) => a.join('')),
);

const RUNS = { numRuns: 2000 };

describe('fuzz: the reply parser', () => {
  it('returns replies, stray lines and a bounded rest — or a ProtocolError — for any input', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 16, max: 1024 }), (input, cap) => {
        try {
          const parsed = parseReplies(input, cap);
          expect(parsed.rest.length).toBeLessThanOrEqual(cap);
          for (const r of parsed.replies) {
            expect(r.code).toBeGreaterThanOrEqual(0);
            expect(r.code).toBeLessThanOrEqual(999);
            expect(r.lines.length).toBeGreaterThan(0);
            findEcho(r);
            findSent(r);
            echoedCommandInReply(r, 'PORT');
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
        }
      }),
      RUNS,
    );
  });

  it('gives the same replies however the input is chunked, with the rest carried', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }), (input, cuts) => {
        let whole;
        try {
          whole = parseReplies(input, 1 << 20);
        } catch {
          return;
        }
        let rest = '';
        const replies = [];
        let at = 0;
        for (let i = 0; at < input.length; i++) {
          const step = cuts[i % cuts.length]!;
          const parsed = parseReplies(rest + input.slice(at, at + step), 1 << 20);
          replies.push(...parsed.replies);
          rest = parsed.rest;
          at += step;
        }
        expect(replies).toEqual(whole.replies);
        expect(rest).toBe(whole.rest);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fuzz: the command and offer parsers', () => {
  it('PORT/EPRT/227/229 parsers never throw, and whatever they accept is a real address and port', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        for (const result of [parsePortArgument(input), parseEprtArgument(input), parseDataPortLine(input), parsePasvReply(input), parseEpsvReply(input, '127.0.0.1')]) {
          if (!result.ok) {
            expect(typeof result.reason).toBe('string');
            continue;
          }
          expect(result.address.port).toBeGreaterThanOrEqual(0);
          expect(result.address.port).toBeLessThanOrEqual(65535);
          expect([4, 6]).toContain(result.address.family);
        }
        // Whatever the bytes, the display is one line of printable ASCII.
        expect(displayBytes(input)).toMatch(/^[\x20-\x7e]*$/);
      }),
      RUNS,
    );
  });

  it('a PORT argument is accepted exactly when it is six decimal numbers 0..255', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 6, maxLength: 6 }), (n) => {
        const result = parsePortArgument(n.join(','));
        expect(result.ok).toBe(n.every((b) => b <= 255));
        if (result.ok) expect(result.address.port).toBe(n[4]! * 256 + n[5]!);
      }),
      RUNS,
    );
  });
});
