/**
 * What a sweep varies, and the command each value becomes.
 *
 * PORT carries six bytes, h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2); a sweep varies one field over its
 * values, or two fields at once (a 2-D sweep: value = first × 256 + second, so for `p1,p2` the
 * value is the port itself). EPRT (RFC 2428) carries the address as text and the port as one number;
 * its port bytes are swept the same way. Each control connection owns one port byte that the sweep
 * does not vary (the high byte, unless p1 is swept): so one probe's corruption cannot land on
 * another connection's listener.
 */
import { UsageError } from '../errors.js';
import { eprtCommand, portCommand } from '../ftp/portCommand.js';

export const FIELDS = ['h1', 'h2', 'h3', 'h4', 'p1', 'p2'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * The command probed: a data-port command, PORT (IPv4 only) or EPRT (IPv4 or IPv6), where the
 * client names the address; or a passive one, PASV or EPSV, where the server does (the value is
 * then the port the reflector is asked to offer).
 */
export type DataCommand = 'PORT' | 'EPRT' | 'PASV' | 'EPSV';

export function isPassive(command: DataCommand): command is 'PASV' | 'EPSV' {
  return command === 'PASV' || command === 'EPSV';
}

export interface Plan {
  readonly command: DataCommand;
  /** One field, or two for a 2-D sweep. */
  readonly fields: readonly Field[];
}

/** Parses `--field p2` or `--field p1,p2`. */
export function parseFields(text: string, command: DataCommand = 'PORT'): Field[] {
  const fields = text.split(',').map((f) => f.trim());
  const hint = 'use one of h1, h2, h3, h4, p1, p2, or two of them separated by a comma (e.g. p1,p2)';
  for (const f of fields) if (!(FIELDS as readonly string[]).includes(f)) throw new UsageError(`--field ${f} is not a PORT field`, hint);
  if (fields.length > 2 || (fields.length === 2 && fields[0] === fields[1])) throw new UsageError(`--field ${text}: one field or two different ones`, hint);
  if (command !== 'PORT' && fields.some((f) => f.startsWith('h'))) {
    throw new UsageError(`--field ${text} with ${command}: only its port bytes (p1, p2) are swept`, `use --field p2, p1 or p1,p2 with --command ${command}`);
  }
  return fields as Field[];
}

/**
 * The lowest p1 a 2-D sweep probes: p1 0..3 make ports below 1024, which servers refuse for PORT
 * and EPRT and the reflector never offers (RFC 2577) — 1,024 refusals that say nothing about the
 * firewall. (Sweeping p1 alone, the default values start at 4 too, but a value list given by hand
 * is kept whole: there each value is one probe the user asked for by name.)
 */
export const LOWEST_P1 = 4;

/** The values one field of a 2-D sweep takes: p1 from LOWEST_P1, any other field all of them. */
export function axisValues(field: Field, values: readonly number[]): number[] {
  return field === 'p1' ? values.filter((v) => v >= LOWEST_P1) : [...values];
}

/**
 * Every value of the sweep: the values themselves, or all pairs as first × 256 + second (with p1
 * from LOWEST_P1: `--field p1,p2` sweeps ports 1024..65535, 64,512 of them).
 */
export function planValues(plan: Plan, values: readonly number[]): number[] {
  if (plan.fields.length === 1) return [...values];
  const [first, second] = plan.fields.map((f) => axisValues(f, values)) as [number[], number[]];
  return first.flatMap((a) => second.map((b) => a * 256 + b));
}

/** The port byte each connection owns: the high byte, or the low byte when p1 is swept, or none. */
export function ownedByte(plan: Plan): 'p1' | 'p2' | undefined {
  const swept = new Set(plan.fields);
  if (!swept.has('p1')) return 'p1';
  return swept.has('p2') ? undefined : 'p2';
}

export interface ProbeTarget {
  /** The command line, without terminator. */
  readonly line: string;
  /** The port data should arrive at. */
  readonly port: number;
  /** Whether data can come to us at all: not when a swept address field names another host. */
  readonly dataExpected: boolean;
}

/**
 * The command for `value` on a connection owning byte `own`, advertising `advertise` (our address).
 * With an address field swept, p2 takes the value too, so successive probes use different ports.
 */
export function probeTarget(plan: Plan, value: number, own: number, advertise: string): ProbeTarget {
  const swept: number[] = plan.fields.length === 1 ? [value] : [value >> 8, value & 255];
  const owned = ownedByte(plan);
  const bytes: Record<Field, number> = { h1: 0, h2: 0, h3: 0, h4: 0, p1: own, p2: swept.at(-1)! };
  if (owned === 'p2') bytes.p2 = own;
  if (plan.command === 'PORT') {
    const octets = advertise.split('.').map(Number);
    FIELDS.slice(0, 4).forEach((f, i) => (bytes[f] = octets[i]!));
  }
  plan.fields.forEach((f, i) => (bytes[f] = swept[i]!));
  const port = bytes.p1 * 256 + bytes.p2;
  if (isPassive(plan.command)) return { line: plan.command, port, dataExpected: true };
  if (plan.command === 'EPRT') return { line: eprtCommand(advertise, port), port, dataExpected: true };
  const host = `${bytes.h1}.${bytes.h2}.${bytes.h3}.${bytes.h4}`;
  return { line: portCommand(host, bytes.p1, bytes.p2), port, dataExpected: host === advertise };
}

/** What the far side must have seen, given only the port its data connection reached. */
export function inferredSeen(command: DataCommand, port: number): string {
  return command === 'PORT' ? `PORT ...,${port >> 8},${port & 255}` : command === 'EPRT' ? `EPRT |.|...|${port}|` : `${command} ...${port}`;
}
