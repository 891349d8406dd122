/**
 * A report folder holds one sweep, whole: --out never replaces a report unasked, a resume never
 * mixes two sweeps (even after a SIGKILL, before any summary was written at the end), and a full
 * disk leaves results.csv at its last whole row, with one line saying so — and --resume finishes
 * the sweep once there is room again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_COLUMNS } from '../../src/report/resultsCsv.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';
import { CLI, runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import { describeWhen, isRoot } from '../helpers/requirements.js';

let work: string;
let reflector: RunningServer;
let slow: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-folders-'));
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  slow = await startFirewall(reflector, [], 8);
});
afterAll(async () => {
  await Promise.all([slow, reflector].map((s) => s?.close()));
  if (work) await rm(work, { recursive: true, force: true });
});

const sweep = (out: string, ...extra: string[]) => runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--out', out, ...extra]);
const rowsIn = (file: string): Record<string, string>[] => (existsSync(file) ? (parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[]) : []);

describe('--out', () => {
  it('refuses a folder that already holds a report, naming it; --force replaces the report', async () => {
    const out = path.join(work, 'taken');
    expect((await sweep(out, '--values', '0-255')).code).toBe(0);
    const refused = await sweep(out, '--values', '0-3');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/already holds files \(.+\) — .*--resume \S*taken.*--force/);
    expect(rowsIn(path.join(out, 'results.csv'))).toHaveLength(256);
    expect(readFileSync(path.join(out, 'results.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(256);
    expect((await sweep(out, '--values', '0-3', '--force')).code).toBe(0);
    expect(rowsIn(path.join(out, 'results.csv'))).toHaveLength(4);
  });

  it('a --junit path that cannot be made is a one-line error before anything is probed (it used to spin at 91% CPU)', async () => {
    const started = performance.now();
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--out', path.join(work, 'junit'), '--junit', '/proc/nope/j.xml'], { timeoutMs: 10_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ftpsweep: cannot write \/proc\/nope\/j\.xml: .* — choose a writable place with --junit\n$/);
    expect(existsSync(path.join(work, 'junit', 'results.csv'))).toBe(false);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a sweep refused before any value was probed leaves no report: the same command runs again', async () => {
    const out = path.join(work, 'refused');
    // Port 1 on loopback: nothing listens there.
    const first = await runCli(['sweep', '--host', '127.0.0.1', '--port', '1', '--out', out]);
    expect(first.stderr).toMatch(/refused/);
    expect(existsSync(out)).toBe(false);
    const made = path.join(work, 'made-by-user');
    mkdirSync(made);
    await runCli(['sweep', '--host', '127.0.0.1', '--port', '1', '--out', made]);
    expect(readdirSync(made)).toEqual([]); // the user's own folder stays, empty
    const again = await runCli(['sweep', '--host', '127.0.0.1', '--port', '1', '--out', made]);
    expect(again.stderr).not.toMatch(/already holds files/);
    expect((await sweep(made, '--values', '1-2')).code).toBe(0);
  });

  it('refuses an empty path instead of writing into the current folder', async () => {
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--values', '1', '--out', ''], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ftpsweep: --out is empty — name a place/);
    expect(existsSync(path.join(work, 'results.csv'))).toBe(false);
    const blank = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--values', '1', '--out', ' '], { cwd: work });
    expect(blank.stderr).toMatch(/^ftpsweep: --out is empty/);
    expect(existsSync(path.join(work, ' '))).toBe(false);
  });
});

describe('--junit', () => {
  it.each<[string, (dir: string) => string, RegExp]>([
    ['a folder', () => tmpdir(), /is a folder/],
    ['a device', () => '/dev/null', /is not a regular file/],
    ['a symbolic link', (dir) => {
      writeFileSync(path.join(dir, 'real.xml'), 'keep');
      symlinkSync(path.join(dir, 'real.xml'), path.join(dir, 'link.xml'));
      return path.join(dir, 'link.xml');
    }, /is a symbolic link/],
    ['the report\'s own summary.json', (dir) => path.join(dir, 'out', 'summary.json'), /is the report's own summary\.json/],
    ['empty', () => '', /--junit is empty/],
    ['a dangling symbolic link', (dir) => {
      symlinkSync(path.join(dir, 'gone.xml'), path.join(dir, 'dangling.xml'));
      return path.join(dir, 'dangling.xml');
    }, /is a symbolic link/],
    ['the report\'s own file through a symlinked folder', (dir) => {
      mkdirSync(path.join(dir, 'out'));
      symlinkSync(path.join(dir, 'out'), path.join(dir, 'alias'));
      return path.join(dir, 'alias', 'results.csv');
    }, /is the report's own results\.csv/],
    ['another report\'s summary.json', (dir) => {
      mkdirSync(path.join(dir, 'other'));
      writeFileSync(path.join(dir, 'other', 'summary.json'), '{}');
      return path.join(dir, 'other', 'summary.json');
    }, /is a report's own summary\.json/],
  ])('%s is refused before anything is probed, and left as it was', async (_, target, message) => {
    const dir = mkdtempSync(path.join(work, 'junit-'));
    const junit = target(dir);
    const run = await sweep(path.join(dir, 'out'), '--values', '1', '--junit', junit);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(dir, 'out', 'results.csv'))).toBe(false);
    if (junit === '/dev/null') expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    if (junit.endsWith('link.xml')) expect(lstatSync(junit).isSymbolicLink()).toBe(true);
  });
});

describe('--resume after a SIGKILL', () => {
  it('the folder says what its sweep was from the start: another target or other values are refused', async () => {
    const out = path.join(work, 'killed');
    const child = spawn(process.execPath, [CLI, 'sweep', '--host', '127.0.0.1', '--port', String(slow.port), '--concurrency', '1', '--out', out], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const until = Date.now() + 20_000;
    while (rowsIn(path.join(out, 'results.csv')).length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ interrupted: true, complete: false, probes: 256 });
    const other = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--resume', out]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/is a different sweep \(target anonymous@127\.0\.0\.1:\d+\)/);
    const otherValues = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(slow.port), '--values', '0-9', '--resume', out]);
    expect(otherValues.stderr).toMatch(/is a different sweep \(values "0-255"\)/);
    const same = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(slow.port), '--resume', out, '--concurrency', '16'], { timeoutMs: 60_000 });
    expect(same.code).toBe(0);
    expect(rowsIn(path.join(out, 'results.csv'))).toHaveLength(256);
    expect(readFileSync(path.join(out, 'results.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(256);
    expect(JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'))).toMatchObject({ interrupted: false, complete: true, missing: [] });
  });
});

describe('what a killed process leaves', () => {
  it('a report file\'s temporary twin alone is not a report: the folder is taken, and the leftover removed', async () => {
    const out = path.join(work, 'leftover');
    mkdirSync(out);
    writeFileSync(path.join(out, '.summary.json.9564.tmp'), '{"tool"');
    expect((await sweep(out, '--values', '1-2')).code).toBe(0);
    expect(readdirSync(out)).not.toContain('.summary.json.9564.tmp');
  });

  it('the baseline is never the --junit file', async () => {
    const out = path.join(work, 'base');
    expect((await sweep(out, '--values', '1-2')).code).toBe(0);
    const copy = path.join(work, 'base.csv');
    writeFileSync(copy, readFileSync(path.join(out, 'results.csv')));
    const run = await sweep(path.join(work, 'base2'), '--values', '1-2', '--baseline', copy, '--junit', copy);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--junit .*base\.csv is .*base\.csv, which this command reads/);
  });
});

describe('--resume of a folder that cannot say what it holds', () => {
  it('without summary.json (or with a cut one) the rows are not taken on trust', async () => {
    const out = path.join(work, 'nosummary');
    expect((await sweep(out, '--values', '0-9')).code).toBe(0);
    rmSync(path.join(out, 'summary.json'));
    const run = await sweep(out, '--values', '0-20', '--resume', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nosummary cannot be resumed: .*summary\.json/);
    writeFileSync(path.join(out, 'summary.json'), '{"tool": {"na');
    expect((await sweep(out, '--values', '0-20', '--resume', out)).stderr).toMatch(/cannot be resumed: .*not valid JSON/);
  });

  it('another --advertise is another sweep', async () => {
    const out = path.join(work, 'advertised');
    expect((await sweep(out, '--values', '0-3')).code).toBe(0);
    const run = await sweep(out, '--values', '0-3', '--advertise', '127.0.0.5', '--resume', out);
    expect(run.stderr).toMatch(/is a different sweep \(advertise null\)/);
  });

  it('a results.csv left empty (killed before its header) resumes from nothing', async () => {
    const out = path.join(work, 'emptycsv');
    expect((await sweep(out, '--values', '0-3')).code).toBe(0);
    writeFileSync(path.join(out, 'results.csv'), '');
    const run = await sweep(out, '--values', '0-3', '--resume', out);
    expect(run.code).toBe(0);
    expect(rowsIn(path.join(out, 'results.csv'))).toHaveLength(4);
  });
});

describeWhen('a full disk', isRoot() ? undefined : 'a small disk (tmpfs) needs root to mount', () => {
  let disk: string;
  beforeAll(async () => {
    disk = await mkdtemp(path.join(tmpdir(), 'ftpsweep-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', disk], { encoding: 'utf8' });
    if (mounted.status !== 0) throw new Error(`mount tmpfs: ${mounted.stderr}`);
  });
  afterAll(async () => {
    if (!disk) return;
    spawnSync('umount', [disk]);
    await rm(disk, { recursive: true, force: true });
  });

  it('stops with one line naming it and the file, keeps only whole rows, and --resume finishes once there is room', async () => {
    const out = path.join(disk, 'r');
    const full = await sweep(out);
    expect(full.code).toBe(2);
    expect(full.stderr.trim().split('\n')).toHaveLength(1);
    // results.csv is written first in each batch; results.jsonl (the same rows) may be the one that fills the disk.
    expect(full.stderr).toMatch(new RegExp(`^ftpsweep: cannot write .*results\\.(csv|jsonl): the disk is full \\(ENOSPC\\) — free space on that disk .*--resume ${out}:`));
    const text = await readFile(path.join(out, 'results.csv'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const rows = parse(text, { columns: true, relax_column_count: false }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(256);
    for (const row of rows) expect(Object.keys(row)).toEqual([...RESULT_COLUMNS]);
    // The summary written at the start is whole (written beside, then renamed), not 0 bytes.
    expect(JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'))).toMatchObject({ interrupted: true, probes: 256 });

    expect(spawnSync('mount', ['-o', 'remount,size=16m', disk]).status).toBe(0);
    const resumed = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--resume', out]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resumed: ${rows.length} probes were done before`));
    expect(rowsIn(path.join(out, 'results.csv'))).toHaveLength(256);
    expect(readFileSync(path.join(out, 'results.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(256);
  });

  it('full before the first row: nothing is left, and the same command runs again once there is room', async () => {
    rmSync(path.join(disk, 'r'), { recursive: true, force: true });
    expect(spawnSync('mount', ['-o', 'remount,size=16k', disk]).status).toBe(0);
    const filler = path.join(disk, 'filler');
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1k', 'count=64'], { encoding: 'utf8' });
    const out = path.join(disk, 'early');
    const full = await sweep(out);
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/the disk is full \(ENOSPC\) — .*then run the same command again$/m);
    expect(existsSync(out)).toBe(false);
    rmSync(filler);
    expect(spawnSync('mount', ['-o', 'remount,size=16m', disk]).status).toBe(0);
    expect((await sweep(out)).code).toBe(0);
  });
});
