/**
 * What the command line tells before it runs anything: each command's --help, with examples and
 * its defaults in one form, and shell completion (`ftpsweep completion`), tried in a real bash.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { SETTINGS } from '../../src/config/settings.js';

/** Every command but probe, whose flags are its own. */
const COMMANDS = ['sweep', 'run', 'report', 'merge', 'reflect', 'simulate', 'demo'];

describe('--help', () => {
  it.each(COMMANDS)('%s --help shows examples and every default as [default: …] after the type', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Examples:\\n  ftpsweep ${command}`));
    // One form: the type, then the default, unquoted; never a default inside the description.
    expect(run.stdout).not.toMatch(/\[default: "/);
    expect(run.stdout).not.toMatch(/\[default: [^\]]*\][^\n]*\[(string|number|boolean)\]/);
    for (const line of run.stdout.split('\n').filter((l) => l.includes('[default:'))) expect(line).toMatch(/\[(string|number|boolean)\](?: \[required\])? \[default: [^\]]+\]$/);
  });

  it('defaults read off the settings table and the reflector limits, computed ones by what they mean', async () => {
    // Help wraps at the terminal's width: compared with its whitespace made single spaces.
    const help = async (command: string): Promise<string> => (await runCli([command, '--help'])).stdout.replace(/\s+/g, ' ');
    const sweep = await help('sweep');
    expect(sweep).toContain('--port FTP control port [number] [default: 21]');
    expect(sweep).toContain(`e.g. 220-230,0 [string] [default: ${SETTINGS.values.shown}]`);
    expect(sweep).toContain('report folder [string] [default: reports/<host>-<port>-<YYYYMMDD-HHMMSS>]');
    expect(sweep).toMatch(/--tls explicit FTPS [^[]*\[boolean\] --tls-ca/);
    const reflect = await help('reflect');
    expect(reflect).toMatch(/--listen [^[]*\[string\] \[default: 127\.0\.0\.1:2121\]/);
    expect(reflect).toMatch(/--max-connections [^[]*\[number\] \[default: 256\]/);
  });

  it('the overview lists completion beside the commands, and a typo near it is caught', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toMatch(/ftpsweep completion +print a bash\/zsh script/);
    expect((await runCli(['completon'])).stderr).toMatch(/did you mean ftpsweep completion\?/);
  });
});

describe('shell completion', () => {
  let bin: string;
  beforeAll(async () => {
    // The script calls `ftpsweep` by name, as an installed one would be.
    bin = await mkdtemp(path.join(tmpdir(), 'ftpsweep-completion-'));
    await writeFile(path.join(bin, 'ftpsweep'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(path.join(bin, 'ftpsweep'), 0o755);
  });
  afterAll(async () => {
    if (bin) await rm(bin, { recursive: true, force: true });
  });

  it('ftpsweep completion prints a bash script (a zsh one under zsh), and takes no arguments', async () => {
    const bash = await runCli(['completion'], { env: { SHELL: '/bin/bash', ZSH_NAME: '' } });
    expect(bash.code).toBe(0);
    expect(bash.stdout).toMatch(/ftpsweep --get-yargs-completions/);
    expect(bash.stdout).toMatch(/^complete -o bashdefault -o default -F _ftpsweep_yargs_completions ftpsweep$/m);
    const zsh = await runCli(['completion'], { env: { SHELL: '/bin/zsh' } });
    expect(zsh.stdout).toMatch(/^#compdef ftpsweep/);
    expect((await runCli(['completion', 'x'])).code).toBe(2);
  });

  it('--get-yargs-completions: the commands, then a command\'s own flags', async () => {
    const commands = (await runCli(['--get-yargs-completions', 'swe'])).stdout.split('\n');
    expect(commands).toContain('sweep');
    expect(commands).toContain('completion');
    const flags = (await runCli(['--get-yargs-completions', 'ftpsweep', 'reflect', '--'])).stdout.split('\n');
    expect(flags).toContain('--max-connections');
    expect(flags).not.toContain('--host');
  });

  /** What bash offers for `words` (the last one being completed), with the script sourced. */
  function complete(...words: string[]): string[] {
    const script = execFileSync(process.execPath, [CLI, 'completion'], { env: { ...process.env, SHELL: '/bin/bash', ZSH_NAME: '' } }).toString();
    const line = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ftpsweep_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', line], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: 20_000 }).toString().trim().split('\n');
  }

  it('in bash: ftpsweep swe<Tab> is sweep, ftpsweep sweep --ho<Tab> is --host', () => {
    expect(complete('ftpsweep', 'swe')).toEqual(['sweep']);
    expect(complete('ftpsweep', 'sweep', '--ho')).toEqual(['--host']);
    expect(complete('ftpsweep', 'simulate', '--re')).toEqual(['--refuse-every']);
  });
});
