/**
 * report.md: the ticket report as Markdown, for a ticket system or a pull request.
 */
import type { ResultRow } from '../model/valueResult.js';
import { VARIANT_MEANING } from '../model/variants.js';
import { VERDICT_MARK, verdictGrid } from './matrix.js';
import { dataText } from './resultsCsv.js';
import { markdownText, printable } from './safeText.js';
import type { Summary } from './summary.js';
import { ticketModel, type FailingEntry } from './ticketModel.js';

/** Inline code that survives backticks, pipes and control characters inside the text (it comes from servers). */
function code(text: string): string {
  const clean = printable(text.replace(/[\r\n]+/g, ' ')).replaceAll('|', '\\|');
  const fence = clean.includes('`') ? '``' : '`';
  return clean === '' ? '' : `${fence}${fence.length > 1 ? ' ' : ''}${clean}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** Text in a table cell or paragraph: no markup, HTML or control character of its own (safeText.ts). */
function cell(text: string): string {
  return markdownText(text);
}

/** A code fence longer than any run of backticks in `text`, so the text cannot close it (CommonMark §4.5). */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * sent and seen one above the other, with carets under the bytes that differ. Both shown printable
 * (a server's ESC or BEL never reaches the file raw), the carets placed on the printable forms.
 */
function diffBlock(entry: FailingEntry): string[] {
  const { row, diff } = entry;
  const sent = printable(row.sent || '-');
  if (!diff) return [fenceFor(sent), `sent  ${sent}`, fenceFor(sent)];
  const seen = printable(row.seen);
  const fence = fenceFor(sent + seen);
  const width = Math.max(printable(diff.seen.changed).length, printable(diff.sent.changed).length, 1);
  return [fence, `sent  ${sent}`, `seen  ${seen}`, `      ${' '.repeat(printable(diff.seen.before).length)}${'^'.repeat(width)}`, fence];
}

export function markdownReport(summary: Summary, rows: readonly ResultRow[], dialogue?: string): string {
  const m = ticketModel(summary, rows, dialogue);
  const out: string[] = [`# ${m.title}`, '', '| | |', '|---|---|', ...m.facts.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''];
  out.push('## Result', '', `**${m.headline}** ${m.counts.map(([v, n]) => `${v} ${n}`).join(' · ')}`, '');

  out.push('## Matrix', '');
  if (m.noMatrix) {
    out.push(`${cell(m.noMatrix)}.`, '');
  } else if (m.twoFields) {
    const [row, column] = m.planeFields;
    out.push(`Two fields swept (value = ${row},${column}): the 256 × 256 picture, row = ${row}, column = ${column}, is in matrix.csv and report.html.`, '', ...m.planeLines.map((l) => `- ${cell(l)}`), '');
  } else {
    out.push(`Row = value rounded down to a multiple of 16, column = +0..+15. ${Object.entries(VERDICT_MARK).map(([v, k]) => `\`${k}\` ${v}`).join(', ')}.`, '');
    for (const variant of m.variants) {
      if (m.variants.length > 1) out.push(`**${variant}**: ${VARIANT_MEANING[variant]}`, '');
      out.push(`| | ${Array.from({ length: 16 }, (_, c) => `+${c}`).join(' | ')} |`, `|---${'|---'.repeat(16)}|`);
      verdictGrid(rows, variant).forEach((line, r) => {
        if (line.every((v) => v === undefined)) return;
        out.push(`| **${r * 16}** | ${line.map((v) => (v === undefined ? ' ' : v === 'pass' || v === 'translated' ? VERDICT_MARK[v] : `**${VERDICT_MARK[v]}**`)).join(' | ')} |`);
      });
      out.push('');
    }
  }

  if (m.baselineLines.length > 0) out.push('## Baseline', '', ...m.baselineLines.map((l) => `- ${cell(l)}`), '');

  if (m.failing.length > 0) {
    out.push('## Failing values', '', '| value | verdict | repeat | sent | seen | data | detail |', '|---|---|---|---|---|---|---|');
    for (const f of m.failing) {
      const r = f.row;
      out.push(`| ${f.label}${f.baseline ? ` (${f.baseline})` : ''} | ${r.verdict} | ${r.failures}/${r.attempts} | ${code(r.sent)} | ${code(r.seen)} | ${code(dataText(r.data))} | ${cell(r.detail)} |`);
    }
    if (m.failingTotal > m.failing.length) out.push('', `… and ${m.failingTotal - m.failing.length} more failing values in results.csv.`);
    out.push('');
    for (const f of m.failing.slice(0, 16)) {
      out.push(`### ${f.label}: ${f.row.verdict} (${f.row.failures}/${f.row.attempts})`, '', ...diffBlock(f), '', `reply: ${code(f.row.reply) || '-'}`, '', cell(f.row.detail), '');
    }
    if (m.failingTotal > 16) out.push(`… ${m.failingTotal - 16} more failing values in the table above and in results.csv.`, '');
  }

  if (m.dialogue) {
    out.push(`## Dialogue of one failing probe (value ${m.dialogue.label})`, '', 'As `ftpsweep probe` prints it; `>` sent, `<` received, `*` events. Reproduce it by hand with the same commands.', '');
    out.push('```', m.dialogue.text.replaceAll('```', "'''"), '```', '');
  }

  out.push('## What this means', '', ...m.meanings.flatMap(([v, text]) => [`**${v}**: ${text}`, '']));
  return `${out.join('\n').trimEnd()}\n`;
}
