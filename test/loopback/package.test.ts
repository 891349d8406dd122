/**
 * The package as users get it: `npm pack`, then `npm install -g` of the tarball into a temporary
 * prefix, offline (the package has no dependency to fetch). The installed `ftpsweep` answers
 * --version and sweeps through its own companions from a folder outside the clone; the README's
 * library example runs, and type-checks, against the installed package.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram, sweepThroughCompanions, type Spawn } from '../helpers/programs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const NPM_OPTIONS = ['--offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** The README's library example: the ```js block after its `<!-- api-example` marker. */
function readmeExample(): string {
  const match = /<!-- api-example[^\n]*\n```js\n([\s\S]*?)```/.exec(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  if (!match) throw new Error('README.md has no <!-- api-example --> block');
  return match[1]!;
}

describe('the packed and installed package', () => {
  let work: string;
  let tarballFiles: string[];
  let installed: string;
  let bin: Spawn;

  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist', 'bin', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    work = mkdtempSync(path.join(tmpdir(), 'ftpsweep-package-'));
    // --ignore-scripts: `prepare` would rebuild dist/ while other test files run its CLI; npm test
    // has just built it.
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, ...NPM_OPTIONS], { cwd: ROOT, encoding: 'utf8' })) as { filename: string }[];
    const tarball = path.join(work, packed!.filename);
    tarballFiles = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    const prefix = path.join(work, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, ...NPM_OPTIONS, tarball], { cwd: work, stdio: 'ignore' });
    installed = path.join(prefix, 'lib', 'node_modules', 'ftpsweep');
    // Outside the clone, with only node (for the bin's #!) and the system on PATH.
    const cwd = path.join(work, 'elsewhere');
    mkdirSync(cwd);
    bin = { command: [path.join(prefix, 'bin', 'ftpsweep')], cwd, env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } };
  }, 120_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds what runs — the bundles, the types, the sweep files, LICENSE — and no sources or tests', () => {
    const chunks = readdirSync(path.join(ROOT, 'dist', 'bin', 'chunks')).map((f) => `dist/bin/chunks/${f}`);
    expect(tarballFiles).toEqual(expect.arrayContaining(['package.json', 'LICENSE', 'README.md', 'dist/bin/main.js', ...chunks, 'dist/index.js', 'dist/index.d.ts', 'sweeps/last-octet.yaml', 'sweeps/smoke.yaml']));
    expect(tarballFiles.filter((f) => /^(src|test|scripts|reports|build|dist\/cli|dist\/bench)\/|\.map$|\.ts$(?<!\.d\.ts$)|^dist\/(?!index\.js$|bin\/).*\.js$/.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    // Nothing to fetch on install: both entries are bundled.
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' });
    expect(readFileSync(path.join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the ftpsweep authors\n/);
  });

  it('installs an ftpsweep command that answers --version', async () => {
    expect(await runProgram(bin, ['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('sweeps through its own reflector and simulated firewall: 227 corrupted', async () => {
    const { sweep, rows, stopped } = await sweepThroughCompanions(bin);
    expect(sweep.code, sweep.stderr).toBe(1);
    expect(rows).toHaveLength(11);
    expect(rows.filter((r) => r.verdict !== 'pass').map((r) => [r.value, r.verdict])).toEqual([['227', 'corrupted']]);
    expect(stopped).toEqual([0, 0]);
  });

  describe("the README's library example, importing 'ftpsweep'", () => {
    let app: string;
    beforeAll(() => {
      app = path.join(work, 'app');
      mkdirSync(path.join(app, 'node_modules'), { recursive: true });
      symlinkSync(installed, path.join(app, 'node_modules', 'ftpsweep'));
      writeFileSync(path.join(app, 'example.mjs'), readmeExample());
    });

    it('runs: every row reaches onRow, the counts and the report folder agree', async () => {
      const run = await runProgram({ command: [process.execPath, 'example.mjs'], cwd: app, env: { PATH: '/usr/bin:/bin' } }, []);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const rowLines = run.stdout.split('\n').filter((line) => /^\d+ [a-z-]+ PORT /.test(line));
      expect(rowLines.map((line) => Number(line.split(' ')[0])).sort((a, b) => a - b)).toEqual([220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230]);
      expect(rowLines.filter((line) => !/ pass /.test(line))).toEqual([expect.stringMatching(/^227 corrupted PORT 127,0,0,1,\d+,22_$/)]);
      expect(run.stdout).toMatch(/pass: 10,/);
      expect(run.stdout).toMatch(/corrupted: 1,/);
      expect(run.stdout).toMatch(/^11 rows in reports\/api-example$/m);
      const csv = parse(readFileSync(path.join(app, 'reports', 'api-example', 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
      expect(csv.map((r) => r.verdict).filter((v) => v !== 'pass')).toEqual(['corrupted']);
    });

    it('type-checks against the installed dist/index.d.ts', () => {
      const tsc = (file: string): { code: number; out: string } => {
        const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types'), file];
        try {
          return { code: 0, out: execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], { cwd: app, encoding: 'utf8' }) };
        } catch (error) {
          return { code: (error as { status: number }).status, out: String((error as { stdout: string }).stdout) };
        }
      };
      writeFileSync(path.join(app, 'example.mts'), readmeExample());
      expect(tsc('example.mts')).toEqual({ code: 0, out: '' });
      // The check is real: a wrong option type fails it.
      writeFileSync(path.join(app, 'wrong.mts'), "import { startReflector } from 'ftpsweep';\nawait startReflector({ host: '127.0.0.1', port: '0' });\n");
      const wrong = tsc('wrong.mts');
      expect(wrong.code).not.toBe(0);
      expect(wrong.out).toMatch(/wrong\.mts.*'string' is not assignable to type 'number'/);
    });
  });
});
