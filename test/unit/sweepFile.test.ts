import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineFlags, givenFlags, toSweepJob } from '../../src/cli/options.js';
import { expandValue, loadSweepFile, parseSweepFile } from '../../src/config/sweepFile.js';
import { UsageError } from '../../src/errors.js';

const SHIPPED = readdirSync('sweeps').filter((f) => f.endsWith('.yaml'));

describe('sweep files', () => {
  it('ships last-octet.yaml, smoke.yaml and one per firewall situation', () => {
    expect(SHIPPED).toEqual(expect.arrayContaining(['last-octet.yaml', 'smoke.yaml', 'dmz-inspection.yaml', 'linux-ftp-helper.yaml', 'behind-nat.yaml', 'reply-codes-only.yaml']));
  });

  it.each(SHIPPED)('%s is valid and becomes a sweep job once a host is given', (name) => {
    const file = parseSweepFile(readFileSync(`sweeps/${name}`, 'utf8'), `sweeps/${name}`);
    expect(file.values.description).toBeTruthy();
    const env = { FTPSWEEP_HOST: '192.0.2.10', FTPSWEEP_ADVERTISE: '198.51.100.7' };
    const job = toSweepJob(combineFlags({}, file, env), env);
    expect(job.options.host).toBe('192.0.2.10');
    expect(job.options.values.length).toBeGreaterThan(0);
  });

  it('smoke.yaml sweeps exactly the edge values and 227', () => {
    const file = parseSweepFile(readFileSync('sweeps/smoke.yaml', 'utf8'), 'sweeps/smoke.yaml');
    expect(toSweepJob(combineFlags({ host: 'h' }, file, {}), {}).options.values).toEqual([0, 1, 127, 128, 226, 227, 228, 255]);
  });

  it('command-line flags override the file; the file overrides the defaults', () => {
    const file = parseSweepFile('host: a.example\nport: 2121\nconcurrency: 8\nvalues: 1-3\n', 'x.yaml');
    const flags = combineFlags(givenFlags({ port: 21, concurrency: undefined, $0: 'ftpsweep', _: [] }), file, {});
    expect(flags).toMatchObject({ host: 'a.example', port: 21, concurrency: 8, values: '1-3', timeout: 5000, oracle: 'data' });
  });

  it('a ${VAR} is only needed when its key is used', () => {
    const file = parseSweepFile('host: ${NOT_SET_ANYWHERE}\n', 'x.yaml');
    expect(() => combineFlags({}, file, {})).toThrow(/x\.yaml: key "host" needs the environment variable NOT_SET_ANYWHERE/);
    expect(combineFlags({ host: 'given' }, file, {}).host).toBe('given');
    expect(expandValue('x.yaml', 'host', 'ftp.${D}.example', { D: 'corp' })).toBe('ftp.corp.example');
  });

  it.each([
    ['oracle: fast\n', /x\.yaml: key "oracle" is "fast", but must be one of data, reply/],
    ['hots: a\n', /x\.yaml: unknown key "hots"/],
    ['port: "21"\n', /x\.yaml: key "port" is "21", but must be a whole number/],
    ['values: {a: 1}\n', /x\.yaml: key "values" .* must be a value list/],
    ['command: FTP\n', /x\.yaml: key "command" is "FTP", but must be one of PORT, EPRT/],
    ['- a\n- b\n', /x\.yaml: expected a mapping/],
    ['host: [unclosed\n', /x\.yaml: not valid YAML/],
  ])('rejects %j with a one-line error naming the file and the key', (text, message) => {
    expect(() => parseSweepFile(text, 'x.yaml')).toThrow(UsageError);
    expect(() => parseSweepFile(text, 'x.yaml')).toThrow(message);
  });

  it('values given as a YAML list become a value list', () => {
    const file = parseSweepFile('host: h\nvalues: [5, 3, "10-11"]\n', 'x.yaml');
    expect(toSweepJob(combineFlags({}, file, {}), {}).options.values).toEqual([3, 5, 10, 11]);
  });

  it.each([
    ['host: h\nport: !!js/function "function () {}"\n', /x\.yaml: not valid YAML: .*js\/function/],
    ['%YAML 9.9\n---\nhost: h\n', /x\.yaml: not valid YAML: .*9\.9/],
  ])('a YAML warning (%j) is a one-line error, not a printed warning', (text, message) => {
    const emitted: string[] = [];
    const onWarning = (w: Error): number => emitted.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(() => parseSweepFile(text, 'x.yaml')).toThrow(message);
      try {
        parseSweepFile(text, 'x.yaml');
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    } finally {
      process.off('warning', onWarning);
    }
    expect(emitted).toEqual([]);
  });

  it('a sweep file larger than 64 KiB is refused before it is parsed (50 MB took 1.8 GB)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-bigfile-'));
    try {
      const big = path.join(dir, 'big.yaml');
      await writeFile(big, `host: h\ndescription: "${'x'.repeat(200_000)}"\n`);
      await expect(loadSweepFile(big)).rejects.toThrow(/big\.yaml is 200\d+ bytes; a sweep file holds at most 65536/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a device or a FIFO is refused without reading it (/dev/zero read 630 MB; an idle FIFO hung)', async () => {
    await expect(loadSweepFile('/dev/zero')).rejects.toThrow(/sweep file \/dev\/zero is not a regular file/);
    const dir = await mkdtemp(path.join(tmpdir(), 'ftpsweep-fifo-'));
    try {
      const fifo = path.join(dir, 'f.yaml');
      execFileSync('mkfifo', [fifo]);
      await expect(loadSweepFile(fifo)).rejects.toThrow(/is not a regular file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a "billion laughs" of nested aliases is a one-line error, not a stack trace', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'host: h'].join('\n');
    expect(() => parseSweepFile(bomb, 'x.yaml')).toThrow(UsageError);
    expect(() => parseSweepFile(bomb, 'x.yaml')).toThrow(/^x\.yaml: not valid YAML: .*alias/i);
  });
});
