import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { sweptResults } from '../helpers/rows.js';
import { csvLines, parseResultsCsv, RESULT_COLUMNS, resultsCsv } from '../../src/report/resultsCsv.js';

describe('results.csv', () => {
  it('has the columns in the documented order and one row per value', () => {
    const rows = parse(resultsCsv(sweptResults()), { columns: false }) as string[][];
    expect(rows[0]).toEqual(['value', 'sent', 'seen', 'reply_code', 'reply', 'data', 'verdict', 'repeat', 'detail', 'ms', 'variant', 'failures', 'attempts']);
    expect(rows).toHaveLength(257);
  });

  it('quotes commas and quotes so the PORT arguments survive a round trip', () => {
    const rows = parse(resultsCsv(sweptResults()), { columns: true }) as Record<string, string>[];
    const bad = rows.find((r) => r.value === '227')!;
    expect(bad).toMatchObject({ sent: 'PORT 127,0,0,1,124,227', seen: 'PORT 127,0,0,1,124,22_', verdict: 'corrupted', repeat: '1/1', reply_code: '501', data: 'not-tried', failures: '1', attempts: '1' });
    expect(bad.reply).toBe('501 Syntax error, "quoted", comma');
    expect(rows.filter((r) => r.verdict === 'pass')).toHaveLength(255);
  });

  it('failures and attempts are plain numbers, unquoted, so a spreadsheet does not read 3/3 as a date', () => {
    const line = resultsCsv(sweptResults()).split('\n').find((l) => l.startsWith('227,'))!;
    expect(line).toMatch(/,plain,1,1$/);
  });

  it('reads back what it writes, and a results.csv written before failures and attempts existed', () => {
    const rows = sweptResults().map(({ judged: _, ...row }) => row);
    const text = resultsCsv(rows);
    expect(parseResultsCsv(text, 'new.csv')).toEqual(rows);
    // The same file as earlier versions wrote it: the last two columns absent.
    const old = text.replace(/,failures,attempts\n/, '\n').replace(/,\d+,\d+\n/g, '\n');
    expect(old.split('\n')[0]).toBe('value,sent,seen,reply_code,reply,data,verdict,repeat,detail,ms,variant');
    expect(parseResultsCsv(old, 'old.csv')).toEqual(rows);
  });

  it('refuses a row whose failures and attempts disagree with repeat', () => {
    const text = resultsCsv(sweptResults()).replace(/,plain,1,1\n/, ',plain,0,1\n');
    expect(() => parseResultsCsv(text, 'edited.csv')).toThrow(/edited\.csv: line 229: failures "0" and attempts "1" disagree with repeat 1\/1/);
  });
});

describe('results.csv lines', () => {
  // Cells from an alphabet rich in what CSV must quote: commas, quotes, CR, LF, spaces, and
  // formula-like starts; numbers too.
  const cell = fc.oneof(
    fc.integer({ min: -5, max: 70000 }),
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', '"', '\r', '\n', ' ', '=', '-', '|', 'é'), maxLength: 12 }),
  );
  const row = fc.array(cell, { minLength: RESULT_COLUMNS.length, maxLength: RESULT_COLUMNS.length });

  it('are byte for byte what csv-stringify writes, with and without the header', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), fc.boolean(), (rows, header) => {
        expect(csvLines(rows, header)).toBe(stringify(rows, { header, columns: [...RESULT_COLUMNS] }));
      }),
      { numRuns: 500 },
    );
  });

  it('a cell with a quote or a line break is still quoted by csv-stringify, and reads back', () => {
    const cells = RESULT_COLUMNS.map((_, i) => (i === 4 ? '501 say "hi",\r\nbye' : `c${i}`));
    const text = csvLines([cells], true);
    expect((parse(text, { columns: false }) as string[][])[1]).toEqual(cells);
  });
});
