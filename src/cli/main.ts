#!/usr/bin/env -S node --max-semi-space-size=4
// A small young generation (V8's default grows it to 3 × 16 MB): a 65,536-probe sweep makes a lot of
// short-lived garbage, and this keeps its peak memory down at no cost in speed (npm run bench).
import { MIN_OPEN_FILES, openFileLimit } from '../sweep/openFiles.js';
import { VERSION } from '../version.js';

// Checked before the rest is loaded: under `ulimit -n` 60 Node's module loader itself runs out of
// descriptors and dies with a stack trace.
const limit = openFileLimit();
if (limit < MIN_OPEN_FILES) {
  process.stderr.write(`ftpsweep: this process may open only ${limit} files (ulimit -n), and ftpsweep needs at least ${MIN_OPEN_FILES} — raise \`ulimit -n\`\n`);
  process.exitCode = 2;
} else if (process.argv.length === 3 && process.argv[2] === '--version') {
  // Answered before anything else loads: scripts ask for it, and it should cost no more than Node.
  process.stdout.write(`${VERSION}\n`);
} else {
  const [{ processIo }, { main }] = await Promise.all([import('./io.js'), import('./program.js')]);
  process.exitCode = await main(process.argv.slice(2), processIo());
}
