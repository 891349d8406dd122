/**
 * build/ftpsweep (`npm run build:exe`) on a host without Node: copied alone into an empty folder and
 * run with an empty PATH and no other environment, it answers --version, serves as reflector and
 * simulated firewall, and sweeps through them. Built here when missing or older than the bundle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWhen, IN_CI } from '../helpers/requirements.js';
import { emptyPath, runProgram, startProgram, sweepThroughCompanions, type Spawn } from '../helpers/programs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXE = path.join(ROOT, 'build', 'ftpsweep');
const BUNDLE = path.join(ROOT, 'dist', 'bin', 'main.js');
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
// Node's binary carries this fuse when it can become a single executable (Node's SEA docs).
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function missing(): string | undefined {
  if (process.platform !== 'linux') return `single executables are built and tested on Linux here, not ${process.platform}`;
  if (!readFileSync(process.execPath).includes(FUSE)) return `${process.execPath} has no SEA fuse: this Node binary cannot be made a single executable`;
  return undefined;
}

// openssl makes the test certificate; under CI=true its absence fails the test instead of skipping it.
const skipTls = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0 && !IN_CI;
if (skipTls) console.warn('[ftpsweep tests] skipping the single executable over FTPS: openssl is missing (it makes the test certificate)');

describeWhen('the single executable (build/ftpsweep)', missing(), () => {
  let work: string;
  let exe: Spawn;

  beforeAll(() => {
    // A stale executable would test old code: rebuild it when the bundle is newer.
    if (!existsSync(EXE) || (existsSync(BUNDLE) && statSync(EXE).mtimeMs < statSync(BUNDLE).mtimeMs)) {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-exe.mjs')], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    }
    work = mkdtempSync(path.join(tmpdir(), 'ftpsweep-exe-'));
    copyFileSync(EXE, path.join(work, 'ftpsweep'));
    // No node, no npm, no node_modules: an empty folder as the only PATH, nothing else inherited.
    exe = { command: ['./ftpsweep'], cwd: work, env: { PATH: emptyPath(work) } };
  }, 150_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('finds no node on its PATH, and answers --version alone', async () => {
    expect(spawnSync('node', ['--version'], { env: exe.env }).error).toBeDefined();
    const run = await runProgram(exe, ['--version']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('is its own reflector and simulated firewall, and sweeps through them: 227 corrupted', async () => {
    const { sweep, rows, stopped, logs } = await sweepThroughCompanions(exe);
    expect(sweep.code, sweep.stderr).toBe(1);
    expect(sweep.stdout).toMatch(/pass 10 {3}corrupted 1/);
    expect(rows.map((r) => r.value)).toEqual(['220', '221', '222', '223', '224', '225', '226', '227', '228', '229', '230']);
    expect(rows.filter((r) => r.verdict !== 'pass').map((r) => [r.value, r.verdict])).toEqual([['227', 'corrupted']]);
    expect(rows.find((r) => r.value === '227')!.seen).toMatch(/,22_$/);
    expect(stopped).toEqual([0, 0]);
    expect(logs).toMatch(/reflector stopped \(SIGTERM\)/);
  });

  // --tls loads node:tls on demand: the one module the bundle must not leave to import().
  it.skipIf(skipTls)('sweeps over explicit FTPS with its own TLS reflector', async () => {
    const [cert, key] = [path.join(work, 'cert.pem'), path.join(work, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1'], { stdio: 'ignore' });
    const reflector = await startProgram(exe, ['reflect', '--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key]);
    try {
      const run = await runProgram(exe, ['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--values', '1-3', '--tls', '--tls-ca', cert, '--out', 'tls-report']);
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(path.join(work, 'tls-report', 'summary.json'), 'utf8')) as { options: { tls: boolean }; counts: Record<string, number> };
      expect(summary.options.tls).toBe(true);
      expect(summary.counts.pass).toBe(3);
    } finally {
      await reflector.stop();
    }
  });
});
