import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweptResults } from '../helpers/rows.js';
import { SWEEP_DEFAULTS } from '../../src/config/options.js';
import { type SweepOptions } from '../../src/config/settings.js';
import { defaultReportDir, readReport, writeReport } from '../../src/report/reportFolder.js';
import { buildSummary, combineInspections, sweepExitCode } from '../../src/report/summary.js';

const OPTIONS: SweepOptions = { ...SWEEP_DEFAULTS, host: '127.0.0.1', port: 2100, password: 'hunter2-secret', values: Array.from({ length: 256 }, (_, v) => v), advertise: undefined };

const NO_RETRIES = { total: 0, byStage: {}, example: null, concurrencyLoweredTo: null };

describe('summary.json and the report folder', () => {
  it('counts verdicts, lists failing values, never holds the password', () => {
    const r = sweptResults();
    const summary = buildSummary(OPTIONS, { startedAt: new Date(0), endedAt: new Date(1500), results: r, reflector: true, inspection: undefined, interrupted: false, stopped: undefined, retries: NO_RETRIES, offersChosenByServer: false });
    expect(summary.counts.pass).toBe(255);
    expect(summary.counts.corrupted).toBe(1);
    expect(summary.failing.map((f) => f.value)).toEqual([227]);
    expect(summary.exitCode).toBe(1);
    expect(summary.durationMs).toBe(1500);
    expect(JSON.stringify(summary)).not.toContain('hunter2');
  });

  it('exit code 0 when everything passed or was translated', () => {
    expect(sweepExitCode(sweptResults().filter((r) => r.value !== 227))).toBe(0);
    expect(sweepExitCode(sweptResults())).toBe(1);
  });

  it('joins the control-channel findings of several runs: every distinct one, none dropped', () => {
    const syst = { checked: ['SYST', 'echo'], findings: [] };
    const rewritten = { checked: ['SYST', 'echo', 'address'], findings: ['rewritten in transit (value 227)'] };
    expect(combineInspections([null, undefined])).toBeNull();
    expect(combineInspections([syst, null])).toEqual(syst);
    expect(combineInspections([syst, rewritten, rewritten])).toEqual(rewritten);
    expect(combineInspections([{ checked: ['SYST'], findings: ['SYST masked'] }, rewritten])).toEqual({ checked: ['SYST', 'echo', 'address'], findings: ['SYST masked', 'rewritten in transit (value 227)'] });
  });

  it('default folder is reports/<host>-<port>-<YYYYMMDD-HHMMSS>', () => {
    expect(defaultReportDir('::1', 21, new Date(2026, 10, 29, 3, 4, 5))).toBe(path.join('reports', '__1-21-20261129-030405'));
  });

  it('writes the report folder and reads it back unchanged', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-report-'));
    try {
      const rows = sweptResults();
      const summary = buildSummary(OPTIONS, { startedAt: new Date(0), endedAt: new Date(1), results: rows, reflector: true, inspection: undefined, interrupted: false, stopped: undefined, retries: NO_RETRIES, offersChosenByServer: false }, { dialogueValue: '227' });
      const files = await writeReport(path.join(dir, 'out'), summary, rows, '  +1 ms > PORT 127,0,0,1,124,227');
      expect(files.map((f) => path.basename(f))).toEqual(['results.csv', 'results.jsonl', 'matrix.csv', 'summary.json', 'report.html', 'report.md', 'dialogue.txt']);
      const json = JSON.parse(await readFile(files[3]!, 'utf8'));
      expect(json.target).toEqual({ host: '127.0.0.1', port: 2100, user: 'anonymous' });
      const back = await readReport(path.join(dir, 'out'));
      expect(back.summary).toEqual(summary);
      expect(back.dialogue).toBe('  +1 ms > PORT 127,0,0,1,124,227');
      const strip = ({ judged: _, ...row }: (typeof rows)[number]) => row;
      expect(back.rows).toEqual(rows.map(strip));
      // results.jsonl holds the same rows, typed, one per line (replyCode absent where there was none).
      const records = (await readFile(files[1]!, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(records).toEqual(JSON.parse(JSON.stringify(rows.map(strip))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
