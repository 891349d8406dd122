/**
 * Does anything between us and the server rewrite the control channel at all? Checked on the first
 * connection before its first probe, at the cost of one round trip (FIELD-NOTES §2–3):
 * - SYST: Cisco ASA's FTP inspection masks the system type with X's by default;
 * - the reflector's echo of that ordinary command: any difference is a rewrite;
 * - the address in data-port commands: the probes' own echoes show whether it was translated (a
 *   NAT's FTP helper) or rewritten — no extra command needed for that (PathObservations).
 */
import { FtpSweepError } from '../errors.js';
import { displayBytes, findEcho, refusedForeign, stripEcho } from '../ftp/echo.js';
import { replyMessage } from '../ftp/replyParser.js';
import type { Translation } from '../model/judgement.js';
import { dataArrived, type ValueResult } from '../model/valueResult.js';
import { shortValueList } from '../model/values.js';
import type { Lease } from './connectionPool.js';

export interface InspectionReport {
  /** What was checked, for the report: e.g. `SYST`, `echo`, `address`. */
  readonly checked: readonly string[];
  /** What showed that something rewrites the control channel; empty when nothing did. */
  readonly findings: readonly string[];
}

/** SYST and its echo on a logged-in connection. Never throws for what the server does; notes it. */
export async function inspectControlChannel(lease: Lease): Promise<InspectionReport> {
  const checked: string[] = [];
  const findings: string[] = [];
  try {
    const syst = await lease.connection.command('SYST', 'login');
    checked.push('SYST');
    const text = stripEcho(replyMessage(syst)).trim();
    if (/^X{4,}$|\bX{6,}\b/.test(text)) findings.push(`the SYST reply is masked ("${syst.code} ${text}"): an inspecting firewall (Cisco ASA masks SYST by default)`);
    const echo = findEcho(syst);
    if (echo !== undefined) {
      checked.push('echo');
      if (echo.toString('latin1') !== 'SYST\r\n') findings.push(`the reflector received "${displayBytes(echo)}" for SYST: something rewrites commands`);
    }
  } catch (error) {
    if (!(error instanceof FtpSweepError)) throw error;
    findings.push(`the check was cut short: ${error.message}`);
  }
  return { checked, findings };
}

/**
 * The values a finding names: each once, ranges joined (`220-230`), however many syntax variants
 * probed each — "values 227, 227, 227" told nothing — with the probes counted when they are more.
 */
class NamedValues {
  private readonly values = new Set<number>();
  count = 0;

  add(value: number): void {
    this.values.add(value);
    this.count++;
  }

  toString(): string {
    const many = this.values.size > 1 ? 's' : '';
    return `value${many} ${shortValueList(this.values)}${this.count > this.values.size ? `, ${this.count} probes` : ''}`;
  }
}

/**
 * What the sweep's own data-port commands showed about the path, gathered row by row as rows
 * become final (a passing row's evidence is dropped right after). Claimed only where the
 * reflector's word makes it certain: its echo, or its naming of the command it connected back for.
 * - translated: the far side saw another address (a NAT's FTP helper), another port too (NAT
 *   remapping a taken port), or a command written by an application proxy that answered ours;
 * - corrupted with other bytes seen: something rewrote the command itself — an inspecting
 *   middlebox, even when SYST and every other command came through untouched (the example firewall).
 */
export class PathObservations {
  /** Whether the far side was an ftpsweep reflector (its echo or target tag was seen). */
  reflector = false;
  /** Whether a PASV/EPSV offer came from the reflector as asked (its `[ftpsweep-sent]` tag). */
  offersAsked = false;
  private readonly translated = new Map<Translation, { row: ValueResult; values: NamedValues }>();
  /** The first corrupted row with other bytes seen, and the values of all of them. */
  private rewritten: ValueResult | undefined;
  private readonly rewrittenValues = new NamedValues();
  /** The reflector refused an unchanged command naming another address than the one it sees us at. */
  private untranslated: { readonly named: string; readonly peer: string } | undefined;
  /** Replies to the probed command that carried no echo, and no later word of the reflector either. */
  private unechoed = 0;
  private unechoedExample = '';

  add(row: ValueResult): void {
    this.reflector ||= row.judged.some(({ attempt: a }) => a.echo !== undefined || a.relayed !== undefined || a.offer?.reported !== undefined);
    this.offersAsked ||= row.judged.some(({ attempt: a }) => a.offer?.reported !== undefined);
    const judgement = row.judged.find((j) => j.judgement.verdict === 'translated')?.judgement;
    if (row.verdict === 'translated' && judgement?.verdict === 'translated') {
      const seen = this.translated.get(judgement.via) ?? { row, values: new NamedValues() };
      seen.values.add(row.value);
      this.translated.set(judgement.via, seen);
    }
    if (row.verdict === 'corrupted' && row.seen !== '' && row.seen !== row.sent) {
      this.rewritten ??= row;
      this.rewrittenValues.add(row.value);
    }
    const first = row.judged[0]?.attempt;
    if (first?.portReply && first.echo !== undefined && first.echo === first.sentBytes) this.untranslated ??= refusedForeign(first.portReply);
    if (first?.portReply && first.echo === undefined && first.relayed === undefined && first.offer?.reported === undefined) {
      this.unechoed++;
      this.unechoedExample ||= `${first.portReply.code} ${stripEcho(replyMessage(first.portReply)).split('\n')[0]!.slice(0, 80)}`;
    }
  }

  /**
   * The check's report with what the rows showed added; unchanged without the reflector's word.
   * `addresses`: data-port commands, whose address and port the rows compare (not PASV/EPSV, whose
   * offers are the far side's).
   */
  findings(report: InspectionReport, command: string, addresses = true): InspectionReport {
    // The reflector echoed SYST, yet replies to the probed command carried no echo: something
    // between answered them itself (ftp-proxy refuses EPRT; any proxy answers PORT).
    const answeredBetween =
      report.checked.includes('echo') && this.unechoed > 0
        ? [`the far side is the reflector, but ${this.unechoed} ${command} repl${this.unechoed === 1 ? 'y carries' : 'ies carry'} no echo ("${this.unechoedExample}"): something between answers ${command} itself`]
        : [];
    if (!this.reflector || !addresses) return answeredBetween.length === 0 ? report : { checked: report.checked, findings: [...report.findings, ...answeredBetween] };
    const findings = [...report.findings, ...answeredBetween];
    const u = this.untranslated;
    if (u) findings.push(`the far side sees the control connection come from ${u.peer}, but ${command} names ${u.named}, unchanged: a NAT without an FTP helper (active FTP cannot work through it)`);
    const says = (r: ValueResult): string => `the far side saw "${r.seen}" for "${r.sent}"`;
    const nat = this.translated.get('nat');
    if (nat) findings.push(`${says(nat.row)}: the address is translated (a NAT with an FTP helper)`);
    const remap = this.translated.get('remap');
    if (remap) {
      const values = String(remap.values);
      // Under the reply oracle no data connection was made: the finding must not claim one.
      findings.push(
        dataArrived(remap.row.data)
          ? `${says(remap.row)}: another port, and the data still reached the port sent (a NAT remapping ports taken on its address; ${values})`
          : `${says(remap.row)}: another port (${values}); no data connection checked it: a NAT remapping ports delivers the data to the port sent, a rewrite would not — sweep with --oracle data to tell`,
      );
    }
    const proxy = this.translated.get('proxy');
    if (proxy) findings.push(`an application proxy answers ${command} itself and opens its own data connections: ${says(proxy.row)}, and the data still reached the port sent`);
    const rewrite = this.translated.get('rewrite');
    if (rewrite) findings.push(`${says(rewrite.row)}: rewritten on the way, to the same address and port`);
    if (this.rewritten) findings.push(`${says(this.rewritten)}: data-port commands are rewritten in transit (${String(this.rewrittenValues)})`);
    return { checked: [...report.checked, 'address'], findings };
  }
}
