/**
 * What the far side was told, against what was sent. A rewrite is not a fault in itself: NAT's FTP
 * helper writes its own address (and, when the port is taken on the NAT address, another port), and
 * an application proxy answers PORT itself and sends its own (FIELD-NOTES §2, §5). Only a rewrite
 * into something that is not a valid command — or one after which the data does not reach the
 * port sent, which verdict.ts judges — is corruption.
 */
import { canonicalAddress, formatEndpoint, sameAddress } from '../ftp/address.js';
import { displayBytes, firstDifference } from '../ftp/echo.js';
import { parseDataPortLine, type DataAddress } from '../ftp/portCommand.js';
import type { Attempt } from './evidence.js';

/** The best word of what the far side received for the probed command. */
export interface Heard {
  /** As shown in `seen`. */
  readonly text: string;
  /** The exact bytes (latin1, terminator included), when the reflector reported them. */
  readonly raw: string | undefined;
  /**
   * `echo`: the reflector echoed the command it received. `proxy`: the reply to the command carried
   * no echo, but the reflector later named the command it acted on — something between answered
   * the command itself and sent its own (an application proxy). `reply`: a server quoted the
   * command in its reply text (BSD ftpd).
   */
  readonly source: 'echo' | 'proxy' | 'reply';
}

export function heard(a: Attempt): Heard | undefined {
  if (a.echo !== undefined) return { text: displayBytes(a.echo), raw: a.echo, source: 'echo' };
  if (a.relayed !== undefined) return { text: displayBytes(a.relayed), raw: a.relayed, source: 'proxy' };
  if (a.echoedInReply !== undefined) return { text: a.echoedInReply, raw: undefined, source: 'reply' };
  return undefined;
}

export type Rewrite =
  | { readonly kind: 'none' }
  /** Not a valid command any more, or framed differently: corruption, whatever happens next. */
  | { readonly kind: 'broken'; readonly detail: string }
  /** A valid command naming `told` instead of `sent`. */
  | { readonly kind: 'valid'; readonly sent: DataAddress; readonly told: DataAddress; readonly addressChanged: boolean; readonly portChanged: boolean; readonly byProxy: boolean };

function terminator(bytes: string): string {
  return bytes.endsWith('\r\n') ? '\r\n' : bytes.endsWith('\n') ? '\n' : '';
}

function withoutTerminator(bytes: string): string {
  return bytes.slice(0, bytes.length - terminator(bytes).length);
}

/** Compares what the far side was told with what was sent. Pure. */
export function judgeRewrite(a: Attempt, h: Heard | undefined): Rewrite {
  if (h === undefined) return { kind: 'none' };
  if (h.raw !== undefined ? h.raw === a.sentBytes : h.text === a.sent) return { kind: 'none' };
  const told = parseDataPortLine(h.raw !== undefined ? withoutTerminator(h.raw) : h.text);
  const sent = parseDataPortLine(withoutTerminator(a.sentBytes));
  // A changed terminator changes the framing (RFC 959 §4.1: CRLF) of the very line the far side
  // parsed — unless a proxy wrote that line afresh, with its own framing.
  const sameFraming = h.source !== 'echo' || terminator(h.raw!) === terminator(a.sentBytes);
  if (!told.ok || !sent.ok || !sameFraming) {
    const shownSent = displayBytes(a.sentBytes);
    const at = firstDifference(shownSent, h.text);
    const why = !told.ok ? `: not a valid command (${told.reason})` : !sameFraming ? ': its line ending changed' : '';
    return { kind: 'broken', detail: `the far side received "${h.text}" instead of "${shownSent}" (differs from character ${at + 1})${why}` };
  }
  return {
    kind: 'valid',
    sent: sent.address,
    told: told.address,
    addressChanged: !sameAddress(told.address.host, sent.address.host),
    portChanged: told.address.port !== sent.address.port,
    byProxy: h.source === 'proxy',
  };
}

/** How a valid rewrite is told in a row's detail, and which kind of middlebox it points at. */
export function describeRewrite(r: Extract<Rewrite, { kind: 'valid' }>, seen: string, verb: string): string {
  const told = formatEndpoint(r.told.host, r.told.port);
  const sent = formatEndpoint(r.sent.host, r.sent.port);
  if (r.byProxy) return `something between answered ${verb} itself and told the far side "${seen}" (${told} instead of ${sent}): an application proxy`;
  if (!r.addressChanged && !r.portChanged) return `the far side received "${seen}": rewritten, but the same address (${canonicalAddress(r.told.host)}) and port`;
  const what = r.addressChanged && r.portChanged ? 'address and port' : r.portChanged ? 'port' : 'address';
  return `the far side saw ${told} instead of ${sent} (${what} changed)`;
}
