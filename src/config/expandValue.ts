/**
 * `${VAR}` in a sweep file's string values, expanded from the environment. Apart from the file's
 * parser (config/sweepFile.ts), so a sweep without a sweep file loads no YAML parser.
 */
import { UsageError } from '../errors.js';

/** Expands `${VAR}` in a string value from `env`; a missing or empty variable is an error naming it. */
export function expandValue(file: string, key: string, value: string | number | boolean, env: NodeJS.ProcessEnv): string | number | boolean {
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const found = env[name];
    if (found === undefined || found === '') {
      throw new UsageError(`${file}: key "${key}" needs the environment variable ${name}, which is not set`, `export ${name}=… or give --${key} on the command line`);
    }
    return found;
  });
}
