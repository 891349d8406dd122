// The command line as users run it: src/cli/main.ts and what it imports, bundled into dist/bin/
// (one file per command's share, loaded when that command runs). Node's module loader resolved and
// compiled some 120 files on every start; bundled, a whole loopback sweep starts in a fraction.
// The library's entry (`import 'ftpsweep'`, src/index.ts) is bundled too, over tsc's dist/index.js:
// with both bundled the package needs no dependency at run time, so its tarball installs where no
// registry can be reached (npm install -g ftpsweep-X.tgz). tsc's .d.ts files stay its types.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunks are named by content hash: last build's would linger beside this one's.
rmSync('dist/bin', { recursive: true, force: true });

const define = { __FTPSWEEP_VERSION__: JSON.stringify(version) };
// Packages written as CommonJS call require() for Node's own modules.
const banner = { js: "import { createRequire as __ftpsweepRequire } from 'node:module'; const require = __ftpsweepRequire(import.meta.url);" };

await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // version.ts reads package.json beside dist/ otherwise: a bundle may live anywhere.
  define,
  banner,
  // string-width builds an emoji regex and an Intl.Segmenter as it loads, in three copies (yargs,
  // cliui, wrap-ansi): our own measure instead (src/cli/stringWidth.ts).
  alias: { 'string-width': './src/cli/stringWidth.ts' },
  logLevel: 'warning',
});

rmSync('dist/index.js.map', { force: true });
await build({ entryPoints: ['src/index.ts'], outfile: 'dist/index.js', bundle: true, format: 'esm', platform: 'node', target: 'node20', define, banner, logLevel: 'warning' });
