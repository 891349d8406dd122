/**
 * The command line as users run it: exit codes, one-line errors, reports on disk, companions that
 * start and stop cleanly. Every process a test starts, it stops by pid.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runCli, startCli } from '../helpers/cli.js';
import { describeError } from '../../src/cli/io.js';
import { LoginError } from '../../src/ftp/errors.js';
import { startFirewall } from '../helpers/firewall.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

let work: string;
let reflector: RunningServer;
let firewall: RunningServer;
let locked: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-cli-'));
  reflector = await startReflector({ host: '127.0.0.1', port: 0 });
  firewall = await startFirewall(reflector, [227]);
  locked = await startReflector({ host: '127.0.0.1', port: 0, credentials: { user: 'alice', password: 'S3cret-Pa55' } });
});
afterAll(async () => {
  await Promise.all([reflector?.close(), firewall?.close(), locked?.close()]);
  await rm(work, { recursive: true, force: true });
});

describe('ftpsweep CLI', () => {
  it('demo: 227 corrupted with 22_, 255 pass, reports written, exit 0', async () => {
    const out = path.join(work, 'demo');
    const run = await runCli(['demo', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/as expected/);
    const rows = parse(await readFile(path.join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(256);
    expect(rows.filter((r) => r.verdict !== 'pass').map((r) => [r.value, r.verdict])).toEqual([['227', 'corrupted']]);
    expect(rows[227]!.seen).toMatch(/,22_$/);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.counts).toMatchObject({ pass: 255, corrupted: 1 });
    expect(summary.failing).toHaveLength(1);
    // The demo expects 227 to fail: summary.json says what the command exited with, and why.
    expect(summary).toMatchObject({ exitCode: run.code, exitReason: expect.stringMatching(/^the demo saw what it expects: 227 corrupted/) });
    const matrix = parse(await readFile(path.join(out, 'matrix.csv'), 'utf8')) as string[][];
    expect(matrix[15]![4]).toBe('corrupted');
  });

  it('sweep: exit 0 when all pass, 1 when a value fails; the console names it', async () => {
    const clean = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--values', '220-230', '--out', path.join(work, 'clean')]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/pass 11/);

    const broken = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(firewall.port), '--values', '220-230', '--out', path.join(work, 'broken')]);
    expect(broken.code).toBe(1);
    expect(JSON.parse(await readFile(path.join(work, 'broken', 'summary.json'), 'utf8'))).toMatchObject({ exitCode: 1, exitReason: '1 of 11 values failed: 227' });
    expect(broken.stdout).toMatch(/227 corrupted\s+3\/3\s+sent PORT 127,0,0,1,\d+,227\s+seen PORT 127,0,0,1,\d+,22_/);
    expect(broken.stdout).toContain(`Report: ${path.join(work, 'broken')}`);
  });

  it('sweep writes to reports/<host>-<port>-<stamp>/ by default', async () => {
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--values', '1'], { cwd: work });
    expect(run.code).toBe(0);
    const dir = /Report: (\S+)/.exec(run.stdout)![1]!;
    expect(dir).toMatch(new RegExp(`^reports/127\\.0\\.0\\.1-${reflector.port}-\\d{8}-\\d{6}$`));
    await expect(readFile(path.join(work, dir, 'results.csv'), 'utf8')).resolves.toMatch(/^value,sent,seen/);
  });

  it('probe prints the whole dialogue, masks nothing it needs and exits 1 for a corrupted value', async () => {
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(firewall.port), '--value', '227']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/> PORT 127,0,0,1,\d+,227/);
    expect(run.stdout).toMatch(/< 501 .*\[ftpsweep-echo [0-9a-f]+\]/);
    expect(run.stdout).toMatch(/verdict: corrupted/);
    expect(run.stdout).toMatch(/seen: +PORT 127,0,0,1,\d+,22_/);
    expect(run.stdout).toMatch(/^data: +(none|not-tried|wrong-port:\d+): /m);
    expect(run.stdout).not.toContain('[object');
  });

  it('usage errors: exit 2 with one line naming the problem', async () => {
    expectOneLineError(await runCli(['sweep', '--host', '127.0.0.1', '--values', '300']), /--values: 300 is out of range 0\.\.255/);
    expectOneLineError(await runCli(['sweep', '--port', '21']), /--host/);
    expectOneLineError(await runCli(['sweep', '--host', 'x', '--bogus']), /Unknown argument/);
    expectOneLineError(await runCli(['sweep', '--host', 'x', '--password', 'hunter2']), /never taken on the command line/);
    expectOneLineError(await runCli(['sweep', '--host', 'x', '--password-env', 'FTPSWEEP_UNSET_VAR']), /FTPSWEEP_UNSET_VAR .* is not set/);
    expectOneLineError(await runCli(['sweep', '--host', 'x', '--password-env', 'FTPSWEEP_EMPTY_VAR'], { env: { FTPSWEEP_EMPTY_VAR: '' } }), /FTPSWEEP_EMPTY_VAR .* is empty — put the password in FTPSWEEP_EMPTY_VAR/);
    expectOneLineError(await runCli(['sweep', '--host', 'a\x1b]0;x\x07', '--out', path.join(work, 'badhost')]), /--host "a\\u001b\]0;x\\u0007" is not a host name or address/);
    expectOneLineError(await runCli(['probe', '--host', 'x', '--value', 'abc']), /^ftpsweep: --value "abc" is not a whole number — give a whole number 0\.\.255/);
    expectOneLineError(await runCli(['probe', '--host', 'x', '--value', '-1']), /^ftpsweep: --value -1 is out of range/);
    expectOneLineError(await runCli(['sweep', '--host', 'x', '--advertise', '::1']), /--advertise ::1 is not an IPv4 address/);
    expectOneLineError(await runCli(['sweep', '--host', 'x', '--concurrency', '0']), /--concurrency 0 is out of range/);
    expectOneLineError(await runCli([]), /give a command/);
    expectOneLineError(await runCli(['swep', '--host', 'x']), /^ftpsweep: "swep" is not a command — did you mean ftpsweep sweep\?/);
    expectOneLineError(await runCli(['reflect', '--max-connections', '0']), /--max-connections 0 is out of range — use a whole number 1 or more/);
    expectOneLineError(await runCli(['sweep', '--host', 'x', '--resume', path.join(work, 'no-such-report')]), /no-such-report does not exist/);
  });

  it('probe piped into head: no EPIPE stack trace, and the exit code is still the verdict\'s', async () => {
    for (let i = 0; i < 3; i++) {
      const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(firewall.port), '--value', '227'], { prefix: ['bash', '-c', 'set -o pipefail; "$0" "$@" | head -1'] });
      expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
      expect(run.code).toBe(1); // 227 is corrupted
    }
  });

  it('a server\'s multi-line refusal is still a one-line error', () => {
    expect(describeError(new LoginError('127.0.0.1:21 refused the login: 530 Login incorrect for\n eFs=\nend', 'check --user'))).toBe('ftpsweep: 127.0.0.1:21 refused the login: 530 Login incorrect for eFs= end — check --user');
  });

  it('unreachable server: exit 2, one line', async () => {
    // Port 1 on loopback: nothing listens there (privileged, never used by these tests).
    expectOneLineError(await runCli(['sweep', '--host', '127.0.0.1', '--port', '1', '--out', path.join(work, 'x')]), /connection to 127\.0\.0\.1:1 refused/);
  });

  it('login refused: exit 2, one line, and the password appears nowhere', async () => {
    const secret = 'Wr0ng-Pa55-xyz';
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(locked.port), '--user', 'alice', '--password-env', 'FTPSWEEP_TEST_PW', '--out', path.join(work, 'y')], {
      env: { FTPSWEEP_TEST_PW: secret },
    });
    expectOneLineError(run, /refused the login: 530/);
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('login with the password from the environment works, and it is masked in the probe dialogue', async () => {
    const run = await runCli(['probe', '--host', '127.0.0.1', '--port', String(locked.port), '--user', 'alice', '--password-env', 'FTPSWEEP_TEST_PW', '--value', '5'], {
      env: { FTPSWEEP_TEST_PW: 'S3cret-Pa55' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/> PASS \*\*\*\*/);
    expect(run.stdout).not.toContain('S3cret-Pa55');
  });

  it('the password appears in no output: CSV, JSON, HTML, Markdown, JUnit, dialogue, console, probe', async () => {
    const secret = 'S3cret-Pa55';
    const guarded = await startFirewall(locked, [227]);
    try {
      const out = path.join(work, 'secret');
      const env = { FTPSWEEP_TEST_PW: secret };
      const login = ['--host', '127.0.0.1', '--port', String(guarded.port), '--user', 'alice', '--password-env', 'FTPSWEEP_TEST_PW'];
      const sweep = await runCli(['sweep', ...login, '--values', '226-228', '--junit', path.join(out, 'junit.xml'), '--out', out], { env });
      expect(sweep.code).toBe(1); // 227 corrupted: the dialogue of a failing probe was written too
      const probe = await runCli(['probe', ...login, '--value', '227'], { env });
      expect(probe.stdout).toMatch(/> PASS \*\*\*\*/);
      const files = ['results.csv', 'results.jsonl', 'matrix.csv', 'summary.json', 'report.html', 'report.md', 'dialogue.txt', 'junit.xml'];
      const texts = [sweep.stdout, sweep.stderr, probe.stdout, probe.stderr, ...(await Promise.all(files.map((f) => readFile(path.join(out, f), 'utf8'))))];
      const hex = Buffer.from(secret).toString('hex');
      for (const text of texts) {
        expect(text).not.toContain(secret);
        expect(text.toLowerCase()).not.toContain(hex);
      }
      expect(await readFile(path.join(out, 'dialogue.txt'), 'utf8')).toMatch(/> PASS \*\*\*\*/);
    } finally {
      await guarded.close();
    }
  });

  describe('the open-file limit (ulimit -n), checked before anything is sent', () => {
    const limited = (n: number): string[] => ['sh', '-c', `ulimit -n ${n} && exec "$0" "$@"`];

    it('too low to load ftpsweep at all (48): one line, not the module loader\'s stack trace', async () => {
      const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port)], { prefix: limited(48) });
      expectOneLineError(run, /may open only 48 files \(ulimit -n\), and ftpsweep needs at least 128 — raise `ulimit -n`/);
    });

    it('too low for the concurrency asked: names the concurrency that fits', async () => {
      const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--concurrency', '40', '--out', path.join(work, 'fd-40')], { prefix: limited(400) });
      expectOneLineError(run, /--concurrency 40 needs about \d+ open files .*, but this process may open only 400 \(ulimit -n\) — lower --concurrency to \d+/);
    });

    it('too low for one wide confirmation (256 listeners): refused, and the --out folder is left as it was', async () => {
      const out = path.join(work, 'fd-200');
      const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--out', out], { prefix: limited(200) });
      expectOneLineError(run, /needs about (\d+) open files \(a failed value is confirmed on all 256 ports of its high byte\).* — raise `ulimit -n` to at least \d+/);
      // The limit named is enough for the sweep as asked.
      const [, need] = /needs about (\d+)/.exec(run.stderr)!;
      expect(run.stderr).toContain(`to at least ${need}`);
      expect(existsSync(out)).toBe(false);
      // Without wide confirmations (the reply oracle) the same limit is enough.
      const replyOnly = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--oracle', 'reply', '--values', '1-3', '--out', out], { prefix: limited(200) });
      expect(replyOnly.code).toBe(0);
    });

    it('the demo counts its in-process reflector and firewall too: refused at 300 (it reported false no-data values there)', async () => {
      const out = path.join(work, 'fd-demo');
      const run = await runCli(['demo', '--out', out], { prefix: limited(300) });
      expectOneLineError(run, /the demo needs about \d+ open files .* only 300 \(ulimit -n\) — raise `ulimit -n` to at least \d+/);
      expect(existsSync(out)).toBe(false);
    });
  });

  it('reflect and simulate run as commands and stop on SIGTERM', async () => {
    const refl = await startCli(['reflect', '--listen', '127.0.0.1:0']);
    try {
      const sim = await startCli(['simulate', '--listen', '127.0.0.1:0', '--upstream', `127.0.0.1:${refl.port}`, '--corrupt', '9']);
      try {
        const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(sim.port), '--values', '8-10', '--confirm', '0', '--out', path.join(work, 'z')]);
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(/9 corrupted/);
        expect(refl.stderr()).toMatch(/connection from 127\.0\.0\.1/);
      } finally {
        expect(await sim.stop()).toBe(0);
      }
    } finally {
      expect(await refl.stop()).toBe(0);
    }
  });
});
