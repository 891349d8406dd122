/**
 * The README's CI examples are copied into real pipelines: they must be valid YAML, every ftpsweep
 * command in them must be one the command line accepts — parsed by its own yargs commands, so a
 * flag it does not take fails here — and they must start a baseline on the first run and replace
 * it only on a deliberate step.
 */
import { existsSync, readFileSync } from 'node:fs';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CommandModule } from 'yargs';
import { SETTINGS } from '../../src/config/settings.js';
import type { Run } from '../../src/cli/handler.js';
import { demoCommand, reflectCommand, simulateCommand } from '../../src/cli/serverCommands.js';
import { probeCommand } from '../../src/cli/probeCommand.js';
import { mergeCommand, reportCommand, runCommand, sweepCommand } from '../../src/cli/sweepCommands.js';

const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const FLAGS = Object.keys(SETTINGS).map((name) => `--${name}`);

/** The commands as the CLI defines them; their handlers are never run here. */
const never: Run = () => async () => undefined;
const COMMANDS: Record<string, CommandModule> = Object.fromEntries(
  [sweepCommand, runCommand, probeCommand, reportCommand, mergeCommand, reflectCommand, simulateCommand, demoCommand].map((make) => {
    const command = make(never);
    return [String(command.command).split(' ')[0], command];
  }),
);

/** Every shell command string in a CI file: GitHub's `run:` steps, GitLab's `script:` entries. */
function shellCommands(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(shellCommands);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'run' && typeof value === 'string') return [value];
    if (key === 'script' && Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    return shellCommands(value);
  });
}

/**
 * The ftpsweep invocations in a shell command, as argument lists: `npx ftpsweep …` or `ftpsweep …`,
 * up to a shell operator. CI expressions (`${{ matrix.shard }}`, `${CI_NODE_INDEX}`) stand for one word.
 */
function invocations(command: string): string[][] {
  const plain = command.replace(/\$\{\{[^}]*\}\}|\$\{\w+\}|\$\w+/g, 'X');
  const calls: string[][] = [];
  for (const part of plain.split(/\n|&&|\|\||;|\$\(|\)/)) {
    const words = part.trim().split(/\s+/);
    const at = words.indexOf('ftpsweep');
    if (at >= 0 && (at === 0 || words[at - 1] === 'npx')) calls.push(words.slice(at + 1));
  }
  return calls;
}

/** Parses `args` with the command's own yargs definition, strictly, as the CLI does. */
async function parseAs(args: readonly string[]): Promise<Record<string, unknown>> {
  const [name, ...rest] = args;
  const command = COMMANDS[name!];
  if (!command) throw new Error(`ftpsweep ${name} is not a command`);
  let parsed: Record<string, unknown> = {};
  await yargs(rest)
    .command({ ...command, command: String(command.command).replace(/^\S+/, '$0'), handler: (a: Record<string, unknown>) => void (parsed = a) })
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new Error(`ftpsweep ${args.join(' ')}: ${message}`);
    })
    .parseAsync();
  return parsed;
}

const examples = blocks.map((b) => parse(b) as unknown);
const github = examples.find((e) => typeof e === 'object' && e !== null && 'jobs' in e && 'on' in e);
const gitlab = examples.find((e) => JSON.stringify(e ?? null).includes('CI_NODE_INDEX'));

describe('README CI examples', () => {
  it('has a GitHub Actions and a GitLab CI example, each valid YAML', () => {
    for (const block of blocks) expect(() => parse(block)).not.toThrow();
    expect(github).toBeDefined();
    expect(gitlab).toBeDefined();
  });

  it.each([
    ['GitHub', () => github],
    ['GitLab', () => gitlab],
  ])('%s: every ftpsweep command parses with the real commands and flags', async (_, example) => {
    const calls = shellCommands(example()).flatMap(invocations);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const call of calls) {
      const args = await parseAs(call);
      if (call[0] === 'run') expect(existsSync(String(args.file)), `${args.file} does not exist`).toBe(true);
    }
  });

  it('the parser refuses what the CLI refuses: an unknown flag, a sweep flag on merge', async () => {
    await expect(parseAs(['merge', 'a', '--out', 'm', '--update-baselines', 'b'])).rejects.toThrow(/Unknown argument/);
    await expect(parseAs(['merge', 'a', '--out', 'm', '--concurrency', '4'])).rejects.toThrow(/Unknown argument/);
    await expect(parseAs(['merge', 'a', '--out', 'm', '--update-baseline', 'b/'])).resolves.toMatchObject({ 'update-baseline': 'b/' });
  });

  it.each([
    ['GitHub', () => github],
    ['GitLab', () => gitlab],
  ])('%s: the first run starts the baseline; later runs compare, and replace it only on a deliberate step', (_, example) => {
    const merges = shellCommands(example())
      .flatMap(invocations)
      .filter((call) => call[0] === 'merge');
    const has = (call: string[], flag: string): boolean => call.includes(flag);
    // Without a baseline: written from this run, whatever failed.
    expect(merges.some((c) => has(c, '--update-baseline') && !has(c, '--baseline'))).toBe(true);
    // Every night: compared, not replaced.
    expect(merges.some((c) => has(c, '--baseline') && !has(c, '--update-baseline'))).toBe(true);
    // Accepting a new state: compared, then replaced.
    expect(merges.some((c) => has(c, '--baseline') && has(c, '--update-baseline'))).toBe(true);
  });

  it('names every sweep flag the command line takes', () => {
    for (const flag of FLAGS) expect(readme, `${flag} is not in the README`).toContain(`\`${flag}`);
  });
});
