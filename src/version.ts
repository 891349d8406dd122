import { readFileSync } from 'node:fs';

/** Set when bundled (scripts/bundle.mjs): the bundle does not sit beside package.json. */
declare const __FTPSWEEP_VERSION__: string | undefined;

/** The tool's version, from package.json (one source of truth), written into every summary. */
export const VERSION: string =
  typeof __FTPSWEEP_VERSION__ === 'string' ? __FTPSWEEP_VERSION__ : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
