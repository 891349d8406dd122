/**
 * The single executable's entry (scripts/build-exe.mjs bundles it into one CommonJS file, as Node's
 * single executable applications require): main.ts without the top-level await CommonJS lacks.
 */
import { start } from './start.js';

void start(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
