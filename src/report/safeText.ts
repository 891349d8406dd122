/**
 * Remote text made safe where it is written. Replies, banners and whatever a hostile server sends
 * reach the console, dialogue.txt, report.md, report.html and results.csv: an ANSI escape can set a
 * terminal's title or hide lines, a BEL rings, a CR overwrites what came before, `<img onerror>`
 * runs in a Markdown viewer that renders HTML, `=HYPERLINK(…)` runs in a spreadsheet.
 */

/**
 * Control characters shown as escapes, as the byte display (echo.ts) shows them: C0 (but the line
 * feeds a caller keeps), DEL, C1, and the Unicode marks that reorder or break lines (bidi
 * overrides and isolates, the line and paragraph separators).
 */
export function printable(text: string, keepNewlines = false): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (keepNewlines && c === '\n') return c;
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Text for a Markdown table cell or paragraph: printable, on one line, no markup of its own. */
export function markdownText(text: string): string {
  return printable(text.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/[\\`*[\]<>|]/g, (c) => `\\${c}`);
}

/**
 * A results.csv cell a spreadsheet will not run: printable, and a leading `=`, `+`, `-`, `@` (or a
 * tab or CR, which some spreadsheets skip first) guarded with `'` (OWASP's CSV injection advice).
 */
export function csvText(text: string): string {
  const safe = printable(text);
  return /^[=+\-@\t\r]/.test(safe) ? `'${safe}` : safe;
}

/** A cell read back from results.csv, its guard removed. */
export function fromCsvText(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** Text for HTML: control characters shown as escapes, markup characters as entities. */
export function escapeHtml(text: string): string {
  return printable(text, true).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
