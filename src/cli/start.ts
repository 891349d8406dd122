/**
 * What the command line does from its first line: shared by the package's bin (main.ts, an ES
 * module) and the single executable (exeMain.ts, CommonJS, which cannot await at its top level).
 */
import { MIN_OPEN_FILES, openFileLimit } from '../sweep/openFiles.js';
import { VERSION } from '../version.js';

/** Runs `ftpsweep argv…` and returns its exit code; loads a command's code only when it runs. */
export async function start(argv: readonly string[]): Promise<number> {
  // Checked before the rest is loaded: under `ulimit -n` 60 Node's module loader itself runs out of
  // descriptors and dies with a stack trace.
  const limit = openFileLimit();
  if (limit < MIN_OPEN_FILES) {
    process.stderr.write(`ftpsweep: this process may open only ${limit} files (ulimit -n), and ftpsweep needs at least ${MIN_OPEN_FILES} — raise \`ulimit -n\`\n`);
    return 2;
  }
  if (argv.length === 1 && argv[0] === '--version') {
    // Answered before anything else loads: scripts ask for it, and it should cost no more than Node.
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [{ processIo }, { main }] = await Promise.all([import('./io.js'), import('./program.js')]);
  return main(argv, processIo());
}
