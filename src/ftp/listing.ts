import type { ControlConnection } from './controlConnection.js';
import { untilFinal } from './finalReply.js';
import type { Reply } from './replyParser.js';

/**
 * NLST (RFC 959 §4.1.3: a name list over the data connection, the mark-up free listing) and its
 * replies in order, the last one final. After a 125/150 the server has, or is about to have, the
 * data connection, and sends the final reply only once it is closed.
 */
export async function nameList(connection: ControlConnection): Promise<Reply[]> {
  return untilFinal(connection, await connection.command('NLST', 'list-reply'), 'transfer');
}
