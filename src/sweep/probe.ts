/**
 * One probe attempt on an open, logged-in control connection: listen, PORT, (NLST, data), record.
 * Everything observed goes into an Attempt; nothing is judged here.
 */
import type { ControlConnection } from '../ftp/controlConnection.js';
import { echoedCommandInReply, findEcho } from '../ftp/echo.js';
import { ConnectionClosedError, LocalError, ProtocolError, TimeoutError } from '../ftp/errors.js';
import { portCommand } from '../ftp/portCommand.js';
import { replyKind, type Reply } from '../ftp/replyParser.js';
import { BindConflictError, DataListeners } from './dataListeners.js';
import type { Attempt, DataOutcome, Failure, Oracle } from './evidence.js';

export interface AttemptSpec {
  readonly value: number;
  readonly highByte: number;
  readonly oracle: Oracle;
  /** Deadline for each reply and for the data connection, in milliseconds. */
  readonly timeoutMs: number;
  /** Also listen on the other ports of the high byte, to learn where a corrupted PORT led. */
  readonly wide: boolean;
  /** The IPv4 address PORT carries. */
  readonly advertise: string;
  /** The local address the data listeners bind to. */
  readonly listenAddress: string;
}

/**
 * How long to keep listening after the server's final reply when no data connection has shown up:
 * the accept and the control reply are separate sockets, so their events may be handled in either
 * order. 100 ms is far beyond that reordering on any host.
 */
const ACCEPT_GRACE_MS = 100;

/**
 * Runs one attempt. Throws BindConflictError before anything is sent when the expected port is
 * taken locally, so the caller can retry with another high byte; every other problem is recorded.
 */
export async function runAttempt(connection: ControlConnection, spec: AttemptSpec): Promise<Attempt> {
  const started = performance.now();
  const expectedPort = spec.highByte * 256 + spec.value;
  const extra: number[] = [];
  if (spec.wide) {
    for (let v = 0; v < 256; v++) if (v !== spec.value && spec.highByte * 256 + v >= 1024) extra.push(spec.highByte * 256 + v);
  }
  const listeners = await DataListeners.open(spec.listenAddress, expectedPort, extra);
  const notes: string[] = [];
  if (listeners.skipped > 0) notes.push(`${listeners.skipped} of the other ports of high byte ${spec.highByte} could not be listened on`);
  if (connection.recording) {
    connection.note(
      `listening on ${spec.listenAddress}:${expectedPort}` +
        (spec.wide ? ` and ${extra.length - listeners.skipped} other ports of high byte ${spec.highByte}` : ''),
    );
  }

  const sent = portCommand(spec.advertise, spec.highByte, spec.value);
  const replies: Reply[] = [];
  let portReply: Reply | undefined;
  let finalReply: Reply | undefined;
  let failure: Failure | undefined;
  let triedData = false;
  try {
    portReply = await connection.command(sent, 'port-reply');
    replies.push(portReply);
    if (spec.oracle === 'data' && replyKind(portReply.code) === 'positive') {
      triedData = true;
      // RFC 959 §4.1.3: NLST sends a name list over the data connection; the mark-up free listing.
      let reply = await connection.command('NLST', 'list-reply');
      replies.push(reply);
      if (replyKind(reply.code) === 'preliminary') {
        // 125/150: the server has (or is about to have) the data connection; it sends the final
        // reply only after closing it, so wait for that reply and then for the end of the data.
        reply = await connection.nextReply('transfer');
        replies.push(reply);
      }
      finalReply = reply;
      await listeners.settled(listeners.connections.length > 0 ? spec.timeoutMs : ACCEPT_GRACE_MS);
    }
  } catch (error) {
    failure = toFailure(error);
  } finally {
    listeners.close();
  }

  const data = dataOutcome(listeners, triedData);
  if (connection.recording) {
    for (const c of listeners.connections) {
      connection.note(`data connection from ${c.remote} to port ${c.port}: ${c.bytes} bytes${c.ended ? ', closed by the server' : ', still open'}: ${JSON.stringify(c.head)}`);
    }
    if (triedData && listeners.connections.length === 0) connection.note('no data connection arrived');
  }
  const echoBytes = portReply && findEcho(portReply);
  return {
    value: spec.value,
    highByte: spec.highByte,
    oracle: spec.oracle,
    sent,
    expectedPort,
    replies,
    portReply,
    finalReply,
    echo: echoBytes?.toString('latin1'),
    echoedInReply: portReply && !echoBytes ? echoedCommandInReply(portReply, 'PORT') : undefined,
    data,
    failure,
    wide: spec.wide,
    notes,
    ms: Math.round(performance.now() - started),
  };
}

function dataOutcome(listeners: DataListeners, triedData: boolean): DataOutcome {
  const first = listeners.first;
  if (!first) return triedData ? { kind: 'none' } : { kind: 'not-tried' };
  if (first.port !== listeners.expectedPort) return { kind: 'wrong-port', port: first.port, bytes: first.bytes };
  return first.ended ? { kind: 'arrived', port: first.port, bytes: first.bytes } : { kind: 'open', port: first.port, bytes: first.bytes };
}

/** A transport problem as evidence. Anything that is not one of our typed errors is a bug: rethrown. */
export function toFailure(error: unknown): Failure {
  if (error instanceof TimeoutError) return { kind: 'timeout', phase: error.phase, timeoutMs: error.timeoutMs, message: error.message };
  if (error instanceof ConnectionClosedError) return { kind: 'closed', phase: error.phase, reset: error.reset, message: error.message };
  if (error instanceof ProtocolError) return { kind: 'protocol', message: error.message };
  if (error instanceof LocalError && !(error instanceof BindConflictError)) return { kind: 'local', message: error.message };
  throw error;
}
