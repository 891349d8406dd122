/**
 * Runs the built CLI (dist/, made by `npm run build`, which `npm test` runs first) as a child
 * process, with a deadline; a child that overstays is killed by its pid.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startProgram, type Serving } from './programs.js';

export const CLI = fileURLToPath(new URL('../../dist/bin/main.js', import.meta.url));

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** stderr without `progress`'s lines: what a test checks for errors. */
  readonly stderr: string;
  /**
   * What a sweep says on stderr while it runs (report/progressReporter.ts): a progress line every
   * 10 s off a terminal — so a busy machine must not change what `stderr` holds — and the early
   * diagnosis when the first values all fail alike.
   */
  readonly progress: readonly string[];
}

const PROGRESS_LINE = /^ftpsweep: (\d+\/\d+ values \(\d+%\), .*|.* so far \(first \d+ values\): .*; the sweep goes on)$/;

/** Splits a sweep's stderr into its progress lines and the rest. */
export function splitProgress(stderr: string): { stderr: string; progress: string[] } {
  const lines = stderr.split('\n');
  return { stderr: lines.filter((l) => !PROGRESS_LINE.test(l)).join('\n'), progress: lines.filter((l) => PROGRESS_LINE.test(l)) };
}

/**
 * Runs `ftpsweep args…`; `prefix` runs it through another command first (e.g. `ip netns exec NS`).
 */
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; prefix?: readonly string[] } = {}): Promise<CliRun> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const command = [...(options.prefix ?? []), process.execPath, CLI, ...args];
    const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ftpsweep ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, ...splitProgress(stderr) });
    });
  });
}

/** Starts a long-running CLI command (reflect, simulate) and resolves once it prints `listening on HOST:PORT`. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, prefix: readonly string[] = []): Promise<Serving> {
  assertBuilt();
  return startProgram({ command: [...prefix, process.execPath, CLI], cwd: process.cwd(), env: { ...process.env, ...env } }, args);
}

/** An expected error: exit 2, exactly one line on stderr, no stack trace. */
export function expectOneLineError(run: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}
