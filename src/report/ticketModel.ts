/**
 * What the ticket reports (report.md, report.html) say, computed once; the two files only render it.
 */
import { isFailure, VERDICTS, type Verdict } from '../model/judgement.js';
import { probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import type { Variant } from '../model/variants.js';
import { retryLine } from '../sweep/connectionRetries.js';
import { isKnownFailure, type Comparison } from './baseline.js';
import { variantsIn } from './matrix.js';
import { verdictMeaning } from './meanings.js';
import { planeSummary, planeSummaryLines } from './planeSummary.js';
import type { Summary } from './summary.js';
import { splitDifference, type DiffParts } from './textDiff.js';
import { formatEndpoint } from '../ftp/address.js';

export interface FailingEntry {
  readonly row: ResultRow;
  /** How people name the row: `227`, `124,227`, `227 trailing-space`. */
  readonly label: string;
  /** `sent` and `seen` split around what differs; undefined when nothing was seen. */
  readonly diff: { readonly sent: DiffParts; readonly seen: DiffParts } | undefined;
  /** With a baseline: `new` (got worse) or `known` (failed before too). */
  readonly baseline: 'new' | 'known' | undefined;
}

export interface TicketModel {
  readonly title: string;
  /** Label/value lines describing the run. */
  readonly facts: readonly (readonly [string, string])[];
  readonly headline: string;
  readonly counts: readonly (readonly [Verdict, number])[];
  readonly rows: readonly ResultRow[];
  /** Why there is no value matrix (PASV/EPSV offers the server chose), or undefined. */
  readonly noMatrix: string | undefined;
  /** Two fields swept: the picture is 256×256 (matrix.csv), not 16×16. */
  readonly twoFields: boolean;
  /** The two fields swept (row, column), and the plane in words (planeSummary.ts); empty for one field. */
  readonly planeFields: readonly string[];
  readonly planeLines: readonly string[];
  /** The syntax variants present: one 16×16 grid each. */
  readonly variants: readonly Variant[];
  /** The first FAILING_LISTED failing rows. */
  readonly failing: readonly FailingEntry[];
  readonly failingTotal: number;
  readonly baselineLines: readonly string[];
  readonly dialogue: { readonly label: string; readonly text: string } | undefined;
  readonly meanings: readonly (readonly [Verdict, string])[];
}

/** One line on the control-channel check: what it found, or that it found nothing. */
export function inspectionLine(inspection: NonNullable<Summary['inspection']>): string {
  if (inspection.findings.length > 0) return inspection.findings.join('; ');
  return `no sign of inspection (checked: ${inspection.checked.join(', ') || 'nothing'}${inspection.checked.includes('echo') ? '' : '; without the reflector only SYST can be checked'})`;
}

/** "3 of 8 probes; missing: 1,3,5,7" — what an incomplete report (a merge short of shards) lacks. */
export function incompleteLine(summary: Pick<Summary, 'done' | 'probes' | 'missing'>): string {
  return `${summary.done} of ${summary.probes} probes of the sweep are here; missing: ${summary.missing.join('; ')}`;
}

/** How many failing rows the reports list; all of them are in results.csv. */
export const FAILING_LISTED = 500;

/**
 * PASV/EPSV against a server that is not the reflector: the server picks the ports it offers, so
 * the swept "values" are only repeated tries — no value matrix may suggest otherwise. Undefined when
 * the values mean what they say.
 */
export function serverChoseOffers(summary: Pick<Summary, 'options' | 'offersChosenByServer' | 'total'>): string | undefined {
  if (!summary.offersChosenByServer) return undefined;
  const { command } = summary.options;
  return `${command} offers that the reflector was not asked for (another server, or a middlebox answering ${command} itself): the far side picks the ports it offers, so these ${summary.total} probes are ${summary.total} tries of its offers, not values; there is no value matrix`;
}

const list = (values: readonly string[]): string => (values.length === 0 ? 'none' : values.join(', '));

/** "All 256 values passed.", "No value failed: 200 passed, 56 translated.", "3 of 256 values failed." */
function headline(total: number, failing: number, translated: number, what: 'values' | 'tries', comparison: Comparison | undefined): string {
  const one = what === 'values' ? 'value' : 'try';
  if (failing > 0) return `${failing} of ${total} ${what} failed${comparison ? `; ${comparison.newFailures.length} got worse than the baseline` : ''}.`;
  if (translated === 0) return `All ${total} ${what} passed.`;
  return `No ${one} failed: ${total - translated} passed, ${translated} translated (rewritten on the way, and still working).`;
}

export function ticketModel(summary: Summary, rows: readonly ResultRow[], dialogue?: string): TicketModel {
  const { target, options } = summary;
  const twoFields = options.fields.length === 2;
  const facts: [string, string][] = [
    ['target', `${formatEndpoint(target.host, target.port)}, user ${target.user}`],
    ['time', `${summary.startedAt} → ${summary.endedAt} (${(summary.durationMs / 1000).toFixed(2)} s)`],
    ['tool', `ftpsweep ${summary.tool.version}`],
    [
      'options',
      `${options.command} ${options.fields.join(',')}, ${options.oracle} oracle, values ${options.values}${options.variants.length > 1 || options.variants[0] !== 'plain' ? `, variants ${options.variants.join(', ')}` : ''}` +
        `${options.split !== 'none' ? `, split ${options.split}` : ''}${options.tls ? ', control channel under TLS' : ''}, concurrency ${options.concurrency}, timeout ${options.timeoutMs} ms, ` +
        `confirm ${options.confirm}, high byte ${options.highByte}${options.advertise ? `, advertise ${options.advertise}` : ''}`,
    ],
    ['far side', summary.reflector ? 'ftpsweep reflector (byte-exact echoes)' : 'an FTP server (no reflector echo)'],
  ];
  if (summary.inspection) facts.push(['control channel', inspectionLine(summary.inspection)]);
  const retried = summary.connectionRetries ? retryLine(summary.connectionRetries) : undefined;
  if (retried) facts.push(['connections', retried]);
  if (summary.interrupted) facts.push(['INTERRUPTED', `${summary.done} of ${summary.probes} probes done; the rest were not probed${summary.stopped ? ` (${summary.stopped.reason})` : ''}`]);
  if (summary.complete === false && !summary.interrupted) facts.push(['INCOMPLETE', incompleteLine(summary)]);
  if (summary.shard) facts.push(['shard', `${summary.shard.index} of ${summary.shard.count}`]);
  if (summary.mergedFrom) facts.push(['merged from', summary.mergedFrom.join(', ')]);

  const failingRows = rows.filter((r) => isFailure(r.verdict));
  const comparison = summary.baseline ?? undefined;
  const failing = failingRows.slice(0, FAILING_LISTED).map((row) => ({
    row,
    label: probeLabel(row, twoFields),
    diff: row.seen && row.sent ? (({ a, b }) => ({ sent: a, seen: b }))(splitDifference(row.sent, row.seen)) : undefined,
    baseline: comparison ? (isKnownFailure(comparison, probeLabel(row, twoFields)) ? 'known' : 'new') : undefined,
  })) satisfies FailingEntry[];

  const baselineLines = comparison
    ? [
        `baseline: ${comparison.source}`,
        `new failures (got worse): ${list(comparison.newFailures)}`,
        `fixed: ${list(comparison.fixed)}`,
        `unchanged failures: ${list(comparison.unchanged)}`,
        ...(comparison.changed.length > 0 ? [`failing differently: ${comparison.changed.map((c) => `${c.value} ${c.from} → ${c.to}`).join(', ')}`] : []),
      ]
    : [];

  const present = VERDICTS.filter((v) => summary.counts[v] > 0);
  const noMatrix = serverChoseOffers(summary);
  return {
    title: `ftpsweep report${summary.complete === false ? ' (INCOMPLETE)' : ''}: ${formatEndpoint(target.host, target.port)}`,
    facts,
    headline: headline(rows.length, failingRows.length, summary.counts.translated, noMatrix === undefined ? 'values' : 'tries', comparison),
    counts: present.map((v) => [v, summary.counts[v]] as const),
    rows,
    noMatrix,
    twoFields,
    planeFields: twoFields ? options.fields : [],
    planeLines: twoFields ? planeSummaryLines(planeSummary(rows), [options.fields[0]!, options.fields[1]!]) : [],
    variants: variantsIn(rows),
    failing,
    failingTotal: failingRows.length,
    baselineLines,
    dialogue: dialogue && summary.dialogueValue !== null ? { label: summary.dialogueValue, text: dialogue } : undefined,
    meanings: present.map((v) => [v, verdictMeaning(v, { command: options.command, oracle: options.oracle, reflector: summary.reflector })] as const),
  };
}
