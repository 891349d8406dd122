/**
 * The ticket and CI workflow through the CLI: sweep files, baselines, JUnit, shards and merge, and
 * re-rendering a report folder — against a loopback reflector behind simulated firewalls.
 */
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

let work: string;
let reflector: RunningServer;
let broken227: RunningServer;
let broken227and100: RunningServer;
let other: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-workflow-'));
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  const firewall = (corrupt: number[]) => startFirewall(reflector, corrupt);
  broken227 = await firewall([227]);
  broken227and100 = await firewall([227, 100]);
  other = await startReflector({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await Promise.all([broken227, broken227and100, other, reflector].map((s) => s?.close()));
  await rm(work, { recursive: true, force: true });
});

const at = (name: string): string => path.join(work, name);
const sweep = (port: number, ...extra: string[]) => runCli(['sweep', '--host', '127.0.0.1', '--port', String(port), '--confirm', '1', ...extra]);

async function rows(dir: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path.join(dir, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
}

/** results.jsonl's records, after checking they are results.csv's rows, typed, in the same order. */
async function records(dir: string): Promise<Record<string, unknown>[]> {
  const lines = (await readFile(path.join(dir, 'results.jsonl'), 'utf8')).split('\n');
  expect(lines.pop()).toBe('');
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const csv = await rows(dir);
  expect(parsed.map((r) => [r.value, r.verdict, r.failures, r.attempts, r.sent])).toEqual(csv.map((r) => [Number(r.value), r.verdict, Number(r.failures), Number(r.attempts), r.sent]));
  return parsed;
}

describe('sweep files', () => {
  it('run sweeps/smoke.yaml: the file supplies the values, --host and --port come from the command line', async () => {
    const run = await runCli(['run', 'sweeps/smoke.yaml', '--host', '127.0.0.1', '--port', String(broken227.port), '--out', at('smoke')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const result = await rows(at('smoke'));
    expect(result.map((r) => r.value)).toEqual(['0', '1', '127', '128', '226', '227', '228', '255']);
    expect(result.filter((r) => r.verdict !== 'pass').map((r) => r.value)).toEqual(['227']);
  });

  it('the host may come from the environment variable the file names', async () => {
    const run = await runCli(['run', 'sweeps/smoke.yaml', '--port', String(reflector.port), '--values', '5', '--out', at('smoke-env')], { env: { FTPSWEEP_HOST: '127.0.0.1' } });
    expect(run.code).toBe(0);
    expect((await rows(at('smoke-env'))).map((r) => r.value)).toEqual(['5']);
  });

  it('a bad sweep file is one line naming the file and the key, exit 2', async () => {
    const run = await runCli(['run', 'test/fixtures/bad-sweep.yaml', '--host', '127.0.0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/test\/fixtures\/bad-sweep\.yaml: key "concurrency" is "many", but must be a whole number/);
  });
});

describe('regression check against a baseline', () => {
  beforeAll(async () => {
    // Last night: 227 corrupted (a known, reported problem).
    const run = await sweep(broken227.port, '--out', at('baseline'));
    expect(run.code).toBe(1);
  });

  it('the same failure again is not a regression: exit 0, and JUnit skips the known failure', async () => {
    const run = await sweep(broken227.port, '--baseline', at('baseline'), '--junit', at('same.xml'), '--out', at('same'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/new failures \(got worse\): none/);
    expect(run.stdout).toMatch(/unchanged failures: 227/);
    const xml = await readFile(at('same.xml'), 'utf8');
    expect(xml).toContain('tests="256" failures="0" errors="0" skipped="1"');
    const summary = JSON.parse(await readFile(path.join(at('same'), 'summary.json'), 'utf8'));
    expect(summary.baseline).toMatchObject({ newFailures: [], unchanged: ['227'], fixed: [] });
    expect(summary.exitCode).toBe(0);
  });

  it('a new corrupted value is: exit 1, listed as a new failure, a JUnit failure', async () => {
    const run = await sweep(broken227and100.port, '--baseline', path.join(at('baseline'), 'results.csv'), '--junit', at('worse.xml'), '--out', at('worse'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/new failures \(got worse\): 100/);
    const xml = await readFile(at('worse.xml'), 'utf8');
    expect(xml).toContain('failures="1" errors="0" skipped="1"');
    expect(xml).toMatch(/name="value 100"[^>]*>\s*<failure message="corrupted/);
    expect(await readFile(path.join(at('worse'), 'report.md'), 'utf8')).toMatch(/\| 100 \(new\) \| corrupted/);
  });

  it('a fixed firewall is reported as fixed, exit 0', async () => {
    const run = await sweep(reflector.port, '--baseline', at('baseline'), '--out', at('fixed'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/fixed: 227/);
  });

  it('a baseline that is not a results.csv is a one-line error, before anything is swept', async () => {
    const run = await sweep(reflector.port, '--baseline', 'package.json', '--out', at('never'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/package\.json: the header is not value,sent,seen/);
    await expect(readFile(path.join(at('never'), 'results.csv'))).rejects.toThrow();
  });
});

describe('--update-baseline: start and update a baseline from a known-bad run', () => {
  it('the first run writes the baseline and exits 0 though 227 fails; later runs compare against it', async () => {
    const base = path.join(at('ci-baseline'), 'results.csv');
    const first = await sweep(broken227.port, '--update-baseline', base, '--out', at('ci-1'));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Baseline: wrote 256 rows (1 failing) to ${base}; runs with --baseline ${base} now fail only on values that get worse`);
    expect(await readFile(base, 'utf8')).toBe(await readFile(path.join(at('ci-1'), 'results.csv'), 'utf8'));
    expect(JSON.parse(await readFile(path.join(at('ci-1'), 'summary.json'), 'utf8'))).toMatchObject({ exitCode: 0, baselineWritten: base, exitReason: expect.stringMatching(/^wrote this run's results as the baseline .* \(1 failing value,/), counts: { corrupted: 1 } });

    // A new failure against it: exit 1, and the baseline stays as it was.
    const worse = await sweep(broken227and100.port, '--baseline', base, '--out', at('ci-2'));
    expect(worse.code).toBe(1);
    expect(JSON.parse(await readFile(path.join(at('ci-2'), 'summary.json'), 'utf8'))).toMatchObject({ exitCode: 1, baselineWritten: null, exitReason: expect.stringMatching(/^1 value got worse than in the baseline .*: 100$/) });
    expect((await readFile(base, 'utf8')).match(/,corrupted,/g)).toHaveLength(1);

    // Accepting it is a deliberate step: compare, and update the baseline in place.
    const accept = await sweep(broken227and100.port, '--baseline', base, '--update-baseline', base, '--out', at('ci-3'));
    expect(accept.code).toBe(0);
    expect(accept.stdout).toMatch(/new failures \(got worse\): 100/);
    expect((await readFile(base, 'utf8')).match(/,corrupted,/g)).toHaveLength(2);
    expect((await sweep(broken227and100.port, '--baseline', base, '--out', at('ci-4'))).code).toBe(0);
  });

  it('a folder gets results.csv; a file that is not a results.csv, or the report\'s own, is refused before probing', async () => {
    const folder = at('ci-folder');
    expect((await sweep(broken227.port, '--values', '226-228', '--update-baseline', `${folder}/`, '--out', at('ci-5'))).code).toBe(0);
    expect((await rows(folder)).map((r) => r.verdict)).toEqual(['pass', 'corrupted', 'pass']);

    const notCsv = await sweep(broken227.port, '--update-baseline', 'package.json', '--out', at('ci-never'));
    expect(notCsv.code).toBe(2);
    expect(notCsv.stderr).toMatch(/^ftpsweep: --update-baseline package\.json exists and is not a results\.csv written by ftpsweep .* — name a results\.csv outside the report folder/);
    const own = await sweep(broken227.port, '--update-baseline', at('ci-own'), '--out', at('ci-own'));
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/ci-own is this report's own results\.csv/);
    for (const dir of ['ci-never', 'ci-own']) await expect(readFile(path.join(at(dir), 'results.csv'))).rejects.toThrow();
  });
});

describe('shards and merge', () => {
  it('three shards cover every value once and merge into the full picture', async () => {
    for (const k of [1, 2, 3]) {
      const run = await sweep(broken227.port, '--shard', `${k}/3`, '--out', at(`shard-${k}`));
      expect(run.code).toBe(k === 3 ? 1 : 0); // 227 = 3·75 + 2: position 227 falls to shard 3
      expect((await rows(at(`shard-${k}`))).length).toBe(k === 1 ? 86 : 85);
    }
    const merged = await runCli(['merge', at('shard-1'), at('shard-2'), at('shard-3'), '--out', at('merged'), '--junit', at('merged.xml')]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(1);
    const result = await rows(at('merged'));
    expect(result.map((r) => Number(r.value))).toEqual(Array.from({ length: 256 }, (_, v) => v));
    expect(result.filter((r) => r.verdict !== 'pass').map((r) => r.value)).toEqual(['227']);
    expect((await records(at('merged'))).find((r) => r.value === 227)).toMatchObject({ verdict: 'corrupted', seen: expect.stringMatching(/,22_$/), failures: 2, attempts: 2 });
    const summary = JSON.parse(await readFile(path.join(at('merged'), 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ total: 256, probes: 256, complete: true, missing: [], options: { values: '0-255' }, mergedFrom: [at('shard-1'), at('shard-2'), at('shard-3')], dialogueValue: '227' });
    expect(await readFile(path.join(at('merged'), 'dialogue.txt'), 'utf8')).toMatch(/> PORT 127,0,0,1,\d+,227/);
    expect(await readFile(at('merged.xml'), 'utf8')).toContain('tests="256" failures="1"');
  });

  it('the merge keeps the control-channel finding: the shard that swept 227 saw it rewritten', async () => {
    const shards = await Promise.all([1, 2, 3].map(async (k) => JSON.parse(await readFile(path.join(at(`shard-${k}`), 'summary.json'), 'utf8'))));
    expect(shards.map((s) => s.inspection.findings.some((f: string) => /rewritten in transit \(value 227\)/.test(f)))).toEqual([false, false, true]);
    const merged = JSON.parse(await readFile(path.join(at('merged'), 'summary.json'), 'utf8'));
    expect(merged.inspection.checked).toEqual(expect.arrayContaining(['SYST', 'echo', 'address']));
    expect(merged.inspection.findings).toEqual(shards[2].inspection.findings);
    expect(await readFile(path.join(at('merged'), 'report.md'), 'utf8')).toMatch(/rewritten in transit \(value 227\)/);
  });

  it('merge --update-baseline writes the merged results.csv as the baseline, only when every shard is there', async () => {
    const base = at('merge-baseline.csv');
    const partial = await runCli(['merge', at('shard-1'), '--out', at('merge-partial'), '--update-baseline', base]);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toMatch(/^Baseline NOT written to .*merge-baseline\.csv: only a whole run becomes the baseline \(not every probe was made: 86 of 256/m);
    await expect(readFile(base)).rejects.toThrow();
    const whole = await runCli(['merge', at('shard-1'), at('shard-2'), at('shard-3'), '--out', at('merge-whole'), '--update-baseline', base]);
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain(`Baseline: wrote 256 rows (1 failing) to ${base}`);
    expect(await readFile(base, 'utf8')).toBe(await readFile(path.join(at('merge-whole'), 'results.csv'), 'utf8'));
    const intoShard = await runCli(['merge', at('shard-1'), at('shard-2'), at('shard-3'), '--out', at('merge-bad'), '--update-baseline', at('shard-2')]);
    expect(intoShard.code).toBe(2);
    expect(intoShard.stderr).toMatch(/--update-baseline .*shard-2 is .*shard-2\/results\.csv, which this command reads/);
  });

  it('refuses overlapping shards', async () => {
    const run = await runCli(['merge', at('shard-1'), at('shard-1'), '--out', at('overlap')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/value 0 is in both .*shard-1 and .*shard-1/);
  });

  it('refuses reports of different targets', async () => {
    const elsewhere = await sweep(other.port, '--shard', '2/3', '--out', at('elsewhere'));
    expect(elsewhere.code).toBe(0);
    const run = await runCli(['merge', at('shard-1'), at('elsewhere'), '--out', at('mismatch')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/elsewhere is a different sweep from .*shard-1 \(.*shard-1 has target anonymous@127\.0\.0\.1:\d+\)/);
  });

  it('refuses shards of sweeps with other values (they used to merge silently)', async () => {
    const fewer = await sweep(broken227.port, '--shard', '2/3', '--values', '0-99', '--out', at('fewer'));
    expect(fewer.code).toBe(0);
    const run = await runCli(['merge', at('shard-1'), at('fewer'), '--out', at('mixed')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/fewer is a different sweep from .*shard-1 \(.*shard-1 has values "0-255"\)/);
  });

  it('one shard of three is INCOMPLETE: exit 1, the missing values listed, complete: false', async () => {
    const run = await runCli(['merge', at('shard-1'), '--out', at('partial')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/INCOMPLETE: 86 of 256 probes of the sweep are here; missing: 1-2,4-5,/);
    const summary = JSON.parse(await readFile(path.join(at('partial'), 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ complete: false, probes: 256, done: 86, exitCode: 1 });
    expect(summary.missing[0]).toMatch(/^1-2,4-5,7-8,/);
    expect(await readFile(path.join(at('partial'), 'report.md'), 'utf8')).toMatch(/^# ftpsweep report \(INCOMPLETE\): /);
  });

  it('--out is guarded as for a sweep: never a shard being merged, never an earlier report without --force, never empty', async () => {
    const before = await readFile(path.join(at('shard-2'), 'results.csv'), 'utf8');
    const intoShard = await runCli(['merge', at('shard-1'), at('shard-2'), '--out', at('shard-2'), '--force']);
    expect(intoShard.code).toBe(2);
    expect(intoShard.stderr).toMatch(/--out .*shard-2 is one of the shards being merged/);
    expect(await readFile(path.join(at('shard-2'), 'results.csv'), 'utf8')).toBe(before);

    // Through a symbolic link, a shard is still a shard.
    symlinkSync(at('shard-2'), at('shard-2-link'));
    const viaLink = await runCli(['merge', at('shard-1'), at('shard-2'), '--out', at('shard-2-link'), '--force']);
    expect(viaLink.stderr).toMatch(/is one of the shards being merged/);
    const junitInShard = await runCli(['merge', at('shard-1'), at('shard-2'), '--out', at('m-junit'), '--junit', path.join(at('shard-2'), 'results.csv')]);
    expect(junitInShard.stderr).toMatch(/results\.csv is a report's own results\.csv/);
    expect(await readFile(path.join(at('shard-2'), 'results.csv'), 'utf8')).toBe(before);

    const again = await runCli(['merge', at('shard-1'), '--out', at('partial')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/partial already holds files .* — .*--force/);
    expect((await runCli(['merge', at('shard-1'), at('shard-2'), at('shard-3'), '--out', at('partial'), '--force'])).code).toBe(1);
    expect(JSON.parse(await readFile(path.join(at('partial'), 'summary.json'), 'utf8'))).toMatchObject({ complete: true });

    const empty = await runCli(['merge', at('shard-1'), '--out', ''], { cwd: at('.') });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^ftpsweep: --out is empty/);
  });
});

describe('--resume of a finished sweep', () => {
  it("keeps the first run's finding and start, and adds up the time of both runs", async () => {
    const dir = at('finished');
    expect((await sweep(broken227.port, '--values', '220-230', '--out', dir)).code).toBe(1);
    const first = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    expect(first.inspection.findings.join(' ')).toMatch(/rewritten in transit \(value 227\)/);
    const again = await sweep(broken227.port, '--values', '220-230', '--resume', dir);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1);
    expect(again.stdout).not.toMatch(/no sign of inspection/);
    const resumed = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    expect(resumed).toMatchObject({ resumed: 11, done: 11, reflector: true, startedAt: first.startedAt });
    expect(resumed.inspection.findings).toEqual(first.inspection.findings);
    expect(resumed.durationMs).toBeGreaterThan(first.durationMs);
    expect(resumed.durationMs).toBeLessThanOrEqual(Date.parse(resumed.endedAt) - Date.parse(first.startedAt));
    expect((await records(dir)).map((r) => r.value)).toEqual(Array.from({ length: 11 }, (_, i) => 220 + i));
  });
});

describe('ftpsweep report', () => {
  it('re-renders report.html and report.md from results.csv and summary.json, identically', async () => {
    const dir = at('shard-3');
    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    const md = await readFile(path.join(dir, 'report.md'), 'utf8');
    await unlink(path.join(dir, 'report.html'));
    await unlink(path.join(dir, 'report.md'));
    const run = await runCli(['report', dir]);
    expect(run.code).toBe(0);
    expect(await readFile(path.join(dir, 'report.html'), 'utf8')).toBe(html);
    expect(await readFile(path.join(dir, 'report.md'), 'utf8')).toBe(md);
  });

  it('a folder that is not a report is a one-line error', async () => {
    const run = await runCli(['report', 'sweeps']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/sweeps\/results\.csv does not exist/);
  });
});
