/**
 * Reading a command's replies up to its final one. RFC 959 §4.2: a 1xx reply is preliminary — the
 * server will send another — and only 2xx..5xx complete a command. PORT and EPRT have no 1xx reply
 * in RFC 959 §5.4, but a server or middlebox that sends one must not have it taken for the answer.
 */
import type { ControlConnection } from './controlConnection.js';
import { ProtocolError, type Phase } from './errors.js';
import { replyKind, type Reply } from './replyParser.js';

/** More preliminary replies than any command has (NLST's 125/150 is one): a server that keeps going is stuck or hostile. */
const MAX_PRELIMINARY = 3;

/** `first` and the replies after it, up to and including the final one. */
export async function untilFinal(connection: ControlConnection, first: Reply, phase: Phase): Promise<Reply[]> {
  const replies = [first];
  while (replyKind(replies.at(-1)!.code) === 'preliminary') {
    if (replies.length > MAX_PRELIMINARY) {
      throw new ProtocolError(`${connection.label} sent ${replies.length} preliminary (1xx) replies and no final one (RFC 959 §4.2)`);
    }
    replies.push(await connection.nextReply(phase));
  }
  return replies;
}
