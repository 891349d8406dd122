// `npm run build:exe`: build/ftpsweep, the whole command line in one executable file, for a host
// without Node or npm (a DMZ host that runs the reflector). It is Node's own binary with the CLI
// injected as a single executable application (https://nodejs.org/api/single-executable-applications.html):
//   1. esbuild bundles src/cli/exeMain.ts and everything it imports into build/ftpsweep.cjs: one
//      CommonJS file, since Node 20 runs a SEA's main as CommonJS and it can require() only Node's
//      own modules; without code splitting, every lazily imported command is inlined;
//   2. node --experimental-sea-config sea-config.json turns it into build/sea-prep.blob;
//   3. the running node binary is copied to build/ftpsweep and postject injects the blob.
// The executable runs on machines like this one (same OS and CPU, glibc), nothing else needed.
// sea-config.json: useCodeCache puts V8's compiled code in the blob (`--version` took 0.12 s against
// 0.14 s without it, and against 0.14 s for `node dist/bin/main.js`); no experimental warning on
// stderr. Node 20 takes no execArgv there, so the bin's V8 heap flags (main.ts) are not
// applied: a very large sweep peaks higher in memory, no slower.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const seaConfig = JSON.parse(readFileSync('sea-config.json', 'utf8'));
const exe = 'build/ftpsweep';
// The fuse Node's binary carries, flipped by postject to say a blob is there (Node's SEA docs).
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

rmSync('build', { recursive: true, force: true });
mkdirSync('build');

await build({
  entryPoints: ['src/cli/exeMain.ts'],
  outfile: seaConfig.main,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // A SEA's main cannot import() (nor can any script with useCodeCache): `import('node:tls')` must
  // become a require() too.
  supported: { 'dynamic-import': false },
  define: {
    __FTPSWEEP_VERSION__: JSON.stringify(version),
    // CommonJS has no import.meta: yargs finds its own folder (for locales it reads only when they
    // exist) through it. In a SEA __filename is the executable.
    'import.meta.url': '__ftpsweepMetaUrl',
    'import.meta.resolve': 'undefined',
  },
  banner: { js: 'var __ftpsweepMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  // As in scripts/bundle.mjs: our own string width instead of three copies of string-width.
  alias: { 'string-width': './src/cli/stringWidth.ts' },
  logLevel: 'warning',
});

/** Runs node with `args`; says what it printed only when it fails (postject's ELF parser warns
 * about every note section it cannot name, harmlessly). */
function node(args, what) {
  const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${what} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
}

node(['--experimental-sea-config', 'sea-config.json'], 'making the SEA blob');
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// postject's own command line (the pinned devDependency), as Node's docs run it.
const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
node([postject, exe, 'NODE_SEA_BLOB', seaConfig.output, '--sentinel-fuse', SENTINEL_FUSE], 'postject');
// The intermediate files served their purpose: build/ holds the one file to copy.
rmSync(seaConfig.main);
rmSync(seaConfig.output);
process.stderr.write(`${exe} built (ftpsweep ${version}, Node ${process.version}, ${process.platform}-${process.arch})\n`);
