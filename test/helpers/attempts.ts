import type { Reply } from '../../src/ftp/replyParser.js';
import { makeAttempt, type Attempt } from '../../src/model/evidence.js';
import { valueResult, type ValueResult } from '../../src/model/valueResult.js';
import { judge } from '../../src/model/verdict.js';

/** A reply from its text lines, e.g. reply('200 PORT ok'). */
export function reply(...lines: string[]): Reply {
  return { code: Number(lines[0]!.slice(0, 3)), lines };
}

/**
 * A data-oracle attempt for value 227 on high byte 124 that passed; override what a case changes.
 * `portReply`, `finalReply` and `replies` stay consistent unless `replies` is given.
 */
export function attempt(overrides: Partial<Attempt> = {}): Attempt {
  const portReply = 'portReply' in overrides ? overrides.portReply : reply('200 PORT command successful');
  const finalReply = 'finalReply' in overrides ? overrides.finalReply : reply('226 Transfer complete');
  const replies = overrides.replies ?? [portReply, finalReply].filter((r): r is Reply => r !== undefined);
  const identity = { value: overrides.value ?? 227, oracle: overrides.oracle ?? 'data', command: overrides.command ?? 'PORT', variant: overrides.variant ?? 'plain' } as const;
  return makeAttempt(identity, {
    sent: overrides.sent ?? 'PORT 127,0,0,1,124,227',
    sentBytes: `${overrides.sent ?? 'PORT 127,0,0,1,124,227'}\r\n`,
    expectedPort: 124 * 256 + 227,
    dataExpected: true,
    commandSent: true,
    data: { kind: 'arrived', port: 124 * 256 + 227, bytes: 20 },
    ms: 3,
    ...overrides,
    portReply,
    finalReply,
    replies,
  });
}

/** The row a value's attempts make, each judged once, as the sweep does it. */
export function rowOf(...attempts: Attempt[]): ValueResult {
  return valueResult(attempts.map(judge));
}
