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

describe('report.html: marks and wording', () => {
  it('marks nothing where sent and seen are equal (an empty <mark> shows as a sliver)', () => {
    const same = rows().map((r) => (r.value === 100 ? { ...r, verdict: 'timeout' as const, seen: r.sent, failures: 1, attempts: 1 } : r));
    const html = htmlReport({ ...summary, counts: { ...summary.counts, timeout: 1 } }, same, DIALOGUE);
    expect(html).toContain('<code>PORT 127,0,0,1,64,100</code><br><code>PORT 127,0,0,1,64,100</code>');
    expect(html).not.toMatch(/<mark><\/mark>/);
  });

  it('"What this means" names the dialogue without placing it "below" (it is above), and no report speaks of a seed', () => {
    const html = htmlReport(summary, rows(), DIALOGUE);
    const md = markdownReport(summary, rows(), DIALOGUE);
    for (const text of [html, md]) {
      expect(text).not.toMatch(/seed/i);
      expect(text).not.toMatch(/dialogue below/);
      expect(text).toMatch(/the example firewall/);
    }
    expect(md).toMatch(/the dialogue of one failing probe \(dialogue\.txt, or: ftpsweep probe --value V\)/);
  });
});

describe('2-D reports', () => {
  // p1 4..9 × p2 0..255, p2 227 corrupted in every row: a whole column.
  const plane: ResultRow[] = rows().flatMap(() => []);
  for (let p1 = 4; p1 <= 9; p1++) for (const r of rows()) plane.push({ ...r, value: p1 * 256 + r.value, sent: `PORT 127,0,0,1,${p1},${r.value}` });
  const summary2 = makeSummary({
    target: { host: '192.0.2.1', port: 21, user: 'anonymous' },
    options: summaryView({ ...SWEEP_DEFAULTS, host: '192.0.2.1', fields: ['p1', 'p2'], values: Array.from({ length: 256 }, (_, v) => v) }).options,
    startedAt: new Date(0),
    endedAt: new Date(2000),
    reflector: true,
    rows: plane,
    dialogueValue: '4,227',
  });

  it('report.md and report.html say which column fails in every row', () => {
    const md = markdownReport(summary2, plane);
    expect(md).toContain('- 6 of 1,536 values failed, in 6 rows (p1 4-9) and 1 column (p2 227)\n- p2 227 fails in every row: whatever p1 is');
    const html = htmlReport(summary2, plane);
    expect(html).toContain('<ul id="plane-summary"><li>6 of 1,536 values failed, in 6 rows (p1 4-9) and 1 column (p2 227)</li><li>p2 227 fails in every row: whatever p1 is</li></ul>');
  });

  it('report.html labels the axes, p1 down and p2 across, with ticks every 16 and numbers every 32', () => {
    const html = htmlReport(summary2, plane);
    expect(html).toContain('<div class="y-title">p1 ↓</div><div class="x-title">p2 →</div>');
    const xTicks = html.slice(html.indexOf('<div class="x-ticks">'), html.indexOf('<div class="y-ticks">'));
    expect(xTicks.match(/class="tick/g)).toHaveLength(16);
    expect([...xTicks.matchAll(/class="label" style="left:(\d+)px">(\d+)</g)].map((m) => [Number(m[1]), Number(m[2])])).toEqual(
      Array.from({ length: 8 }, (_, i) => [i * 32 * 3 + 1, i * 32]),
    );
    expect(html).toMatch(/<canvas id="plane" width="768" height="768"/);
  });
});
