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
      const stream = new ResultsStream(path.join(dir, 'r'), (row) => row.value);
      const row = (value: number): ResultRow => ({ value, variant: 'plain', verdict: 'pass', sent: `PORT ${value}`, seen: '', replyCode: 200, reply: '200 ok', data: { kind: 'arrived' }, failures: 0, attempts: 1, detail: `line\nbreak ${value}`, ms: 1 });
      stream.add(row(2));
      stream.add(row(1));
      expect(stream.held).toBe(2); // waiting for 0
      stream.add(row(0));
      expect(stream.held).toBe(0);
      stream.add(row(3));
      await stream.close();
      const rows = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => r.value)).toEqual(['0', '1', '2', '3']);
      const lines = (await readFile(path.join(dir, 'r', 'results.jsonl'), 'utf8')).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l))).toEqual([0, 1, 2, 3].map(row));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('results.jsonl has one typed object per row, without the evidence a sweep row carries', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-stream-'));
    try {
      const stream = new ResultsStream(dir, () => 0);
      const row = { value: 227, variant: 'plain', verdict: 'corrupted', sent: 'PORT 1,2,3,4,64,227', seen: 'PORT 1,2,3,4,64,22_', replyCode: undefined, reply: '', data: { kind: 'wrong-port', port: 16406 }, failures: 3, attempts: 3, detail: 'x', ms: 2, judged: [{ secret: 'evidence' }] } as unknown as ResultRow;
      stream.add(row);
      await stream.close();
      const text = await readFile(path.join(dir, 'results.jsonl'), 'utf8');
      expect(text).toBe('{"value":227,"variant":"plain","verdict":"corrupted","sent":"PORT 1,2,3,4,64,227","seen":"PORT 1,2,3,4,64,22_","reply":"","data":{"kind":"wrong-port","port":16406},"failures":3,"attempts":3,"detail":"x","ms":2}\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
