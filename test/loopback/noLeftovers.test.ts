/**
 * A sweep refused before any value was probed leaves nothing behind: no reports/<host>-<port>-…/
 * with a header-only results.csv, and no reports/ folder it made for it. Each command runs in a
 * fresh folder of its own, with the default report folder, exactly as a user would type it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { describeWhen } from '../helpers/requirements.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

let work: string;
let locked: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-leftovers-'));
  locked = await startReflector({ host: '127.0.0.1', port: 0, credentials: { user: 'alice', password: 'S3cret-Pa55' } });
});
afterAll(async () => {
  await locked?.close();
  await rm(work, { recursive: true, force: true });
});

/** Runs `ftpsweep args…` in a new empty folder; returns the run and what the folder holds after. */
async function inEmptyFolder(args: readonly string[], options: { env?: NodeJS.ProcessEnv; prefix?: readonly string[] } = {}): Promise<{ code: number | null; stderr: string; left: string[] }> {
  const cwd = await mkdtemp(path.join(work, 'run-'));
  const run = await runCli(args, { ...options, cwd });
  return { code: run.code, stderr: run.stderr, left: await readdir(cwd) };
}

describe('refused before any value: exit 2 and no folder left', () => {
  it.each([
    ['a refused port', ['--host', '127.0.0.1', '--port', '1'], /connection to 127\.0\.0\.1:1 refused/],
    ['--concurrency 0', ['--host', '127.0.0.1', '--concurrency', '0'], /--concurrency 0 is out of range/],
    ['--port abc', ['--host', '127.0.0.1', '--port', 'abc'], /--port abc is not a whole number/],
    ['--host with a port and another --port', ['--host', '127.0.0.1:2121', '--port', '21'], /names port 2121, but --port is 21/],
    ['a host that is no host name', ['--host', 'ftp://192.0.2.10/'], /is not a host name or address/],
    ['--high-byte with both port bytes swept', ['--host', '127.0.0.1', '--port', '1', '--field', 'p1,p2', '--high-byte', '100'], /--high-byte 100 does nothing with --field p1,p2/],
  ])('%s', async (_, args, message) => {
    const { code, stderr, left } = await inEmptyFolder(['sweep', ...args]);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(left).toEqual([]);
  });

  it('a wrong password', async () => {
    const { code, stderr, left } = await inEmptyFolder(['sweep', '--host', '127.0.0.1', '--port', String(locked.port), '--user', 'alice', '--password-env', 'FTPSWEEP_TEST_PW'], { env: { FTPSWEEP_TEST_PW: 'Wr0ng' } });
    expect(stderr).toMatch(/refused the login: 530/);
    expect(code).toBe(2);
    expect(left).toEqual([]);
  });

  it('--junit and --update-baseline in folders not yet made: refused sweeps make neither', async () => {
    const { code, left } = await inEmptyFolder(['sweep', '--host', '127.0.0.1', '--port', '1', '--out', 'out', '--junit', 'ci/junit/x.xml', '--update-baseline', 'base/line/results.csv']);
    expect(code).toBe(2);
    expect(left).toEqual([]);
  });

  it('--junit under a file: refused at once, one line naming the file in the way', async () => {
    const cwd = await mkdtemp(path.join(work, 'run-'));
    await writeFile(path.join(cwd, 'ci'), 'a file, not a folder\n');
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', '1', '--junit', 'ci/junit.xml'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/cannot write ci\/junit\.xml: .* — choose a writable place with --junit/);
    expect(await readdir(cwd)).toEqual(['ci']);
  });

  it('--out a/b/c: the folders it would have made are not left either', async () => {
    const { code, left } = await inEmptyFolder(['sweep', '--host', '127.0.0.1', '--port', '1', '--out', 'a/b/c']);
    expect(code).toBe(2);
    expect(left).toEqual([]);
  });

  it('a reports/ folder that was there stays, empty as it was', async () => {
    const cwd = await mkdtemp(path.join(work, 'kept-'));
    execFileSync('mkdir', [path.join(cwd, 'reports')]);
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', '1'], { cwd });
    expect(run.code).toBe(2);
    expect(await readdir(cwd)).toEqual(['reports']);
    expect(await readdir(path.join(cwd, 'reports'))).toEqual([]);
  });
});

/** A network namespace of its own has no route anywhere: a name lookup fails on this machine, and no query leaves it. */
function unshareMissing(): string | undefined {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'cannot make a network namespace (unshare -n: needs root or user namespaces)';
  }
}

describeWhen('an unresolvable host, looked up in a network namespace with no network', unshareMissing(), () => {
  it('nonexistent.invalid (RFC 6761): exit 2, one line, no folder left', async () => {
    const { code, stderr, left } = await inEmptyFolder(['sweep', '--host', 'nonexistent.invalid'], { prefix: ['unshare', '-n', '--'] });
    expect(stderr).toMatch(/^ftpsweep: cannot resolve host of nonexistent\.invalid:21 — check the spelling of --host\n$/);
    expect(code).toBe(2);
    expect(left).toEqual([]);
  });
});
