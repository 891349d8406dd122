/**
 * The command line: a thin yargs layer. Each handler normalises its flags, calls the library, prints,
 * and returns the exit code: 0 all values pass, 1 some value failed, 2 a usage, connection, login
 * or local error (one line, no stack).
 *
 * Start-up is part of every run (a whole default sweep takes a few hundred ms), so only what a run
 * needs is loaded: `--version` loads nothing else, and a command loads its own module and yargs.
 * The command is parsed as yargs' default command: yargs renders the whole help text after running
 * any other command's handler (to show it on a later failure), which cost more than a loopback sweep.
 */
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import type { Handler, Run } from './handler.js';
import { describeError, type Io } from './io.js';

type Argv = import('yargs').Argv;
type CommandModule = import('yargs').CommandModule;
type MakeCommand = (run: Run) => CommandModule;

/** The commands, in the order `--help` lists them, each loaded only when it runs. */
const COMMANDS: Readonly<Record<string, { readonly usage: string; readonly describe: string; readonly load: () => Promise<MakeCommand> }>> = {
  sweep: { usage: 'sweep', describe: 'probe every value (default 0..255) and write the reports', load: async () => (await import('./sweepCommands.js')).sweepCommand },
  run: { usage: 'run <file>', describe: 'run a sweep file (sweeps/*.yaml); flags given here override the file', load: async () => (await import('./sweepCommands.js')).runCommand },
  probe: { usage: 'probe', describe: 'probe one value and print the whole dialogue (for a ticket); --repeat N for the firewall team', load: async () => (await import('./probeCommand.js')).probeCommand },
  report: { usage: 'report <dir>', describe: "re-render report.html and report.md from a report folder's results.csv and summary.json", load: async () => (await import('./sweepCommands.js')).reportCommand },
  merge: { usage: 'merge <dirs..>', describe: 'join the reports of shards (--shard K/N) into one report folder', load: async () => (await import('./sweepCommands.js')).mergeCommand },
  reflect: { usage: 'reflect', describe: 'run the reflector: an FTP server that echoes the exact bytes it received (place it behind the firewall)', load: async () => (await import('./serverCommands.js')).reflectCommand },
  simulate: { usage: 'simulate', describe: "run a TCP proxy that corrupts PORT commands like the example broken firewall", load: async () => (await import('./serverCommands.js')).simulateCommand },
  demo: { usage: 'demo', describe: 'sweep a loopback reflector through a simulated firewall that corrupts 227', load: async () => (await import('./serverCommands.js')).demoCommand },
};

/** `ftpsweep completion`: yargs' shell completion, which loads every command (only then). */
const COMPLETION = 'completion';
const COMPLETION_HELP = 'print a bash/zsh script that completes ftpsweep\'s commands and flags (ftpsweep completion >> ~/.bashrc)';

/** What every parser shares: strict flags, help, version, our one-line errors, no process.exit. */
function common(y: Argv, name: string | undefined): Argv {
  return y
    .scriptName(name === undefined ? 'ftpsweep' : `ftpsweep ${name}`)
    .strict()
    .version(VERSION)
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      // yargs puts a demandOption's text on a second line: make it the hint of a one-line error.
      const [first, ...more] = message.split('\n');
      throw new UsageError(first ?? message, more.join(' ') || `see ftpsweep ${name === undefined ? '' : `${name} `}--help`);
    });
}

/** The command within two edits (insert, delete, change a letter) of `typed`, if one is. */
function closest(typed: string, names: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  const [best] = names.map((n) => [n, distance(typed.toLowerCase(), n)] as const).sort((x, y) => x[1] - y[1]);
  return best && best[1] <= 2 ? best[0] : undefined;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const run: Run = (handler: Handler) => async (args) => {
    exitCode = await handler(args, io);
  };
  try {
    // Passwords on the command line leak into shell history and `ps`: refuse them outright.
    if (argv.some((a) => /^--?(password|pass|pw)(=|$)/.test(a))) {
      throw new UsageError('passwords are never taken on the command line', 'put it in an environment variable and name it with --password-env VAR');
    }
    if (argv.length === 1 && argv[0] === '--version') {
      io.out(VERSION);
      return 0;
    }
    const { default: yargs } = await import('yargs');
    const name = argv[0];
    if (name === COMPLETION || argv.includes('--get-yargs-completions')) {
      // Only here are all the commands loaded: completing `sweep --ho` needs sweep's flags.
      let all = common(yargs([...argv]), undefined).completion(COMPLETION, COMPLETION_HELP);
      if (name === COMPLETION) {
        // yargs' own `completion` command trips over strict(): the script is printed here.
        if (argv.length > 1) throw new UsageError(`ftpsweep completion takes no ${argv.slice(1).join(' ')}`, 'ftpsweep completion >> ~/.bashrc (or ~/.zshrc under zsh)');
        all.showCompletionScript();
        return 0;
      }
      for (const { usage, load } of Object.values(COMMANDS)) all = all.command({ ...(await load())(run), command: usage });
      await all.parseAsync();
      return 0;
    }
    const entry = name === undefined ? undefined : COMMANDS[name];
    if (entry === undefined && name !== undefined && !name.startsWith('-')) {
      const near = closest(name, [...Object.keys(COMMANDS), COMPLETION]);
      throw new UsageError(`${JSON.stringify(name)} is not a command`, near ? `did you mean ftpsweep ${near}? (see ftpsweep --help)` : `give one of ${[...Object.keys(COMMANDS), COMPLETION].join(', ')}`);
    }
    if (entry === undefined) {
      // No command: the overview (--help), or an error saying to give one.
      let top = common(yargs([...argv]), undefined).usage('$0 <command> [options]\n\nFind the PORT values an FTP-inspecting firewall corrupts.');
      for (const { usage, describe } of Object.values(COMMANDS)) top = top.command(usage, describe);
      await top
        .command(COMPLETION, COMPLETION_HELP)
        .example('$0 demo', 'see a broken firewall found, on this machine')
        .example('$0 sweep --host 192.0.2.10', 'sweep the FTP server behind a firewall (ftpsweep sweep --help: more)')
        .example('$0 completion >> ~/.bashrc', 'complete commands and flags with Tab (bash; zsh: ~/.zshrc)')
        .demandCommand(1, `give a command: ${Object.keys(COMMANDS).join(', ')}`)
        .parseAsync();
      return 0;
    }
    const command = (await entry.load())(run);
    await common(yargs(argv.slice(1)), name)
      .command({ ...command, command: entry.usage.replace(/^\S+/, '$0') })
      .parseAsync();
  } catch (error) {
    io.err(describeError(error));
    return 2;
  }
  return exitCode;
}
