/**
 * The server-to-client direction: PASV (RFC 959) and EPSV (RFC 2428). Inspecting firewalls parse
 * the server's `227 (…)` and `229 (|||port|)` replies to open a pinhole, and NAT helpers rewrite the
 * 227 address (FIELD-NOTES §2). Against the reflector the swept value picks the port it offers
 * (`SITE OFFER`), and it reports the exact line it sent; against other servers the offer is
 * whatever they choose, checked for syntax and for whether it can be connected to.
 */
import net from 'node:net';
import { errnoCode } from '../errors.js';
import type { ControlConnection } from '../ftp/controlConnection.js';
import { formatEndpoint } from '../ftp/address.js';
import { findSent, stripEcho } from '../ftp/echo.js';
import { untilFinal } from '../ftp/finalReply.js';
import { nameList } from '../ftp/listing.js';
import { parseEpsvReply, parsePasvReply } from '../ftp/passiveReply.js';
import type { DataAddress } from '../ftp/portCommand.js';
import { replyKind, replyMessage, type Reply } from '../ftp/replyParser.js';
import { makeAttempt, type Attempt, type DataOutcome, type Failure, type Link, type Oracle, type PassiveOffer } from '../model/evidence.js';
import { toFailure, unsendable } from './attempt.js';
import { BindConflictError } from './dataListeners.js';
import { monotonicMs } from '../clock.js';

export interface PassiveSpec {
  readonly value: number;
  readonly command: 'PASV' | 'EPSV';
  /** The port to ask the reflector to offer; undefined for other servers. */
  readonly offerPort: number | undefined;
  readonly oracle: Oracle;
  readonly timeoutMs: number;
  /** The control connection's peer: EPSV's offer is a port at this address. */
  readonly peer: string;
}

/**
 * Connects to the offer and reads it to its end; resolves how far it got, and with `linked` the
 * connection's ends.
 */
async function readOffer(
  address: DataAddress,
  timeoutMs: number,
  linked: boolean,
  onConnected: () => Promise<Reply | undefined>,
): Promise<{ data: DataOutcome; connectError?: string; final?: Reply; link?: Link }> {
  const socket = net.connect({ host: address.host, port: address.port });
  socket.setTimeout(timeoutMs);
  let bytes = 0;
  let ended = false;
  socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const finished = new Promise<void>((resolve) => {
    socket.once('end', () => {
      ended = true;
      resolve();
    });
    socket.once('close', () => resolve());
    socket.once('timeout', () => {
      socket.destroy();
      resolve();
    });
  });
  const connected = await new Promise<string | undefined>((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('error', (error) => resolve(errnoCode(error) ?? error.message));
    socket.once('timeout', () => resolve(`no answer within ${timeoutMs} ms`));
  });
  if (connected !== undefined) {
    socket.destroy();
    return { data: { kind: 'none' }, connectError: connected };
  }
  // Read now: a destroyed socket forgets its own address.
  const link = linked ? { from: formatEndpoint(socket.localAddress ?? '', socket.localPort ?? 0), to: formatEndpoint(address.host, address.port) } : undefined;
  try {
    const final = await onConnected();
    await finished;
    return { data: ended ? { kind: 'arrived', port: address.port, bytes } : { kind: 'open', port: address.port, bytes }, ...(final ? { final } : {}), ...(link ? { link } : {}) };
  } finally {
    socket.destroy();
  }
}

export async function runPassiveAttempt(connection: ControlConnection, spec: PassiveSpec): Promise<Attempt> {
  const started = monotonicMs();
  const identity = { value: spec.value, oracle: spec.oracle, command: spec.command, variant: 'plain' } as const;
  const stale = unsendable(connection, identity);
  if (stale) return stale;
  const replies: Reply[] = [];
  const notes: string[] = [];
  let portReply: Reply | undefined;
  let finalReply: Reply | undefined;
  let offer: PassiveOffer | undefined;
  let data: DataOutcome = { kind: 'not-tried' };
  let dataLink: Link | undefined;
  let failure: Failure | undefined;
  try {
    if (spec.offerPort !== undefined) {
      const asked = await connection.command(`SITE OFFER ${spec.offerPort}`, 'port-reply');
      // Taken on the reflector's host: not the firewall's doing; the caller moves to another port.
      if (asked.code === 450) throw new BindConflictError(spec.offerPort, new Error(replyMessage(asked)));
      if (replyKind(asked.code) !== 'positive') notes.push(`the reflector refused SITE OFFER: ${asked.code}`);
    }
    const offerReplies = await untilFinal(connection, await connection.command(spec.command, 'port-reply'), 'port-reply');
    replies.push(...offerReplies);
    portReply = offerReplies.at(-1)!;
    if (replyKind(portReply.code) === 'positive') {
      const received = stripEcho(portReply.lines.at(-1)!);
      const text = received.slice(4);
      const parsed = spec.command === 'PASV' ? parsePasvReply(text) : parseEpsvReply(text, spec.peer);
      offer = { received, reported: findSent(portReply), parsed, connectError: undefined };
      if (spec.oracle === 'data' && parsed.ok) {
        const result = await readOffer(parsed.address, spec.timeoutMs, connection.recording, async () => {
          const listing = await nameList(connection);
          replies.push(...listing);
          finalReply = listing.at(-1);
          return finalReply;
        });
        data = result.data;
        dataLink = result.link;
        offer = { ...offer, connectError: result.connectError };
      }
    }
  } catch (error) {
    if (error instanceof BindConflictError) throw error;
    failure = toFailure(error);
  }
  const sent = offer?.reported ?? spec.command;
  return makeAttempt(identity, {
    sent,
    sentBytes: `${spec.command}\r\n`,
    expectedPort: spec.offerPort ?? (offer?.parsed.ok ? offer.parsed.address.port : 0),
    dataExpected: true,
    replies,
    portReply,
    finalReply,
    commandSent: true,
    offer,
    data,
    dataLink,
    failure,
    notes,
    ms: Math.round(monotonicMs() - started),
  });
}
