import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../../src/report/baseline.js';
import { junitXml } from '../../src/report/junit.js';
import { makeSummary, summaryOptions } from '../../src/report/summary.js';
import { parseShard, shardItems } from '../../src/model/shard.js';
import { SWEEP_DEFAULTS } from '../../src/model/options.js';
import type { ResultRow } from '../../src/model/valueResult.js';
import type { Verdict } from '../../src/model/judgement.js';
import { UsageError } from '../../src/errors.js';

function row(value: number, verdict: Verdict, detail = ''): ResultRow {
  return { value, variant: 'plain', verdict, sent: `PORT 127,0,0,1,64,${value}`, seen: '', replyCode: 200, reply: '200 ok', data: 'arrived', failures: verdict === 'pass' ? 0 : 1, attempts: 1, detail, ms: 3 };
}

describe('baseline comparison', () => {
  const before = [row(1, 'pass'), row(2, 'corrupted'), row(3, 'no-data'), row(4, 'timeout'), row(5, 'error'), row(6, 'translated')];
  const now = [row(1, 'corrupted'), row(2, 'corrupted'), row(3, 'pass'), row(4, 'reset'), row(5, 'rejected'), row(6, 'pass'), row(7, 'timeout'), row(8, 'pass')];
  const c = compareWithBaseline(now, before, 'old/results.csv');

  it.each([
    ['pass → corrupted is a new failure', 'newFailures', ['1', '5', '7']],
    ['failing → pass is fixed', 'fixed', ['3']],
    ['the same failure is unchanged', 'unchanged', ['2']],
  ] as const)('%s', (_, key, values) => {
    expect(c[key]).toEqual(values);
  });

  it('a different failure is listed but is not worse (both fail)', () => {
    expect(c.changed).toEqual([{ value: '4', from: 'timeout', to: 'reset' }]);
  });

  it('translated → pass changes nothing', () => {
    expect([...c.newFailures, ...c.fixed, ...c.unchanged, ...c.changed.map((x) => x.value)]).not.toContain('6');
  });
});

describe('JUnit XML', () => {
  const rows = [row(1, 'pass'), row(2, 'corrupted', 'saw "22_" <instead> & more'), row(3, 'no-data')];
  const summary = (baseline = false) =>
    makeSummary({
      target: { host: '192.0.2.1', port: 21, user: 'anonymous' },
      options: summaryOptions({ ...SWEEP_DEFAULTS, host: 'x', passwordIsSecret: false, values: [1, 2, 3], advertise: undefined }),
      startedAt: new Date(0),
      endedAt: new Date(1500),
      reflector: false,
      rows,
      baseline: baseline ? compareWithBaseline(rows, [row(1, 'pass'), row(2, 'corrupted'), row(3, 'pass')], 'b') : null,
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

describe('shards', () => {
  it('K/N takes every N-th value from the K-th; the shards cover all values once', () => {
    const values = Array.from({ length: 256 }, (_, v) => v);
    const shards = [1, 2, 3].map((k) => shardItems(values, parseShard(`${k}/3`)));
    expect(shards[0]!.slice(0, 3)).toEqual([0, 3, 6]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(values);
    expect(shards.map((s) => s.length)).toEqual([86, 85, 85]);
  });

  it.each(['0/2', '3/2', '1/0', 'a/b', '1', '1/300'])('rejects %j', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });
});
