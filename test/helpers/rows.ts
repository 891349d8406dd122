import type { Verdict } from '../../src/model/judgement.js';
import { type ResultRow, type ValueResult } from '../../src/model/valueResult.js';
import { attempt, reply, rowOf } from './attempts.js';

/** A results.csv row for `value` on high byte 64 with `verdict`; a failure counts 1 of 1 attempts. */
export function resultRow(value: number, verdict: Verdict, detail = ''): ResultRow {
  return { value, variant: 'plain', verdict, sent: `PORT 127,0,0,1,64,${value}`, seen: '', replyCode: 200, reply: '200 ok', data: { kind: 'arrived' }, failures: verdict === 'pass' ? 0 : 1, attempts: 1, detail, ms: 3 };
}

/** A reflector sweep of 0..255 on high byte 124 in which 227 arrived as `22_` (501); the rest passed. */
export function sweptResults(): ValueResult[] {
  return Array.from({ length: 256 }, (_, v) =>
    rowOf(
      v === 227
        ? attempt({ value: v, echo: 'PORT 127,0,0,1,124,22_\r\n', portReply: reply('501 Syntax error, "quoted", comma'), finalReply: undefined, data: { kind: 'not-tried' } })
        : attempt({ value: v, sent: `PORT 127,0,0,1,124,${v}`, expectedPort: 124 * 256 + v, data: { kind: 'arrived', port: 124 * 256 + v, bytes: 1 } }),
    ),
  );
}
