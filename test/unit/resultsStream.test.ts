import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../src/model/valueResult.js';
import { ResultsStream } from '../../src/report/resultsStream.js';

describe('results.csv while the sweep runs', () => {
  it('writes rows in sweep order as soon as every earlier row is final', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-stream-'));
    try {
      const file = path.join(dir, 'r', 'results.csv');
      const stream = new ResultsStream(file, (row) => row.value);
      const row = (value: number): ResultRow => ({ value, variant: 'plain', verdict: 'pass', sent: `PORT ${value}`, seen: '', replyCode: 200, reply: '200 ok', data: { kind: 'arrived' }, failures: 0, attempts: 1, detail: 'd', ms: 1 });
      stream.add(row(2));
      stream.add(row(1));
      expect(stream.held).toBe(2); // waiting for 0
      stream.add(row(0));
      expect(stream.held).toBe(0);
      stream.add(row(3));
      await stream.close();
      const rows = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.value)).toEqual(['0', '1', '2', '3']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
