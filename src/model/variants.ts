/**
 * Syntax variants: the same data-port command written the ways real clients and odd stacks write it.
 * Inspecting firewalls trip over them (FIELD-NOTES §2–3): Linux's helper drops a PORT with a trailing
 * space or a bare LF (a partial match), Cisco ASA "inspect ftp strict" refuses pipelining and more
 * than 8 characters after the numbers, libalias only rewrites payloads of at most 128 bytes, Open
 * vSwitch parses only the first 128. Each variant is named in the report, so a ticket can say
 * "the firewall drops PORT with a trailing space".
 */
import { UsageError } from '../errors.js';

export const VARIANTS = ['plain', 'lower', 'extra-space', 'trailing-space', 'leading-zeros', 'bare-lf', 'pipelined', 'pad-128', 'pad-256'] as const;
export type Variant = (typeof VARIANTS)[number];

/** How a command goes on the wire. */
export interface Wire {
  /** The command line as sent, without terminator. */
  readonly line: string;
  readonly terminator: string;
  /** Commands sent in the same segment after this one (pipelining), terminators included. */
  readonly trailer: string;
  /** How many replies the trailer will add after the command's own. */
  readonly trailerReplies: number;
}

export const VARIANT_MEANING: Readonly<Record<Variant, string>> = {
  plain: 'as RFC 959 writes it',
  lower: 'the verb in lower case (RFC 959 §5.3: commands are case-insensitive)',
  'extra-space': 'two spaces after the verb',
  'trailing-space': 'a space before the CRLF',
  'leading-zeros': 'every number zero-padded to three digits',
  'bare-lf': 'terminated by LF alone, not CRLF',
  pipelined: 'followed by NOOP in the same TCP segment',
  'pad-128': 'padded with leading zeros to more than 128 bytes',
  'pad-256': 'padded with leading zeros to more than 256 bytes',
};

/** `--variant plain`, `--variant lower,bare-lf` or `--variant all`. */
export function parseVariants(text: string): Variant[] {
  if (text.trim() === 'all') return [...VARIANTS];
  const names = text.split(',').map((v) => v.trim());
  for (const name of names) {
    if (!(VARIANTS as readonly string[]).includes(name)) {
      throw new UsageError(`--variant ${name} is not a known variant`, `use all, or some of ${VARIANTS.join(', ')}`);
    }
  }
  // In the order variants are listed, whatever order they were given in: the order of the rows.
  return VARIANTS.filter((v) => names.includes(v));
}

/** Pads the first number after `at` with zeros until the line is longer than `length` bytes. */
function padNumber(line: string, at: number, length: number): string {
  const zeros = Math.max(0, length + 1 - line.length);
  return `${line.slice(0, at)}${'0'.repeat(zeros)}${line.slice(at)}`;
}

/** Where the number to pad starts: PORT's first number, EPRT's port. */
function numberStart(line: string): number {
  return line.startsWith('EPRT') ? line.lastIndexOf('|', line.length - 2) + 1 : line.indexOf(' ') + 1;
}

export function applyVariant(line: string, variant: Variant): Wire {
  const wire = (l: string, terminator = '\r\n', trailer = '', trailerReplies = 0): Wire => ({ line: l, terminator, trailer, trailerReplies });
  const space = line.indexOf(' ');
  switch (variant) {
    case 'plain':
      return wire(line);
    case 'lower':
      return wire(line.slice(0, space).toLowerCase() + line.slice(space));
    case 'extra-space':
      return wire(`${line.slice(0, space)} ${line.slice(space)}`);
    case 'trailing-space':
      return wire(`${line} `);
    case 'leading-zeros':
      // EPRT's address is text: only its port gets a leading zero.
      return wire(line.startsWith('EPRT') ? padNumber(line, numberStart(line), line.length) : line.replace(/\d+/g, (n) => n.padStart(3, '0')));
    case 'bare-lf':
      return wire(line, '\n');
    case 'pipelined':
      return wire(line, '\r\n', 'NOOP\r\n', 1);
    case 'pad-128':
      return wire(padNumber(line, numberStart(line), 128));
    case 'pad-256':
      return wire(padNumber(line, numberStart(line), 256));
  }
}

/** What `--split` takes: a fixed cut point, or every cut point in turn. */
export type Split = { readonly kind: 'none' } | { readonly kind: 'at'; readonly byte: number } | { readonly kind: 'auto' };

export function parseSplit(text: string | undefined): Split {
  if (text === undefined || text === 'none') return { kind: 'none' };
  if (text === 'auto') return { kind: 'auto' };
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 512) return { kind: 'at', byte: Number(text) };
  throw new UsageError(`--split ${text} is not auto or a byte position`, 'use --split auto (every cut point in turn) or --split N (cut after byte N, 1..512)');
}

/**
 * Where the `index`-th probe's command of `length` bytes is cut: after byte N, or, with auto, after
 * byte 1, 2, …, length-1 in turn, so a sweep tries every cut point.
 */
export function cutPoint(split: Split, length: number, index: number): number | undefined {
  if (split.kind === 'none' || length < 2) return undefined;
  if (split.kind === 'at') return Math.min(split.byte, length - 1);
  return (index % (length - 1)) + 1;
}
