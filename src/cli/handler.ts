/**
 * What a command module gives the program, and what the program gives it back: the contract that
 * keeps every command thin (flags in, exit code out) and the exit code decided in one place.
 */
import type { Io } from './io.js';

/** A command's handler: parsed flags in, exit code out. */
export type Handler = (args: Record<string, unknown>, io: Io) => Promise<number>;

/** Wraps a handler for yargs; the program keeps the exit code it returns. */
export type Run = (handler: Handler) => (args: Record<string, unknown>) => Promise<void>;
