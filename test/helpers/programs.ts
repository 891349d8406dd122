/**
 * Runs ftpsweep as it is installed — the single executable, or the bin of a package installed with
 * npm — as a child process with a deadline; a child that overstays is killed by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export interface ProgramRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Spawn {
  /** The program and the arguments before the test's own (e.g. `[node, main.js]`). */
  readonly command: readonly string[];
  readonly cwd: string;
  /** The child's whole environment (nothing is inherited). */
  readonly env: NodeJS.ProcessEnv;
}

/** An empty folder to use as the only PATH: nothing, node included, can be found through it. */
export function emptyPath(parent: string = tmpdir()): string {
  return mkdtempSync(path.join(parent, 'empty-path-'));
}

/** Runs `command… args…` to its end, or kills it after `timeoutMs`. */
export function runProgram(spawnIn: Spawn, args: readonly string[], timeoutMs = 60_000): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const [program, ...before] = spawnIn.command;
    const child = spawn(program!, [...before, ...args], { cwd: spawnIn.cwd, env: spawnIn.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spawnIn.command.join(' ')} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Serving {
  readonly child: ChildProcess;
  readonly port: number;
  readonly stderr: () => string;
  /** SIGTERM (SIGKILL after 5 s) by pid; resolves to the exit code. */
  readonly stop: () => Promise<number | null>;
}

/** Starts a companion (reflect, simulate) and resolves once it prints `listening on HOST:PORT`. */
export function startProgram(spawnIn: Spawn, args: readonly string[]): Promise<Serving> {
  return new Promise((resolve, reject) => {
    const [program, ...before] = spawnIn.command;
    const child = spawn(program!, [...before, ...args], { cwd: spawnIn.cwd, env: spawnIn.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const stop = async (): Promise<number | null> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    };
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${args.join(' ')} did not start listening within 10 s: ${stderr}`));
    }, 10_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /listening on \S+:(\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), stderr: () => stderr, stop });
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited before listening: ${stderr}`));
    });
  });
}

/** What `sweepThroughCompanions` saw. */
export interface CompanionSweep {
  readonly sweep: ProgramRun;
  readonly rows: readonly Record<string, string>[];
  /** The exit codes of the reflector and the simulated firewall, stopped by SIGTERM. */
  readonly stopped: readonly (number | null)[];
  readonly logs: string;
}

/**
 * The seed's story with nothing but the program: its reflector, its simulated firewall corrupting
 * 227 in front of it, and a sweep of 220..230 through both into `<cwd>/report`.
 */
export async function sweepThroughCompanions(spawnIn: Spawn): Promise<CompanionSweep> {
  const reflector = await startProgram(spawnIn, ['reflect', '--listen', '127.0.0.1:0']);
  try {
    const firewall = await startProgram(spawnIn, ['simulate', '--listen', '127.0.0.1:0', '--upstream', `127.0.0.1:${reflector.port}`, '--corrupt', '227']);
    try {
      const sweep = await runProgram(spawnIn, ['sweep', '--host', '127.0.0.1', '--port', String(firewall.port), '--values', '220-230', '--out', 'report']);
      const rows = sweep.code === 2 ? [] : (parse(readFileSync(path.join(spawnIn.cwd, 'report', 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[]);
      return { sweep, rows, stopped: [await firewall.stop(), await reflector.stop()], logs: `${reflector.stderr()}${firewall.stderr()}` };
    } finally {
      await firewall.stop();
    }
  } finally {
    await reflector.stop();
  }
}
