/**
 * One probe attempt on an open, logged-in control connection: listen, PORT/EPRT, (NLST, data),
 * record. Everything observed goes into an Attempt; nothing is judged here.
 */
import { LocalError } from '../errors.js';
import { formatEndpoint } from '../ftp/address.js';
import type { ControlConnection } from '../ftp/controlConnection.js';
import { displayBytes, echoedCommandInReply, findEcho, findTarget } from '../ftp/echo.js';
import { ConnectionClosedError, ProtocolError, TimeoutError } from '../ftp/errors.js';
import { nameList } from '../ftp/listing.js';
import { untilFinal } from '../ftp/finalReply.js';
import { replyKind, type Reply } from '../ftp/replyParser.js';
import { makeAttempt, type Attempt, type AttemptIdentity, type DataOutcome, type Failure, type Link, type Oracle } from '../model/evidence.js';
import { isPassive, type DataCommand, type ProbeTarget } from '../model/plan.js';
import type { Variant, Wire } from '../model/variants.js';
import { BindConflictError, DataListeners, MAX_DATA_BYTES } from './dataListeners.js';
import { monotonicMs } from '../clock.js';

export interface AttemptSpec {
  readonly value: number;
  readonly command: DataCommand;
  readonly target: ProbeTarget;
  readonly variant: Variant;
  readonly wire: Wire;
  /** Cut the command into two TCP segments after this byte (`--split`). */
  readonly cut: number | undefined;
  readonly oracle: Oracle;
  /** Deadline for each reply and for the data connection, in milliseconds. */
  readonly timeoutMs: number;
  /** Other ports to listen on, to learn where a corrupted command led (confirmations). */
  readonly widePorts: readonly number[];
  /** The local address the data listeners bind to. */
  readonly listenAddress: string;
  /**
   * When the expected port cannot be bound: throw BindConflictError (the caller can move to another
   * owned byte), or, with the reply oracle, go on without a listener.
   */
  readonly bindRequired: boolean;
}

/**
 * How long to keep listening after the server's final reply when no data connection has shown up:
 * the accept and the control reply are separate sockets, so their events may be handled in either
 * order. 100 ms is far beyond that reordering on any host.
 */
const ACCEPT_GRACE_MS = 100;

/**
 * The data listeners, bound before the command goes out (pyftpdlib connects while handling PORT),
 * or none: when the command names another host, or the port is taken and a listener is optional.
 */
async function openListeners(connection: ControlConnection, spec: AttemptSpec, notes: string[]): Promise<DataListeners | undefined> {
  let listeners: DataListeners | undefined;
  // The reply oracle asks for no listing: only a server that connects while handling PORT
  // (pyftpdlib) would come. The reflector never does, and a listener per probe was 29% of a
  // 65,536-probe sweep's time.
  const wanted = spec.oracle === 'data' || !connection.isReflector;
  if (spec.target.dataExpected && wanted) {
    try {
      listeners = await DataListeners.open(spec.listenAddress, spec.target.port, spec.widePorts);
    } catch (error) {
      if (spec.bindRequired || !(error instanceof BindConflictError)) throw error;
      // Reply oracle: a listener only matters for servers that connect at PORT time (pyftpdlib).
      notes.push(`local port ${error.port} was taken; probed without a listener`);
    }
  }
  if (listeners && listeners.skipped > 0) notes.push(`${listeners.skipped} of the ${spec.widePorts.length} other ports could not be listened on`);
  if (connection.recording) {
    connection.note(
      !listeners
        ? `not listening: ${!spec.target.dataExpected ? 'the command names another host' : wanted ? 'the port is taken' : 'the reply oracle asks the reflector for no data connection'}`
        : `listening on ${formatEndpoint(spec.listenAddress, spec.target.port)}${spec.widePorts.length > 0 ? ` and ${spec.widePorts.length - listeners.skipped} other ports` : ''}`,
    );
  }
  return listeners;
}

/** What the control connection said during an attempt, and where it stopped if it did. */
interface Exchange {
  readonly replies: Reply[];
  portReply?: Reply;
  finalReply?: Reply;
  failure?: Failure;
  /** Whether a listing was asked for (the data oracle, after a positive reply). */
  triedData: boolean;
}

/** The command (as the variant writes it, cut if asked), its replies, and with the data oracle the listing. */
async function exchange(connection: ControlConnection, spec: AttemptSpec, listeners: DataListeners | undefined): Promise<Exchange> {
  const { wire } = spec;
  const bytes = wire.line + wire.terminator + wire.trailer;
  const ex: Exchange = { replies: [], triedData: false };
  try {
    await connection.sendRaw(Buffer.from(bytes, 'latin1'), displayBytes(bytes), spec.cut);
    const portReplies = await untilFinal(connection, await connection.nextReply('port-reply'), 'port-reply');
    const portReply = portReplies.at(-1)!;
    ex.portReply = portReply;
    ex.replies.push(...portReplies);
    // Pipelined commands answer after the data-port command: read those replies before going on.
    for (let i = 0; i < wire.trailerReplies; i++) ex.replies.push(await connection.nextReply('port-reply'));
    if (spec.oracle === 'data' && listeners && replyKind(portReply.code) === 'positive') {
      ex.triedData = true;
      const listing = await nameList(connection);
      ex.replies.push(...listing);
      ex.finalReply = listing.at(-1);
      // Then wait for the end of the data, which the server closed before its final reply.
      await listeners.settled(listeners.connections.length > 0 ? spec.timeoutMs : ACCEPT_GRACE_MS);
    }
  } catch (error) {
    ex.failure = toFailure(error);
  } finally {
    listeners?.close();
  }
  return ex;
}

/** The transcript's lines for the data connections that came (or that none did). */
function noteDataConnections(connection: ControlConnection, listeners: DataListeners | undefined, triedData: boolean): void {
  if (!connection.recording || !listeners) return;
  for (const c of listeners.connections) {
    connection.note(`data connection from ${formatEndpoint(c.remoteAddress, c.remotePort)} to port ${c.port}: ${c.bytes} bytes${c.capped ? ', cut by ftpsweep (it reads at most 1 MiB)' : c.ended ? ', closed by the server' : ', still open'}: ${JSON.stringify(connection.redact(c.head))}`);
  }
  if (triedData && listeners.connections.length === 0) connection.note('no data connection arrived');
}

/**
 * An attempt that cannot send its command — the connection is gone, or holds replies nobody asked
 * for — or undefined when it can. Such an attempt judges nothing (`commandSent: false`).
 */
export function unsendable(connection: ControlConnection, identity: AttemptIdentity): Attempt | undefined {
  if (!connection.closed && !connection.hasUnreadReplies) return undefined;
  const why = connection.closeReason?.message ?? `${connection.label} sent a reply nobody asked for`;
  return makeAttempt(identity, { failure: { kind: 'closed', phase: 'port-reply', reset: false, message: why } });
}

/**
 * Runs one attempt. Throws BindConflictError before anything is sent when the expected port is
 * taken locally and `bindRequired`; every other problem is recorded. A connection found closed, or
 * holding replies nobody asked for, gets no command: the attempt says `commandSent: false`.
 */
export async function runAttempt(connection: ControlConnection, spec: AttemptSpec): Promise<Attempt> {
  const started = monotonicMs();
  const identity = { value: spec.value, oracle: spec.oracle, command: spec.command, variant: spec.variant };
  const stale = unsendable(connection, identity);
  if (stale) return stale;
  const notes: string[] = [];
  const listeners = await openListeners(connection, spec, notes);
  const ex = await exchange(connection, spec, listeners);
  noteDataConnections(connection, listeners, ex.triedData);
  if (listeners?.connections.some((c) => c.capped)) notes.push(`the data connection sent over ${MAX_DATA_BYTES / 1024 / 1024} MiB; ftpsweep stopped reading there`);
  const { portReply } = ex;
  const echoBytes = portReply && findEcho(portReply);
  return makeAttempt(identity, {
    sent: displayBytes(spec.wire.line),
    sentBytes: spec.wire.line + spec.wire.terminator,
    cut: spec.cut,
    expectedPort: spec.target.port,
    dataExpected: spec.target.dataExpected,
    replies: ex.replies,
    portReply,
    finalReply: ex.finalReply,
    echo: echoBytes?.toString('latin1'),
    echoedInReply: portReply && !echoBytes && !isPassive(spec.command) ? echoedCommandInReply(portReply, spec.command) : undefined,
    relayed: relayedCommand(ex.replies.slice(1), listeners),
    commandSent: true,
    data: dataOutcome(listeners, spec.target.port, ex.triedData),
    dataLink: connection.recording ? dataLink(listeners, spec.listenAddress) : undefined,
    failure: ex.failure,
    wide: spec.widePorts.length > 0,
    notes,
    ms: Math.round(monotonicMs() - started),
  });
}

/**
 * The data-port command the reflector says it connected back for: in its listing replies (150,
 * 425), or failing those in the data it sent (`[ftpsweep-target HEX]`, echo.ts).
 */
function relayedCommand(listingReplies: readonly Reply[], listeners: DataListeners | undefined): string | undefined {
  for (const reply of listingReplies) {
    for (const line of reply.lines) {
      const found = findTarget(line);
      if (found !== undefined) return found;
    }
  }
  for (const c of listeners?.connections ?? []) {
    const found = findTarget(c.head);
    if (found !== undefined) return found;
  }
  return undefined;
}

function dataOutcome(listeners: DataListeners | undefined, expectedPort: number, triedData: boolean): DataOutcome {
  const first = listeners?.first;
  if (!first) return triedData ? { kind: 'none' } : { kind: 'not-tried' };
  if (first.port !== expectedPort) return { kind: 'wrong-port', port: first.port, bytes: first.bytes };
  return first.ended ? { kind: 'arrived', port: first.port, bytes: first.bytes } : { kind: 'open', port: first.port, bytes: first.bytes };
}

/** The first data connection's ends (server → our listener), when one came. */
function dataLink(listeners: DataListeners | undefined, listenAddress: string): Link | undefined {
  const first = listeners?.first;
  return first && { from: formatEndpoint(first.remoteAddress, first.remotePort), to: formatEndpoint(listenAddress, first.port) };
}

/** A transport problem as evidence. Anything that is not one of our typed errors is a bug: rethrown. */
export function toFailure(error: unknown): Failure {
  if (error instanceof TimeoutError) return { kind: 'timeout', phase: error.phase, timeoutMs: error.timeoutMs, message: error.message };
  if (error instanceof ConnectionClosedError) return { kind: 'closed', phase: error.phase, reset: error.reset, message: error.message };
  if (error instanceof ProtocolError) return { kind: 'protocol', message: error.message };
  if (error instanceof LocalError && !(error instanceof BindConflictError)) return { kind: 'local', message: error.message };
  throw error;
}
