/**
 * The README's CI examples are copied into real pipelines: they must at least be valid YAML, and
 * every ftpsweep command in them must be one the CLI accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SETTINGS } from '../../src/config/settings.js';

const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const COMMANDS = ['sweep', 'run', 'probe', 'report', 'merge', 'reflect', 'simulate', 'demo'];
const FLAGS = Object.keys(SETTINGS).map((name) => `--${name}`);

describe('README CI examples', () => {
  it('has a GitHub Actions and a GitLab CI example', () => {
    expect(blocks.some((b) => /^jobs:/m.test(b) && /^on:/m.test(b))).toBe(true);
    expect(blocks.some((b) => /parallel: \d/.test(b) && /CI_NODE_INDEX/.test(b))).toBe(true);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('block %i is valid YAML', (_, block) => {
    expect(() => parse(block)).not.toThrow();
  });

  it('uses only commands and flags ftpsweep has', () => {
    const invocations = blocks.flatMap((b) => [...b.matchAll(/npx ftpsweep (\S+)([^\n]*)/g)]);
    expect(invocations.length).toBeGreaterThan(2);
    for (const [, command, rest] of invocations) {
      expect(COMMANDS).toContain(command);
      for (const flag of rest!.match(/--[a-z-]+/g) ?? []) expect(FLAGS).toContain(flag);
    }
  });

  it('names every sweep flag the command line takes', () => {
    for (const flag of FLAGS) expect(readme, `${flag} is not in the README`).toContain(`\`${flag}`);
  });
});
