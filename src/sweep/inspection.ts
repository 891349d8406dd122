/**
 * Does anything between us and the server rewrite the control channel at all? Checked on the first
 * connection before its first probe, at the cost of one round trip (FIELD-NOTES §2–3):
 * - SYST: Cisco ASA's FTP inspection masks the system type with X's by default;
 * - the reflector's echo of that ordinary command: any difference is a rewrite;
 * - the address in data-port commands: the probes' own echoes show whether it was translated (a
 *   NAT's FTP helper) or rewritten — no extra command needed for that (sweepFindings, after the sweep).
 */
import { displayBytes, findEcho, stripEcho } from '../ftp/echo.js';
import { FtpSweepError } from '../ftp/errors.js';
import { replyMessage } from '../ftp/replyParser.js';
import type { Lease } from './connectionPool.js';
import type { ValueResult } from './valueResult.js';

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

/** How many rewritten values a finding names; the rest are in results.csv. */
const NAMED = 8;

/**
 * The address check, from the sweep's own data-port commands (`echoed`: the reflector echoed them):
 * a translated row means the far side saw another address than the one sent (a NAT's FTP helper);
 * a corrupted one, that something rewrote the command itself — an inspecting middlebox, even when
 * SYST and every other command came through untouched (the seed's firewall did exactly that).
 */
export function sweepFindings(report: InspectionReport, results: readonly ValueResult[], echoed: boolean): InspectionReport {
  if (!echoed) return report;
  const findings = [...report.findings];
  const translated = results.find((r) => r.verdict === 'translated');
  if (translated) findings.push(`the far side saw "${translated.seen}" for "${translated.sent}": the address is translated (a NAT with an FTP helper)`);
  const rewritten = results.filter((r) => r.verdict === 'corrupted' && r.seen !== '' && r.seen !== r.sent);
  if (rewritten.length > 0) {
    const first = rewritten[0]!;
    const values = rewritten.slice(0, NAMED).map((r) => String(r.value)).join(', ') + (rewritten.length > NAMED ? `, … (${rewritten.length} in all)` : '');
    findings.push(`the far side saw "${first.seen}" for "${first.sent}": data-port commands are rewritten in transit (value${rewritten.length > 1 ? 's' : ''} ${values})`);
  }
  return { checked: [...report.checked, 'address'], findings };
}
