/**
 * Hostile text from a server never reaches a terminal or a document raw: ANSI escapes (one sets the
 * window title), BEL, CR and backspace are shown escaped on the console, in dialogue.txt,
 * report.md, report.html and results.csv; report.md carries no HTML of the server's; a CSV cell a
 * spreadsheet would run as a formula is guarded.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecord } from '../../src/report/resultsCsv.js';
import { csvText, fromCsvText, markdownText, printable } from '../../src/report/safeText.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { runCli } from '../helpers/cli.js';
import { startMisbehavingPeer } from '../helpers/peers.js';
import { resultRow } from '../helpers/rows.js';
import { echoTag } from '../../src/ftp/echo.js';

const HOSTILE = '\x1b]0;pwned\x07\x1b[2Jgone\r over\bwritten <img src=x onerror=alert(1)> *bold* [link](http://x)';
/** Any control character but the line feeds that end lines. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('remote text, made safe where it is written', () => {
  it.each([
    ['\x1b]0;title\x07', '\\x1b]0;title\\x07'],
    ['a\rb\bc\x7f', 'a\\rb\\x08c\\x7f'],
    ['\u202eevil', '\\u202eevil'],
    ['plain text, é kept', 'plain text, é kept'],
  ])('printable(%j) = %j', (text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  it('Markdown: no HTML, link or emphasis of the server\'s own', () => {
    expect(markdownText('<img src=x onerror=alert(1)> [a](b) *c* a|b & `d`')).toBe('\\<img src=x onerror=alert(1)\\> \\[a\\](b) \\*c\\* a\\|b &amp; \\`d\\`');
  });

  it('CSV: a cell a spreadsheet would run as a formula is guarded, and read back as it was', () => {
    for (const formula of ['=HYPERLINK("http://x")', '+1', '-1+1', '@SUM(A1)']) {
      expect(csvText(formula)).toBe(`'${formula}`);
      expect(fromCsvText(csvText(formula))).toBe(formula);
    }
    expect(csvRecord({ ...resultRow(7, 'rejected'), reply: '=cmd|"/c calc"!A1' }).reply).toBe('\'=cmd|"/c calc"!A1');
    expect(csvText('500 no')).toBe('500 no');
  });
});

describe('a server whose replies carry escapes and markup', () => {
  let peer: RunningServer;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-hostile-text-'));
    peer = await startMisbehavingPeer([2], (s) => s.reply(500, HOSTILE));
  });
  afterAll(async () => {
    await peer?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the console, dialogue.txt, report.md, report.html and results.csv show it escaped', async () => {
    const out = path.join(work, 'r');
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(peer.port), '--values', '1-3', '--confirm', '0', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\\x1b]0;pwned\\x07');
    expect(run.stdout).not.toMatch(CONTROL);
    for (const file of ['dialogue.txt', 'report.md', 'report.html', 'results.csv']) {
      const text = await readFile(path.join(out, file), 'utf8');
      expect(text, file).not.toMatch(CONTROL);
      expect(text, file).toContain('\\x1b');
    }
    const md = await readFile(path.join(out, 'report.md'), 'utf8');
    // Outside code (where Markdown shows text as it is), the server's markup is escaped.
    const prose = md.replace(/```[\s\S]*?```/g, '').replace(/``? [^`]*? ``?|`[^`]*`/g, '');
    expect(prose).toContain('\\<img');
    expect(prose).not.toMatch(/(^|[^\\])<img/);
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
  });

  it('a server that echoes the command back with escapes in it: the sent/seen block of report.md shows them escaped', async () => {
    // An echo in the reflector's tag, of a line "changed" by escapes and a Markdown fence.
    const quoting = await startMisbehavingPeer([], () => undefined, {
      directive: 'PORT',
      needsLogin: true,
      syntax: 'PORT h1,h2,h3,h4,p1,p2',
      description: 'echoes the line back as the reflector does, changed',
      handler: (s, arg) => s.reply(500, `no ${echoTag(Buffer.from(`PORT ${arg}\x1b]0;pwned\x07\`\`\`<img src=x>\r\n`, 'latin1'))}`),
    });
    try {
      const out = path.join(work, 'quoted');
      const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(quoting.port), '--values', '1-3', '--confirm', '0', '--out', out]);
      expect(run.code).toBe(1);
      const md = await readFile(path.join(out, 'report.md'), 'utf8');
      expect(md).not.toMatch(CONTROL);
      const block = /^(`{3,})\nsent {2}(.*)\nseen {2}(.*)\n( *)\^+\n\1$/m.exec(md);
      expect(block, md).not.toBeNull();
      expect(block![1]!.length).toBeGreaterThan(3); // longer than the server's own ``` run
      expect(block![3]).toContain('\\x1b]0;pwned\\x07');
      // The carets sit under the first byte that differs, in the printable line.
      expect(block![3]!.slice(block![4]!.length - 6)).toMatch(/^\\x1b/);
    } finally {
      await quoting.close();
    }
  });
});
