/**
 * Verdicts: a pure function from an attempt's evidence to what it means, and the rule that merges a
 * value's attempts (first pass + confirmations) into one row.
 */
import { refusedForeign } from '../ftp/echo.js';
import { isNegative, replyKind } from '../ftp/replyParser.js';
import type { Attempt } from './evidence.js';
import { cutNote, failureJudgement, summarize } from './failures.js';
import { isFailure, type Judgement, type Translation, type Verdict } from './judgement.js';
import { classifyPassive } from './passiveVerdict.js';
import { inferredSeen, isPassive } from './plan.js';
import { describeRewrite, heard, judgeRewrite, type Rewrite } from './rewrite.js';

type ValidRewrite = Extract<Rewrite, { kind: 'valid' }>;

/** What a valid rewrite says about the value: how it reads, and what kind of middlebox made it. */
interface Translated {
  readonly rewrite: ValidRewrite;
  readonly text: string;
  readonly via: Translation;
}

/**
 * Judges one attempt. Pure. In order: what the far side was told (a broken rewrite is corruption
 * whatever follows), where the data went, transport failures, then reply codes and the data.
 */
export function classify(a: Attempt): Judgement {
  if (isPassive(a.command)) return classifyPassive(a);
  if (a.failure?.kind === 'local') return failureJudgement(a, '')!;
  const h = heard(a);
  const seen = h?.text ?? '';
  const rewrite = judgeRewrite(a, h);
  if (rewrite.kind === 'broken') return { verdict: 'corrupted', seen, detail: `${rewrite.detail}${cutNote(a)}` };
  const translated: Translated | undefined = rewrite.kind === 'valid' ? { rewrite, text: describeRewrite(rewrite, seen, a.command), via: translationKind(rewrite) } : undefined;
  return wrongPort(a, seen) ?? transportFailure(a, seen, translated) ?? byReplies(a, seen, translated);
}

function translationKind(r: ValidRewrite): Translation {
  return r.byProxy ? 'proxy' : r.portChanged ? 'remap' : r.addressChanged ? 'nat' : 'rewrite';
}

/** The data connection reached another port: the server understood another value. */
function wrongPort(a: Attempt, seen: string): Judgement | undefined {
  if (a.data.kind !== 'wrong-port') return undefined;
  const [got, want] = [a.data.port, a.expectedPort];
  const understood = got >> 8 === want >> 8 ? `: it understood ${got & 255}, not ${want & 255}` : got % 256 === want % 256 ? `: it understood ${got >> 8}, not ${want >> 8}` : '';
  return {
    verdict: 'corrupted',
    seen: seen !== '' ? seen : inferredSeen(a.command, got),
    detail: `the server connected to port ${got} (${got >> 8},${got & 255}) instead of ${want} (${want >> 8},${want & 255})${understood}${cutNote(a)}`,
  };
}

/** "; the far side was told …" — a failure's detail keeps what the far side was told. */
function toldNote(t: Translated | undefined): string {
  return t ? `; ${t.text}` : '';
}

/** Where the attempt stalled or broke, if it did. */
function transportFailure(a: Attempt, seen: string, t: Translated | undefined): Judgement | undefined {
  const f = a.failure;
  if (f?.kind === 'timeout' && (f.phase === 'list-reply' || f.phase === 'transfer') && a.data.kind === 'none') {
    // The server is (or says it is) connecting back and never gets through: the classic firewall
    // that blocks active FTP's data connection, or a server still waiting on its connect timeout.
    const stage = f.phase === 'transfer' ? `the server began the listing (${a.replies.at(-1)?.code ?? '1xx'})` : 'the server did not answer NLST';
    return {
      verdict: 'no-data',
      seen,
      detail: `${a.command} accepted and ${stage}, but no data connection reached port ${a.expectedPort} within ${f.timeoutMs} ms: something between may block the server's connection back${toldNote(t)}`,
    };
  }
  return failureJudgement(a, seen);
}

/**
 * The data-port reply, then the data. A valid rewrite passes as `translated` when the data still
 * reached the port sent; a rewrite to another port that no data connection checked is said to be
 * undecided (the reply oracle sees no data).
 */
function byReplies(a: Attempt, seen: string, t: Translated | undefined): Judgement {
  const verb = a.command;
  const portReply = a.portReply;
  if (!portReply) return { verdict: 'error', seen, detail: `internal: no ${verb} reply and no failure recorded` };
  const unchecked = t?.rewrite.portChanged
    ? `; a valid ${verb} with another port is what NAT remapping a taken port, or a proxy, sends: only a data connection can tell that from a rewrite that sends the data elsewhere — sweep with --oracle data against the reflector, which connects back`
    : '';
  const ok = (how: string, checked: boolean): Judgement =>
    t ? { verdict: 'translated', seen, via: t.via, detail: `${t.text}; ${how}${checked ? '' : unchecked}` } : { verdict: 'pass', seen, detail: how };
  if (!a.dataExpected) {
    // A swept address field names another host: servers refuse it (RFC 2577), and nothing can come
    // back to us. The question is only whether the bytes arrived as sent.
    if (a.echo !== undefined) return ok(`${t ? 'a valid command' : 'arrived unchanged'}; the address is not this machine's, so the far side's ${portReply.code} is beside the point`, false);
    if (replyKind(portReply.code) === 'positive') return { verdict: 'pass', seen, detail: `${verb} accepted: ${portReply.code} (the address is not this machine's: no data connection expected)` };
    return { verdict: 'rejected', seen, code: portReply.code, detail: `${verb} refused: ${summarize(portReply)} — the address is not this machine's, which servers refuse (RFC 2577); sweep address fields against the reflector, which echoes what it received` };
  }
  if (portReply.code === 421) {
    // RFC 959 §4.2: 421 "Service not available, closing control connection" — the session ended.
    return { verdict: 'reset', seen, phase: 'port-reply', detail: `the server closed the session: ${summarize(portReply)}` };
  }
  if (replyKind(portReply.code) !== 'positive') {
    const foreign = a.echo !== undefined && t === undefined ? refusedForeign(portReply) : undefined;
    if (foreign) {
      // The bytes arrived unchanged, but the far side sees us at another address: nothing on the
      // way translated the address in the command — a NAT without an FTP helper.
      return {
        verdict: 'rejected',
        seen,
        code: portReply.code,
        detail: `the reflector received ${verb} unchanged, naming ${foreign.named}, but sees the control connection come from ${foreign.peer}: the address was not translated — a NAT without an FTP helper, through which active FTP cannot work (the reflector refuses it, RFC 2577; --allow-foreign makes it try)`,
      };
    }
    // RFC 959 §4.2.1: 501 is a syntax error in the parameters. Ours are well-formed, so a 501 to
    // one value while its neighbours pass hints at something rewriting the command on the way —
    // unless the reflector's echo shows it arrived as sent. (Not for a privileged port: servers
    // refuse those whatever the firewall does, RFC 2577.)
    const hint = portReply.code === 501 && a.echo === undefined && a.variant === 'plain' && a.expectedPort >= 1024 ? ' (what was sent is well-formed: if other values pass, something on the way may have changed it; the reflector shows the bytes)' : '';
    return { verdict: 'rejected', seen, code: portReply.code, detail: `${verb} refused: ${summarize(portReply)}${hint}${toldNote(t)}` };
  }
  if (a.oracle === 'reply') return ok(`${verb} accepted: ${portReply.code} (reply oracle: the data connection was not tested)`, false);

  const final = a.finalReply;
  if (a.data.kind === 'arrived' || a.data.kind === 'open') {
    if (final && isNegative(final.code)) {
      return { verdict: 'rejected', seen, code: final.code, detail: `the data connection reached port ${a.expectedPort} but the listing failed: ${summarize(final)}${toldNote(t)}` };
    }
    const still = t && (t.rewrite.portChanged || t.rewrite.byProxy) ? 'the data still reached' : 'data connection reached';
    return ok(`${still} port ${a.expectedPort}${a.data.kind === 'open' ? ' (the server left it open)' : ''}`, true);
  }
  if (final && (final.code === 425 || final.code === 426)) {
    return { verdict: 'no-data', seen, detail: `the server could not open the data connection to port ${a.expectedPort}: ${summarize(final)}${toldNote(t)}` };
  }
  if (final && isNegative(final.code)) {
    return { verdict: 'rejected', seen, code: final.code, detail: `NLST refused: ${summarize(final)} (the data oracle needs a listing: use a login directory with a file in it, or --oracle reply)` };
  }
  return { verdict: 'no-data', seen, detail: `${verb} and NLST accepted (${final ? final.code : 'no final reply'}) but no data connection reached port ${a.expectedPort}${toldNote(t)}` };
}

/** Which failing attempt speaks for a value: the most specific evidence first. */
const FAILURE_RANK: readonly Verdict[] = ['corrupted', 'no-data', 'rejected', 'timeout', 'reset', 'error'];

export interface Judged {
  readonly attempt: Attempt;
  readonly judgement: Judgement;
}

/** An attempt with its judgement: classified once, here, for the sweep and the row alike. */
export function judge(attempt: Attempt): Judged {
  return { attempt, judgement: classify(attempt) };
}

export interface Decision {
  readonly chosen: Judged;
  /** Failing attempts among those that count (local errors do not, when any other attempt ran). */
  readonly failures: number;
  readonly attempts: number;
  readonly intermittent: boolean;
}

/**
 * Merges a value's attempts. A local error says nothing about the firewall, so it only stands when
 * every attempt hit one. Any failing attempt fails the value (a firewall that corrupts one time in
 * three is still corrupting); the row then shows the most specific failing evidence.
 */
export function decide(judged: readonly Judged[]): Decision {
  if (judged.length === 0) throw new RangeError('decide() needs at least one attempt');
  const real = judged.filter((j) => j.judgement.verdict !== 'error');
  const pool = real.length > 0 ? real : judged;
  const failing = pool.filter((j) => isFailure(j.judgement.verdict));
  const chosen =
    failing.length === 0
      ? pool[0]!
      : [...failing].sort((x, y) => FAILURE_RANK.indexOf(x.judgement.verdict) - FAILURE_RANK.indexOf(y.judgement.verdict))[0]!;
  return { chosen, failures: failing.length, attempts: judged.length, intermittent: failing.length > 0 && failing.length < pool.length };
}
