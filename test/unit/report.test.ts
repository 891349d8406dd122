import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matrixCsv, matrixText, verdictGrid } from '../../src/report/matrix.js';
import { RESULT_COLUMNS, resultsCsv } from '../../src/report/resultsCsv.js';
import { buildSummary, sweepExitCode } from '../../src/report/summary.js';
import { defaultReportDir, readReport, writeReport } from '../../src/report/reportFolder.js';
import { SWEEP_DEFAULTS, type SweepOptions } from '../../src/model/options.js';
import { valueResult } from '../../src/model/valueResult.js';
import { attempt, reply } from '../helpers/attempts.js';

function results() {
  return Array.from({ length: 256 }, (_, v) =>
    valueResult([
      v === 227
        ? attempt({ value: v, echo: 'PORT 127,0,0,1,124,22_\r\n', portReply: reply('501 Syntax error, "quoted", comma'), finalReply: undefined, data: { kind: 'not-tried' } })
        : attempt({ value: v, sent: `PORT 127,0,0,1,124,${v}`, expectedPort: 124 * 256 + v, data: { kind: 'arrived', port: 124 * 256 + v, bytes: 1 } }),
    ]),
  );
}

const OPTIONS: SweepOptions = { ...SWEEP_DEFAULTS, host: '127.0.0.1', port: 2100, password: 'hunter2-secret', passwordIsSecret: true, values: Array.from({ length: 256 }, (_, v) => v), advertise: undefined };

describe('results.csv', () => {
  it('has the columns in the documented order and one row per value', () => {
    const rows = parse(resultsCsv(results()), { columns: false }) as string[][];
    expect(rows[0]).toEqual(['value', 'sent', 'seen', 'reply_code', 'reply', 'data', 'verdict', 'repeat', 'detail', 'ms', 'variant']);
    expect(rows[0]).toEqual([...RESULT_COLUMNS]);
    expect(rows).toHaveLength(257);
  });

  it('quotes commas and quotes so the PORT arguments survive a round trip', () => {
    const rows = parse(resultsCsv(results()), { columns: true }) as Record<string, string>[];
    const bad = rows.find((r) => r.value === '227')!;
    expect(bad).toMatchObject({ sent: 'PORT 127,0,0,1,124,227', seen: 'PORT 127,0,0,1,124,22_', verdict: 'corrupted', repeat: '1/1', reply_code: '501', data: 'not-tried' });
    expect(bad.reply).toBe('501 Syntax error, "quoted", comma');
    expect(rows.filter((r) => r.verdict === 'pass')).toHaveLength(255);
  });
});

describe('matrix', () => {
  it('is 16 × 16 with row labels 0,16,…,240 and columns +0..+15', () => {
    const rows = parse(matrixCsv(results())) as string[][];
    expect(rows).toHaveLength(17);
    expect(rows[0]).toEqual(['', ...Array.from({ length: 16 }, (_, c) => `+${c}`)]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(Array.from({ length: 16 }, (_, r) => String(r * 16)));
    expect(rows.every((r) => r.length === 17)).toBe(true);
    // 227 = 224 + 3: row of 224, column +3.
    expect(rows[15]![4]).toBe('corrupted');
    expect(rows.slice(1).flatMap((r) => r.slice(1)).filter((c) => c === 'pass')).toHaveLength(255);
  });

  it('leaves values that were not probed empty', () => {
    const grid = verdictGrid(results().filter((r) => r.value < 10));
    expect(grid[0]![9]).toBe('pass');
    expect(grid[0]![10]).toBeUndefined();
    expect(grid[15]![15]).toBeUndefined();
  });

  it('marks failures in the console picture', () => {
    const text = matrixText(results());
    const row224 = text.split('\n').find((l) => l.trimStart().startsWith('224'))!;
    expect(row224.split(/\s+/).filter(Boolean)).toEqual(['224', '.', '.', '.', 'C', ...Array(12).fill('.')]);
  });
});

const NO_RETRIES = { total: 0, byStage: {}, example: null, concurrencyLoweredTo: null };

describe('summary.json and the report folder', () => {
  it('counts verdicts, lists failing values, never holds the password', () => {
    const r = results();
    const summary = buildSummary(OPTIONS, { startedAt: new Date(0), endedAt: new Date(1500), results: r, reflector: true, inspection: undefined, interrupted: false, stopped: undefined, retries: NO_RETRIES, offersChosenByServer: false });
    expect(summary.counts.pass).toBe(255);
    expect(summary.counts.corrupted).toBe(1);
    expect(summary.failing.map((f) => f.value)).toEqual([227]);
    expect(summary.exitCode).toBe(1);
    expect(summary.durationMs).toBe(1500);
    expect(JSON.stringify(summary)).not.toContain('hunter2');
  });

  it('exit code 0 when everything passed or was translated', () => {
    expect(sweepExitCode(results().filter((r) => r.value !== 227))).toBe(0);
    expect(sweepExitCode(results())).toBe(1);
  });

  it('default folder is reports/<host>-<port>-<YYYYMMDD-HHMMSS>', () => {
    expect(defaultReportDir('::1', 21, new Date(2026, 10, 29, 3, 4, 5))).toBe(path.join('reports', '__1-21-20261129-030405'));
  });

  it('writes the report folder and reads it back unchanged', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-report-'));
    try {
      const rows = results();
      const summary = buildSummary(OPTIONS, { startedAt: new Date(0), endedAt: new Date(1), results: rows, reflector: true, inspection: undefined, interrupted: false, stopped: undefined, retries: NO_RETRIES, offersChosenByServer: false }, { dialogueValue: '227' });
      const files = await writeReport(path.join(dir, 'out'), summary, rows, '  +1 ms > PORT 127,0,0,1,124,227');
      expect(files.map((f) => path.basename(f))).toEqual(['results.csv', 'matrix.csv', 'summary.json', 'report.html', 'report.md', 'dialogue.txt']);
      const json = JSON.parse(await readFile(files[2]!, 'utf8'));
      expect(json.target).toEqual({ host: '127.0.0.1', port: 2100, user: 'anonymous' });
      const back = await readReport(path.join(dir, 'out'));
      expect(back.summary).toEqual(summary);
      expect(back.dialogue).toBe('  +1 ms > PORT 127,0,0,1,124,227');
      const strip = ({ judged: _, ...row }: (typeof rows)[number]) => row;
      expect(back.rows).toEqual(rows.map(strip));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
