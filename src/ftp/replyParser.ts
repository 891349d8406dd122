/**
 * A pure, incremental parser for FTP replies (RFC 959 §4.2).
 *
 * Replies arrive as a byte stream, not as reads: one TCP chunk may hold half a line, or three replies.
 * The parser therefore takes everything received so far that has not been consumed, and returns the
 * complete replies plus the `rest` to prepend to the next chunk (the pattern of basic-ftp's
 * parseControlResponse). Text is handled as latin1 so that every byte maps to one character and
 * evidence can be compared byte for byte.
 */
import { ProtocolError } from './errors.js';

/** One complete reply: a 3-digit code and its raw lines (without terminators, code prefixes kept). */
export interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

export interface ParsedReplies {
  readonly replies: readonly Reply[];
  /** Complete lines outside any reply (garbage, or a server's chatter): kept as evidence, not dropped. */
  readonly stray: readonly string[];
  /** Unconsumed input: an unterminated line, or a multi-line reply whose last line has not come yet. */
  readonly rest: string;
}

/** Default cap on a single reply (all its lines) and on unconsumed input, in characters (= bytes). */
export const MAX_REPLY_CHARS = 64 * 1024;

const SINGLE = /^(\d{3})(?: |$)/;
const MULTI_START = /^(\d{3})-/;

/**
 * Parse `input` (previous `rest` + new chunk). Lines end in LF; a CR before it is dropped, so bare-LF
 * servers work too. Throws ProtocolError when a reply or the unconsumed input exceeds `maxChars`,
 * so a hostile peer cannot make us buffer without bound.
 */
export function parseReplies(input: string, maxChars: number = MAX_REPLY_CHARS): ParsedReplies {
  const replies: Reply[] = [];
  const stray: string[] = [];
  let open: { code: string; lines: string[]; start: number } | undefined;
  let lineStart = 0;

  for (let newline = input.indexOf('\n'); newline !== -1; newline = input.indexOf('\n', lineStart)) {
    const line = input.slice(lineStart, newline > lineStart && input[newline - 1] === '\r' ? newline - 1 : newline);
    const start = lineStart;
    lineStart = newline + 1;

    if (open) {
      open.lines.push(line);
      if (lineStart - open.start > maxChars) throw tooLong(maxChars);
      // §4.2: a multi-line reply ends at the first line that starts with the same code and a space.
      // Lines in between may start with digits, even with another code, and are part of the text.
      if (line.startsWith(`${open.code} `) || line === open.code) {
        replies.push({ code: Number(open.code), lines: open.lines });
        open = undefined;
      }
      continue;
    }
    if (line.length > maxChars) throw tooLong(maxChars);
    const multi = MULTI_START.exec(line);
    if (multi) {
      open = { code: multi[1]!, lines: [line], start };
      continue;
    }
    const single = SINGLE.exec(line);
    if (single) replies.push({ code: Number(single[1]), lines: [line] });
    else stray.push(line);
  }

  const rest = input.slice(open ? open.start : lineStart);
  if (rest.length > maxChars) throw tooLong(maxChars);
  return { replies, stray, rest };
}

function tooLong(maxChars: number): ProtocolError {
  return new ProtocolError(`reply longer than ${maxChars} bytes without an end: refusing to buffer more`);
}

/** The reply's text without the code prefixes of its first and last line, lines joined by '\n'. */
export function replyMessage(reply: Reply): string {
  const lines = reply.lines.map((line, i) =>
    i === 0 || i === reply.lines.length - 1 ? line.replace(/^\d{3}[ -]?/, '') : line,
  );
  return lines.join('\n');
}

/** RFC 959 §4.2.1: the first digit says whether a reply is preliminary (1), or final (2-5). */
export type ReplyKind = 'preliminary' | 'positive' | 'intermediate' | 'transient' | 'permanent' | 'invalid';

export function replyKind(code: number): ReplyKind {
  switch (Math.floor(code / 100)) {
    case 1:
      return 'preliminary';
    case 2:
      return 'positive';
    case 3:
      return 'intermediate';
    case 4:
      return 'transient';
    case 5:
      return 'permanent';
    default:
      return 'invalid';
  }
}

/** 4xx or 5xx. */
export function isNegative(code: number): boolean {
  return code >= 400 && code < 600;
}
