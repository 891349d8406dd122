/**
 * Before the sweep: does anything between us and the server rewrite the control channel at all?
 * Three cheap checks on one connection (FIELD-NOTES §2–3):
 * - SYST: Cisco ASA's FTP inspection masks the system type with X's by default;
 * - the reflector's echo of an ordinary command: any difference is a rewrite;
 * - a data-port command to our own address (no transfer follows): the reflector's echo shows
 *   whether the address was translated (a NAT's FTP helper) or the command changed otherwise.
 */
import { displayBytes, findEcho, stripEcho } from '../ftp/echo.js';
import { FtpSweepError } from '../ftp/errors.js';
import { parseDataPortLine } from '../ftp/portCommand.js';
import { replyMessage } from '../ftp/replyParser.js';
import type { Lease } from './connectionPool.js';
import { probeTarget, type Plan } from './plan.js';

export interface InspectionReport {
  /** What was checked, for the report: e.g. `SYST`, `echo`, `address`. */
  readonly checked: readonly string[];
  /** What showed that something rewrites the control channel; empty when nothing did. */
  readonly findings: readonly string[];
}

/** Runs the checks on a logged-in connection. Never throws for what the server does; notes it. */
export async function inspectControlChannel(lease: Lease, plan: Plan): Promise<InspectionReport> {
  const checked: string[] = [];
  const findings: string[] = [];
  const { connection } = lease;
  try {
    const syst = await connection.command('SYST', 'login');
    checked.push('SYST');
    const text = stripEcho(replyMessage(syst)).trim();
    if (/^X{4,}$|\bX{6,}\b/.test(text)) findings.push(`the SYST reply is masked ("${syst.code} ${text}"): an inspecting firewall (Cisco ASA masks SYST by default)`);

    const echo = findEcho(syst);
    if (echo === undefined) return { checked, findings };
    checked.push('echo');
    if (echo.toString('latin1') !== 'SYST\r\n') findings.push(`the reflector received "${displayBytes(echo)}" for SYST: something rewrites commands`);

    // A data-port command naming our own address and a port we own; no listing follows.
    const { line } = probeTarget(plan, 1, lease.ownByte, lease.advertise);
    const reply = await connection.command(line, 'port-reply');
    const seen = findEcho(reply)?.toString('latin1');
    if (seen === undefined) return { checked, findings };
    checked.push('address');
    if (seen !== `${line}\r\n`) {
      const got = parseDataPortLine(seen.replace(/\r?\n$/, ''));
      const sent = parseDataPortLine(line);
      findings.push(
        got.ok && sent.ok && got.address.port === sent.address.port
          ? `the reflector saw ${got.address.host}:${got.address.port} in "${line}" sent with ${sent.address.host}: the address is translated (a NAT with an FTP helper)`
          : `the reflector received "${displayBytes(seen)}" for "${line}": the command is rewritten`,
      );
    }
  } catch (error) {
    if (!(error instanceof FtpSweepError)) throw error;
    findings.push(`the check was cut short: ${error.message}`);
  }
  return { checked, findings };
}
