import { describe, expect, it } from 'vitest';
import { summaryView, SWEEP_DEFAULTS } from '../../src/config/options.js';
import type { ResultRow } from '../../src/model/valueResult.js';
import { htmlReport } from '../../src/report/htmlReport.js';
import { markdownReport } from '../../src/report/markdownReport.js';
import { makeSummary } from '../../src/report/summary.js';

const HOSTILE = '<script>alert(1)</script>|`x`';

function rows(): ResultRow[] {
  return Array.from({ length: 256 }, (_, value) => ({
    value,
    variant: 'plain' as const,
    verdict: value === 227 ? 'corrupted' : 'pass',
    sent: `PORT 127,0,0,1,64,${value}`,
    seen: value === 227 ? 'PORT 127,0,0,1,64,22_' : `PORT 127,0,0,1,64,${value}`,
    replyCode: value === 227 ? 501 : 226,
    reply: value === 227 ? `501 ${HOSTILE}` : '200 ok | 150 go | 226 done',
    data: { kind: value === 227 ? 'not-tried' : 'arrived' } as const,
    failures: value === 227 ? 3 : 0,
    attempts: value === 227 ? 3 : 1,
    detail: value === 227 ? `the far side received 22_ ${HOSTILE}` : 'data connection reached port',
    ms: 4,
  }));
}

const summary = makeSummary({
  target: { host: '192.0.2.1', port: 21, user: 'anonymous' },
  options: summaryView({ ...SWEEP_DEFAULTS, host: '192.0.2.1', values: rows().map((r) => r.value) }).options,
  startedAt: new Date(0),
  endedAt: new Date(2000),
  reflector: true,
  rows: rows(),
  dialogueValue: '227',
});
const DIALOGUE = '   +1 ms > PORT 127,0,0,1,64,227\n   +2 ms < 501 nope';

describe('report.md', () => {
  const md = markdownReport(summary, rows(), DIALOGUE);

  it('names the target, the result, the matrix with 227 marked, and the failing value with carets', () => {
    expect(md).toMatch(/^# ftpsweep report: 192\.0\.2\.1:21/);
    expect(md).toContain('**1 of 256 values failed.** pass 255 · corrupted 1');
    expect(md).toMatch(/\| \*\*224\*\* \| \. \| \. \| \. \| \*\*C\*\* \|/);
    expect(md).toContain('sent  PORT 127,0,0,1,64,227\nseen  PORT 127,0,0,1,64,22_\n                          ^');
  });

  it('includes the dialogue and explains only the verdicts present', () => {
    expect(md).toContain('## Dialogue of one failing probe (value 227)');
    expect(md).toContain(DIALOGUE);
    expect(md).toContain('**corrupted**:');
    expect(md).not.toContain('**no-data**:');
  });

  it('keeps server text from breaking the tables', () => {
    const tableRow = md.split('\n').find((l) => l.startsWith('| 227 |'))!;
    expect(tableRow.split(/(?<!\\)\|/).length).toBe(9); // 7 columns, pipes inside escaped
  });
});

describe('report.html', () => {
  const html = htmlReport(summary, rows(), DIALOGUE);

  it('is self-contained: no external scripts, styles, fonts or images', () => {
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('has 256 cells, 227 marked failing, and the differing bytes marked', () => {
    expect(html.match(/<td class="v-[^"]*" data-value=/g)).toHaveLength(256);
    expect(html).toMatch(/<td class="v-corrupted failing" data-value="227" data-variant="plain" data-verdict="corrupted"/);
    expect(html).toContain('<code>PORT 127,0,0,1,64,22<mark>7</mark></code><br><code>PORT 127,0,0,1,64,22<mark>_</mark></code>');
  });

  it('escapes everything a server sent, including inside the embedded rows', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('\\u003cscript>alert(1)\\u003c/script>');
  });
});
