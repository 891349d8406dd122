/**
 * What the sweep prints when it is done: counts, the failing values with sent vs seen, the matrix,
 * and where the report is.
 */
import { VERDICTS, isFailure } from '../model/judgement.js';
import { probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import { retryLine } from '../sweep/connectionRetries.js';
import { matrixText } from './matrix.js';
import { dataText } from './resultsCsv.js';
import type { Summary } from './summary.js';
import { incompleteLine, inspectionLine, serverChoseOffers } from './ticketModel.js';
import { formatEndpoint } from '../ftp/address.js';

/** At most this many failing values are listed; the CSV has them all. */
const LISTED_FAILURES = 20;

export function consoleReport(summary: Summary, results: readonly ResultRow[], reportDir: string): string {
  const { target, options } = summary;
  const twoFields = options.fields.length === 2;
  const out: string[] = [];
  out.push(
    `ftpsweep ${summary.tool.version}: ${formatEndpoint(target.host, target.port)}, ${options.command} ${options.fields.join(',')}, ${options.oracle} oracle${options.tls ? ' under TLS' : ''}, ${summary.total} probe${summary.total === 1 ? '' : 's'}, ` +
      `${(summary.durationMs / 1000).toFixed(2)} s${summary.reflector ? ' (reflector: byte-exact echoes)' : ''}`,
  );
  if (summary.inspection) out.push(`  control channel: ${inspectionLine(summary.inspection)}`);
  const noMatrix = serverChoseOffers(summary);
  if (noMatrix) out.push(`  note: ${noMatrix}`);
  const retried = summary.connectionRetries ? retryLine(summary.connectionRetries) : undefined;
  if (retried) out.push(`  connections: ${retried}`);
  // What to do about it is in the one-line error the CLI prints last.
  if (summary.stopped) out.push(`  STOPPED: ${summary.stopped.reason}`);
  if (summary.complete === false && !summary.interrupted) out.push(`  INCOMPLETE: ${incompleteLine(summary)}`);
  if (summary.interrupted) out.push(`  INTERRUPTED: ${summary.done} of ${summary.probes} probes done — finish with the same command and --resume ${reportDir}`);
  else if (summary.resumed > 0) out.push(`  resumed: ${summary.resumed} probes were done before, ${summary.done - summary.resumed} probed now`);
  out.push(`  ${VERDICTS.filter((v) => summary.counts[v] > 0).map((v) => `${v} ${summary.counts[v]}`).join('   ')}`);

  const failing = results.filter((r) => isFailure(r.verdict));
  if (failing.length > 0) {
    out.push('', 'Failing values:');
    for (const r of failing.slice(0, LISTED_FAILURES)) {
      out.push(`  ${probeLabel(r, twoFields).padStart(3)} ${r.verdict.padEnd(9)} ${r.failures}/${r.attempts}  sent ${r.sent || '-'}  seen ${r.seen || '-'}  data ${dataText(r.data)}`);
      out.push(`      ${r.detail}`);
    }
    if (failing.length > LISTED_FAILURES) out.push(`  … and ${failing.length - LISTED_FAILURES} more (see results.csv)`);
  }
  const b = summary.baseline;
  if (b) {
    const list = (values: readonly string[]): string =>
      values.length === 0 ? 'none' : values.length > 40 ? `${values.slice(0, 40).join(', ')} … and ${values.length - 40} more (summary.json)` : values.join(', ');
    out.push('', `Compared with the baseline ${b.source}:`, `  new failures (got worse): ${list(b.newFailures)}`, `  fixed: ${list(b.fixed)}`, `  unchanged failures: ${list(b.unchanged)}`);
    if (b.changed.length > 0) out.push(`  failing differently: ${b.changed.map((c) => `${c.value} ${c.from} → ${c.to}`).join(', ')}`);
  }
  out.push(...(noMatrix ? [] : ['', matrixText(results, options.fields)]), '', `Report: ${reportDir}${summary.dialogueValue !== null ? ` (report.html, report.md; dialogue of value ${summary.dialogueValue} in dialogue.txt)` : ' (report.html, report.md)'}`);
  return out.join('\n');
}

/**
 * --quiet's whole output: one line with the target, how far the sweep got (and why it stopped
 * early, if it did), the counts, and where the report is.
 */
export function resultLine(summary: Summary, reportDir: string): string {
  const { target, options } = summary;
  const where = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  const state = summary.stopped
    ? `stopped after ${summary.done} of ${summary.probes} probes (${summary.stopped.reason})`
    : summary.interrupted
      ? `interrupted after ${summary.done} of ${summary.probes} probes`
      : `${summary.total} probe${summary.total === 1 ? '' : 's'}`;
  const counts = VERDICTS.filter((v) => summary.counts[v] > 0).map((v) => `${v} ${summary.counts[v]}`).join(', ');
  const worse = summary.baseline ? `, ${summary.baseline.newFailures.length} worse than the baseline` : '';
  return `ftpsweep: ${where} ${options.command}: ${state}: ${counts === '' ? 'no value done' : counts}${worse}; report ${reportDir}`;
}
