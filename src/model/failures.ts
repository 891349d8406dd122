/**
 * What every command's judgement shares: an attempt that ended early — a local problem, a timeout,
 * a closed or reset connection, a peer we stopped following — and how replies are quoted in details.
 */
import { stripEcho } from '../ftp/echo.js';
import type { Phase } from '../ftp/errors.js';
import { replyMessage } from '../ftp/replyParser.js';
import type { Attempt } from './evidence.js';
import type { Judgement } from './judgement.js';

const WAITING_FOR: Record<Exclude<Phase, 'port-reply'>, string> = {
  connect: 'the connection',
  greeting: 'the greeting',
  login: 'the login',
  'list-reply': 'the NLST reply',
  transfer: 'the end of the listing',
  data: 'the data connection',
  quit: 'the QUIT reply',
};

/** What an attempt was waiting for in `phase`, probing `command`. */
function waitingFor(phase: Phase, command: string): string {
  return phase === 'port-reply' ? `the ${command} reply` : WAITING_FOR[phase];
}

/** "(the command went out in two segments, cut after byte 9)" — for the details of split probes. */
export function cutNote(a: Attempt): string {
  return a.cut === undefined ? '' : ` (the command went out in two TCP segments, cut after byte ${a.cut})`;
}

/**
 * The judgement of an attempt that ended early, or undefined when it did not. A local problem is
 * never the firewall's (`error`); the rest say where they stalled or broke.
 */
export function failureJudgement(a: Attempt, seen: string): Judgement | undefined {
  const f = a.failure;
  switch (f?.kind) {
    case undefined:
      return undefined;
    case 'local':
      return { verdict: 'error', seen: '', detail: `local problem, not the firewall: ${f.message}` };
    case 'timeout':
      return { verdict: 'timeout', seen, phase: f.phase, detail: `no reply while waiting for ${waitingFor(f.phase, a.command)}: ${f.message}${cutNote(a)}` };
    case 'closed':
      return { verdict: 'reset', seen, phase: f.phase, detail: `control connection ${f.reset ? 'reset' : 'closed'} while waiting for ${waitingFor(f.phase, a.command)}: ${f.message}${cutNote(a)}` };
    case 'protocol':
      return { verdict: 'reset', seen, phase: undefined, detail: `ftpsweep dropped the connection: ${f.message}` };
  }
}

/** A reply as a detail quotes it: code and first line, the reflector's tags removed, at most 120 characters. */
export function summarize(reply: { readonly code: number; readonly lines: readonly string[] }): string {
  return `${reply.code} ${stripEcho(replyMessage(reply).split('\n')[0]!).slice(0, 120)}`;
}
