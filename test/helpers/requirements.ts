/**
 * Tests that need something this machine may lack (real FTP servers, root for network namespaces):
 * on a laptop they skip with a printed reason; under CI=true a missing requirement fails, so CI
 * never passes by skipping silently.
 */
import { describe, it } from 'vitest';

export const IN_CI = process.env.CI === 'true';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** `describe`, unless `missing` names what is missing: then skip (laptop) or fail (CI). */
export function describeWhen(name: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  if (IN_CI) {
    describe(name, () => {
      it('has what it needs (CI=true: missing requirements fail, never skip)', () => {
        throw new Error(`${name}: ${missing}`);
      });
    });
    return;
  }
  console.warn(`[ftpsweep tests] skipping "${name}": ${missing}`);
  describe.skip(`${name} (skipped: ${missing})`, body);
}
