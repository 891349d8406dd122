import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sweptResults } from '../helpers/rows.js';
import { resultsCsv } from '../../src/report/resultsCsv.js';

describe('results.csv', () => {
  it('has the columns in the documented order and one row per value', () => {
    const rows = parse(resultsCsv(sweptResults()), { columns: false }) as string[][];
    expect(rows[0]).toEqual(['value', 'sent', 'seen', 'reply_code', 'reply', 'data', 'verdict', 'repeat', 'detail', 'ms', 'variant']);
    expect(rows).toHaveLength(257);
  });

  it('quotes commas and quotes so the PORT arguments survive a round trip', () => {
    const rows = parse(resultsCsv(sweptResults()), { columns: true }) as Record<string, string>[];
    const bad = rows.find((r) => r.value === '227')!;
    expect(bad).toMatchObject({ sent: 'PORT 127,0,0,1,124,227', seen: 'PORT 127,0,0,1,124,22_', verdict: 'corrupted', repeat: '1/1', reply_code: '501', data: 'not-tried' });
    expect(bad.reply).toBe('501 Syntax error, "quoted", comma');
    expect(rows.filter((r) => r.verdict === 'pass')).toHaveLength(255);
  });
});
