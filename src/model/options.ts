/**
 * What a sweep is asked to do: the library's options, their defaults, and the checks on them.
 */
import type { TlsSettings } from '../ftp/connect.js';
import { UsageError } from '../errors.js';
import type { Oracle } from './evidence.js';
import type { HighByteSpec } from './ownedBytes.js';
import type { DataCommand, Field } from './plan.js';
import type { Shard } from './shard.js';
import type { Split, Variant } from './variants.js';

export interface SweepOptions {
  readonly host: string;
  /** Control port. Default 21. */
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** True when the password came from the environment: it is then masked wherever it could show. */
  readonly passwordIsSecret: boolean;
  readonly oracle: Oracle;
  /** PORT (default) or EPRT. */
  readonly command: DataCommand;
  /** The field swept (default p2), or two for a 2-D sweep. */
  readonly fields: readonly Field[];
  /** The values of each swept field, 0..255. */
  readonly values: readonly number[];
  /** How each command is written (default plain only). */
  readonly variants: readonly Variant[];
  /** Whether each data-port command goes out in two TCP segments. */
  readonly split: Split;
  readonly highByte: HighByteSpec;
  /** The address the command carries; default the control connection's local address. */
  readonly advertise: string | undefined;
  /** Control connections at once. Default 4. */
  readonly concurrency: number;
  /** Deadline of every wait, in milliseconds. Default 5000. */
  readonly timeoutMs: number;
  /** Extra attempts for each value that did not pass. Default 2. */
  readonly confirm: number;
  /** Probe only this shard's share of the probes (`--shard K/N`). */
  readonly shard?: Shard | undefined;
  /**
   * Explicit FTPS on every control connection (AUTH TLS, RFC 4217), data connections in clear: a
   * middlebox cannot read or rewrite commands it cannot see — the control group for a plain sweep.
   */
  readonly tls?: TlsSettings | undefined;
}

export const SWEEP_DEFAULTS = {
  port: 21,
  user: 'anonymous',
  // RFC 1635: anonymous FTP asks for an e-mail-like identification as password; not a secret.
  password: 'ftpsweep@',
  oracle: 'data',
  command: 'PORT',
  fields: ['p2'],
  variants: ['plain'],
  split: { kind: 'none' },
  highByte: 'auto',
  concurrency: 4,
  timeoutMs: 5000,
  confirm: 2,
} as const satisfies Partial<SweepOptions>;

/** Checks option ranges; throws UsageError naming the flag. */
export function validateSweepOptions(options: SweepOptions): void {
  const int = (name: string, n: number, min: number, max: number): void => {
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} ${n} is out of range`, `use a whole number ${min}..${max}`);
  };
  int('--port', options.port, 1, 65535);
  int('--concurrency', options.concurrency, 1, 100);
  int('--timeout', options.timeoutMs, 100, 600_000);
  int('--confirm', options.confirm, 0, 10);
  if (options.values.length === 0) throw new UsageError('no values to probe', 'give --values, e.g. 0-255');
  for (const v of options.values) int('value', v, 0, 255);
  if (options.variants.length === 0) throw new UsageError('no variants to probe', 'give --variant plain, or leave it out');
  if (options.fields.length === 2 && (options.variants.length > 1 || options.variants[0] !== 'plain' || options.split.kind !== 'none')) {
    throw new UsageError('a 2-D sweep (two fields) takes no --variant or --split', 'sweep variants and split commands over one field');
  }
}
