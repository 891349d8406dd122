/**
 * What one probe attempt observed, before any judgement. Classification (verdict.ts) is a pure
 * function of this record, so it can be tested by tables without sockets.
 */
import type { Phase } from '../ftp/errors.js';
import type { ParseResult } from '../ftp/portCommand.js';
import type { Reply } from '../ftp/replyParser.js';
import type { DataCommand } from './plan.js';
import type { Variant } from './variants.js';

/**
 * `data`: PORT, then a listing (NLST), and the data connection must reach the exact port we asked
 * for — the oracle that catches what reply codes hide. `reply`: stop after the PORT reply.
 */
export type Oracle = 'data' | 'reply';

/** What happened to the data connection. */
export type DataOutcome =
  | { readonly kind: 'not-tried' }
  | { readonly kind: 'none' }
  | { readonly kind: 'arrived'; readonly port: number; readonly bytes: number }
  /** Reached the right port but was never closed by the server before we gave up. */
  | { readonly kind: 'open'; readonly port: number; readonly bytes: number }
  /** Reached another port of the same high byte: the server understood a different value. */
  | { readonly kind: 'wrong-port'; readonly port: number; readonly bytes: number };

/** Why an attempt ended early. Reply codes are never failures: they are in `replies`. */
export type Failure =
  | { readonly kind: 'timeout'; readonly phase: Phase; readonly timeoutMs: number; readonly message: string }
  | { readonly kind: 'closed'; readonly phase: Phase; readonly reset: boolean; readonly message: string }
  | { readonly kind: 'protocol'; readonly message: string }
  | { readonly kind: 'local'; readonly message: string };

/** For PASV/EPSV: the server's offer, as it left (the reflector says) and as it arrived. */
export interface PassiveOffer {
  /** The 227/229 reply line as received, tags removed. */
  readonly received: string;
  /** The line the reflector says it sent; undefined for other servers. */
  readonly reported: string | undefined;
  /** The address read from what was received, or why it could not be read. */
  readonly parsed: ParseResult;
  /** Why connecting to the offer failed, if it did. */
  readonly connectError: string | undefined;
}

/**
 * One TCP connection's two ends as a firewall logs them, `address:port` each (IPv6 in brackets):
 * `from` opened it, to `to`.
 */
export interface Link {
  readonly from: string;
  readonly to: string;
}

export interface Attempt {
  readonly value: number;
  readonly oracle: Oracle;
  readonly command: DataCommand;
  readonly variant: Variant;
  /** The command line as sent, without its terminator (shown as `sent`). */
  readonly sent: string;
  /** Exactly the bytes of the command, terminator included (latin1): what an echo should equal. */
  readonly sentBytes: string;
  /** Where the command was cut into two TCP segments (`--split`), if it was. */
  readonly cut: number | undefined;
  readonly expectedPort: number;
  /** False when a swept address field names another host: no data can come to us then. */
  readonly dataExpected: boolean;
  /** Every reply of this attempt in order: the PORT reply first. */
  readonly replies: readonly Reply[];
  readonly portReply: Reply | undefined;
  /** The reply ending the listing (226/250, or 425 …), when one came. */
  readonly finalReply: Reply | undefined;
  /** The reflector's echo of the PORT line: the exact bytes it received (latin1), terminator included. */
  readonly echo: string | undefined;
  /** A PORT command echoed in a reply's text by a server (BSD ftpd style). */
  readonly echoedInReply: string | undefined;
  /**
   * The data-port command the reflector says it connected back for (latin1, terminator included),
   * from its listing replies or its data: behind an application proxy, which answers PORT itself,
   * the proxy's own command — the only word of what the far side was told.
   */
  readonly relayed: string | undefined;
  /**
   * Whether the probed command went out. When it did not (the connection was found closed, or
   * answered something unasked), the attempt says nothing about the value and is made again.
   */
  readonly commandSent: boolean;
  /** PASV/EPSV only: the offer. */
  readonly offer: PassiveOffer | undefined;
  readonly data: DataOutcome;
  /**
   * The ends of the data connection `data` describes (server → us for PORT/EPRT, us → server for
   * PASV/EPSV), so a firewall team can find it in their logs. Only kept with a transcript
   * (`ftpsweep probe`): a sweep does not pay for the text.
   */
  readonly dataLink: Link | undefined;
  readonly failure: Failure | undefined;
  /** Whether the other ports of the high byte were listened on too. */
  readonly wide: boolean;
  /** Facts worth a line in the report: a taken port and the high byte used instead, … */
  readonly notes: readonly string[];
  readonly ms: number;
}

/** What every attempt has, whatever it observed. */
export type AttemptIdentity = Pick<Attempt, 'value' | 'oracle' | 'command' | 'variant'>;

const NOT_TRIED: DataOutcome = { kind: 'not-tried' };

/**
 * An attempt record: its identity, what was observed, and nothing else — every observation left
 * out is empty. One literal with every field in one order, so all attempts share one V8 shape.
 * Pass `seen` as a literal, not a spread: a spread object read here field by field cost a 2-D
 * sweep 40% more CPU and 25 MB more memory (measured, 16,384 probes).
 */
export function makeAttempt(identity: AttemptIdentity, seen: Partial<Attempt>): Attempt {
  return {
    value: identity.value,
    oracle: identity.oracle,
    command: identity.command,
    variant: identity.variant,
    sent: seen.sent ?? '',
    sentBytes: seen.sentBytes ?? '',
    cut: seen.cut,
    expectedPort: seen.expectedPort ?? 0,
    dataExpected: seen.dataExpected ?? false,
    replies: seen.replies ?? [],
    portReply: seen.portReply,
    finalReply: seen.finalReply,
    echo: seen.echo,
    echoedInReply: seen.echoedInReply,
    relayed: seen.relayed,
    commandSent: seen.commandSent ?? false,
    offer: seen.offer,
    data: seen.data ?? NOT_TRIED,
    dataLink: seen.dataLink,
    failure: seen.failure,
    wide: seen.wide ?? false,
    notes: seen.notes ?? [],
    ms: seen.ms ?? 0,
  };
}
