/**
 * The command line: a thin yargs layer. Each handler normalises its flags, calls the library, prints,
 * and returns the exit code: 0 all values pass, 1 some value failed, 2 a usage, connection, login
 * or local error (one line, no stack).
 */
import yargs from 'yargs';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import type { Run } from './handler.js';
import { describeError, type Io } from './io.js';
import { demoCommand, reflectCommand, simulateCommand } from './serverCommands.js';
import { mergeCommand, probeCommand, reportCommand, runCommand, sweepCommand } from './sweepCommands.js';

const COMMANDS = ['sweep', 'run', 'probe', 'report', 'merge', 'reflect', 'simulate', 'demo'];


export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const run: Run = (handler) => async (args) => {
    exitCode = await handler(args, io);
  };
  try {
    // Passwords on the command line leak into shell history and `ps`: refuse them outright.
    if (argv.some((a) => /^--?(password|pass|pw)(=|$)/.test(a))) {
      throw new UsageError('passwords are never taken on the command line', 'put it in an environment variable and name it with --password-env VAR');
    }
    await yargs([...argv])
      .scriptName('ftpsweep')
      .usage('$0 <command> [options]\n\nFind the PORT values an FTP-inspecting firewall corrupts.')
      .command(sweepCommand(run))
      .command(runCommand(run))
      .command(probeCommand(run))
      .command(reportCommand(run))
      .command(mergeCommand(run))
      .command(reflectCommand(run))
      .command(simulateCommand(run))
      .command(demoCommand(run))
      .demandCommand(1, `give a command: ${COMMANDS.join(', ')}`)
      .strict()
      .version(VERSION)
      .help()
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .exitProcess(false)
      .fail((message, error) => {
        if (error) throw error;
        // yargs puts a demandOption's text on a second line: make it the hint of a one-line error.
        const [first, ...more] = message.split('\n');
        const command = COMMANDS.includes(argv[0] ?? '') ? `${argv[0]} ` : '';
        throw new UsageError(first ?? message, more.join(' ') || `see ftpsweep ${command}--help`);
      })
      .parseAsync();
  } catch (error) {
    io.err(describeError(error));
    return 2;
  }
  return exitCode;
}
