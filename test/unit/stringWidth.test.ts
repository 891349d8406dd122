import { describe, expect, it } from 'vitest';
import stringWidth from '../../src/cli/stringWidth.js';

describe('the width of help text in a terminal', () => {
  it.each([
    ['', 0],
    ['--host', 6],
    ['FTP control port [default: 21]', 30],
    ['\x1b[1m--host\x1b[22m', 6], // ANSI styles take no columns
    ['zoë', 3],
    ['e\u0301', 1], // a combining accent
    ['日本語', 6],
    ['ｆｕｌｌ', 8],
    ['🙂', 2],
    ['a\u200bb', 2], // a zero-width space
  ])('%j is %i columns', (text, width) => {
    expect(stringWidth(text)).toBe(width);
  });
});
