/**
 * The control-channel check's findings from the sweep's own rows (sweepFindings): translated and
 * rewritten data-port commands, only when the reflector's echo makes them certain.
 */
import { describe, expect, it } from 'vitest';
import { sweepFindings, type InspectionReport } from '../../src/sweep/inspection.js';
import type { ValueResult } from '../../src/sweep/valueResult.js';
import type { Verdict } from '../../src/sweep/verdict.js';

const CHECKED: InspectionReport = { checked: ['SYST', 'echo'], findings: [] };

function row(value: number, verdict: Verdict, seen: string): ValueResult {
  const sent = `PORT 127,0,0,1,64,${value}`;
  return { value, variant: 'plain', verdict, sent, seen, replyCode: 200, reply: '200 ok', data: 'arrived', failures: 0, attempts: 1, detail: '', ms: 1, judged: [] };
}

const passing = Array.from({ length: 256 }, (_, v) => row(v, 'pass', `PORT 127,0,0,1,64,${v}`));
const corrupt = (v: number): ValueResult => row(v, 'corrupted', `PORT 127,0,0,1,64,${String(v).slice(0, -1)}_`);

describe('sweepFindings', () => {
  it('every row passed: the address was checked and nothing found', () => {
    expect(sweepFindings(CHECKED, passing, true)).toEqual({ checked: ['SYST', 'echo', 'address'], findings: [] });
  });

  it('without the reflector echo nothing is claimed, not even the check', () => {
    expect(sweepFindings(CHECKED, [corrupt(227)], false)).toBe(CHECKED);
  });

  it('one corrupted value names the bytes the far side saw', () => {
    const rows = passing.map((r) => (r.value === 227 ? corrupt(227) : r));
    expect(sweepFindings(CHECKED, rows, true).findings).toEqual(['the far side saw "PORT 127,0,0,1,64,22_" for "PORT 127,0,0,1,64,227": data-port commands are rewritten in transit (value 227)']);
  });

  it('many corrupted values: eight named, then the count', () => {
    const rows = Array.from({ length: 10 }, (_, i) => corrupt(200 + i));
    const [finding] = sweepFindings(CHECKED, rows, true).findings;
    expect(finding).toMatch(/\(values 200, 201, 202, 203, 204, 205, 206, 207, … \(10 in all\)\)$/);
  });

  it('a corrupted row without what was seen (e.g. no data came) is no evidence of a rewrite', () => {
    expect(sweepFindings(CHECKED, [row(5, 'corrupted', '')], true).findings).toEqual([]);
  });

  it('a translated address and a rewrite are two findings', () => {
    const rows = [row(1, 'translated', 'PORT 203,0,113,2,64,1'), corrupt(227)];
    const { findings } = sweepFindings(CHECKED, rows, true);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/address is translated/);
    expect(findings[1]).toMatch(/rewritten in transit \(value 227\)/);
  });
});
