import { describe, expect, it } from 'vitest';
import { resultRow } from '../helpers/rows.js';
import { summaryView, SWEEP_DEFAULTS } from '../../src/config/options.js';
import { compareWithBaseline } from '../../src/report/baseline.js';
import { junitXml } from '../../src/report/junit.js';
import { makeSummary } from '../../src/report/summary.js';

describe('JUnit XML', () => {
  const rows = [resultRow(1, 'pass'), resultRow(2, 'corrupted', 'saw "22_" <instead> & more'), resultRow(3, 'no-data')];
  const summary = (baseline = false) =>
    makeSummary({
      target: { host: '192.0.2.1', port: 21, user: 'anonymous' },
      options: summaryView({ ...SWEEP_DEFAULTS, host: 'x', values: [1, 2, 3] }).options,
      startedAt: new Date(0),
      endedAt: new Date(1500),
      reflector: false,
      rows,
      baseline: baseline ? compareWithBaseline(rows, [resultRow(1, 'pass'), resultRow(2, 'corrupted'), resultRow(3, 'pass')], 'b') : null,
    });

  it('has one test case per value, failures carrying sent/seen/detail, text escaped', () => {
    const xml = junitXml(summary(), rows);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('tests="3" failures="2" errors="0" skipped="0" time="1.500"');
    expect(xml).toContain('<failure message="corrupted: saw &quot;22_&quot; &lt;instead&gt; &amp; more" type="corrupted">sent: PORT 127,0,0,1,64,2');
    expect(xml).not.toMatch(/<instead>/);
  });

  it('with a baseline, known failures are skipped and only new ones fail', () => {
    const xml = junitXml(summary(true), rows);
    expect(xml).toContain('failures="1" errors="0" skipped="1"');
    expect(xml).toMatch(/name="value 2"[^>]*>\s*<skipped message="known failure \(in the baseline\): corrupted"/);
    expect(xml).toMatch(/name="value 3"[^>]*>\s*<failure message="no-data/);
  });
});
