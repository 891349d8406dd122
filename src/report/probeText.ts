/**
 * What `ftpsweep probe` prints, made for the firewall team reproducing a failure: a header saying
 * what was probed, where and when; each attempt with its UTC time, both connections' addresses and
 * ports as a firewall logs them, and a capture filter for them; and one tally line at the end.
 */
import { formatEndpoint } from '../ftp/address.js';
import type { Link } from '../model/evidence.js';
import { isFailure, VERDICTS, type Verdict } from '../model/judgement.js';
import { isPassive, type DataCommand, type Field } from '../model/plan.js';
import type { ProbeOutcome } from '../sweep/probeOnce.js';
import { dataText } from './resultsCsv.js';
import { formatTranscript } from './transcript.js';

export interface ProbeHeader {
  readonly version: string;
  readonly host: string;
  readonly port: number;
  readonly command: DataCommand;
  readonly fields: readonly Field[];
  /** The value as given: `227`, or `4,227` for two fields. */
  readonly value: string;
  readonly repeat: number;
  readonly intervalMs: number;
  readonly at: Date;
}

/** `ftpsweep 1.0.0 probe of 192.0.2.10:21 at 2025-…Z (UTC): PORT p2 = 227, 10 attempts 1000 ms apart`. */
export function probeHeader(h: ProbeHeader): string {
  const attempts = h.repeat === 1 ? '' : `, ${h.repeat} attempts ${h.intervalMs} ms apart, each on a fresh control connection`;
  return `ftpsweep ${h.version} probe of ${formatEndpoint(h.host, h.port)} at ${h.at.toISOString()} (UTC): ${h.command} ${h.fields.join(',')} = ${h.value}${attempts}`;
}

/** The host and port of `address:port` (`[v6]:port`). */
function split(endpoint: string): { host: string; port: number } {
  const colon = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(endpoint.slice(colon + 1)) };
}

/**
 * A tcpdump capture filter for one attempt's connections, each pinned by both of its ends' ports:
 * the control connection (the server's address and our local port, which no other attempt used)
 * and the data connection (its two ports: the server's side is new for each attempt even when the
 * data port sent is the same value every time). A data connection that never came is named by the
 * port it was to reach (and the server's offer address, PASV/EPSV), all an attempt can say of it.
 * One filter per attempt, printed as the attempt ends, so an interrupted run has them all. Our
 * own address is left out: NAT on the way may change it (and then, on the far side, our ports).
 */
export function captureFilter(command: DataCommand, control: Link, dataLink: Link | undefined, dataTarget: string | undefined): string {
  const passive = isPassive(command);
  const server = split(control.to);
  const clauses = [`host ${server.host} and tcp port ${split(control.from).port}`];
  if (dataLink) {
    // PORT/EPRT: the server connects to us (its end is `from`); PASV/EPSV: we connect to it.
    const [theirs, ours] = passive ? [split(dataLink.to), split(dataLink.from)] : [split(dataLink.from), split(dataLink.to)];
    clauses.push(`host ${theirs.host} and tcp port ${theirs.port} and tcp port ${ours.port}`);
  } else if (dataTarget) {
    const target = split(dataTarget);
    // PASV/EPSV: the offer's address; PORT/EPRT: ours, which the server's SYN (if any) is sent to.
    clauses.push(passive ? `host ${target.host} and tcp port ${target.port}` : `tcp dst port ${target.port}`);
  }
  return `tcpdump -ni any '${clauses.length === 1 ? clauses[0] : clauses.map((c) => `(${c})`).join(' or ')}'`;
}

/** Why no listing was asked for: the reply oracle, or the command's reply or failure. */
function whyNotTried(o: ProbeOutcome): string {
  const attempt = o.result.judged[0]?.attempt;
  if (attempt?.oracle === 'reply') return ': the reply oracle stops at the reply';
  if (attempt?.failure) return `: ${attempt.failure.kind === 'local' ? 'a local problem' : `the control connection ended (${attempt.failure.kind})`}`;
  const code = attempt?.portReply?.code;
  return code !== undefined && (code < 100 || code >= 300) ? `: the server answered ${code}` : '';
}

/** The data line: what happened to the data connection, and its ends when it came. */
function dataLine(o: ProbeOutcome): string {
  const kind = dataText(o.result.data);
  const passive = isPassive(o.result.judged[0]?.attempt.command ?? 'PORT');
  if (o.dataLink) {
    const sent = o.result.data.kind === 'wrong-port' && o.dataTarget ? `; the command named ${o.dataTarget}` : '';
    return `${kind}: ${o.dataLink.from} → ${o.dataLink.to} (${passive ? 'client → server' : 'server → client'}${sent})`;
  }
  if (o.result.data.kind === 'not-tried') return `${kind}: no data connection arrived (none was asked for${whyNotTried(o)})`;
  // PASV/EPSV: we connect to the offer; PORT/EPRT: the server was to connect to us.
  if (passive) return `${kind}: no data connection was made${o.dataTarget ? ` to ${o.dataTarget}` : ''}`;
  return `${kind}: no data connection arrived${o.dataTarget ? ` at ${o.dataTarget}` : ''}`;
}

/**
 * One attempt. `full`: the whole dialogue and the verdict's detail too (for the first attempt of
 * each verdict: a run of 1,000 attempts prints a dialogue only where something new happened).
 */
export function attemptText(o: ProbeOutcome, index: number, repeat: number, full: boolean): string {
  const r = o.result;
  const command = r.judged[0]?.attempt.command ?? 'PORT';
  const lines = [`attempt ${index + 1}/${repeat} at ${o.startedAt.toISOString()}`];
  if (full) lines.push(formatTranscript(o.transcript), '');
  lines.push(`verdict: ${r.verdict}`);
  if (full) {
    lines.push(`sent:    ${r.sent}`);
    if (r.seen) lines.push(`seen:    ${r.seen}`);
  }
  lines.push(`data:    ${dataLine(o)}`);
  if (full) lines.push(`detail:  ${r.detail}`);
  lines.push(`control: ${o.control.from} → ${o.control.to} (client → server)`, `capture: ${captureFilter(command, o.control, o.dataLink, o.dataTarget)}`);
  return lines.join('\n');
}

/** `227: corrupted 10/10`, or `227: pass 7/10, corrupted 3/10` — the most frequent verdict first. */
export function tallyLine(value: string, verdicts: readonly Verdict[]): string {
  if (verdicts.length === 0) return `${value}: no attempt finished`;
  const counts = VERDICTS.map((v) => [v, verdicts.filter((x) => x === v).length] as const).filter(([, n]) => n > 0);
  counts.sort((a, b) => b[1] - a[1]);
  return `${value}: ${counts.map(([v, n]) => `${v} ${n}/${verdicts.length}`).join(', ')}`;
}

/** 1 when any attempt failed, else 0 (README, Exit codes). */
export function tallyExitCode(verdicts: readonly Verdict[]): number {
  return verdicts.some(isFailure) ? 1 : 0;
}
