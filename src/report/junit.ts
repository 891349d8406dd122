/**
 * JUnit XML: one test case per value, so any CI (GitHub Actions, GitLab, Jenkins) shows failing
 * values natively. With a baseline, failures already known from it are `skipped`, matching the exit
 * code: only new failures fail the build.
 */
import { isFailure } from '../model/judgement.js';
import { probeLabel } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import { isKnownFailure } from './baseline.js';
import { dataText } from './resultsCsv.js';
import { printable } from './safeText.js';
import type { Summary } from './summary.js';
import { formatEndpoint } from '../ftp/address.js';

/** XML 1.0 text: markup characters escaped, characters XML cannot carry replaced. */
function xml(text: string): string {
  return printable(text)
    .replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd]/gu, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function junitXml(summary: Summary, rows: readonly ResultRow[]): string {
  const target = formatEndpoint(summary.target.host, summary.target.port);
  const comparison = summary.baseline ?? undefined;
  const twoFields = summary.options.fields.length === 2;
  const known = (r: ResultRow): boolean => isFailure(r.verdict) && isKnownFailure(comparison, probeLabel(r, twoFields));
  const failures = rows.filter((r) => isFailure(r.verdict) && !known(r)).length;
  const skipped = rows.filter(known).length;
  const seconds = (summary.durationMs / 1000).toFixed(3);
  const suite = `ftpsweep ${target} (${summary.options.oracle} oracle${summary.shard ? `, shard ${summary.shard.index}/${summary.shard.count}` : ''})`;
  const classname = `ftpsweep.${target.replace(/[^A-Za-z0-9]+/g, '_')}`;
  const cases = rows.map((r) => {
    const head = `    <testcase classname="${xml(classname)}" name="value ${xml(probeLabel(r, twoFields))}" time="${(r.ms / 1000).toFixed(3)}"`;
    if (!isFailure(r.verdict)) return `${head}/>`;
    const body = `sent: ${r.sent}\nseen: ${r.seen}\ndata: ${dataText(r.data)}\nreply: ${r.reply}\nrepeat: ${r.failures}/${r.attempts}\ndetail: ${r.detail}`;
    if (known(r)) return `${head}>\n      <skipped message="${xml(`known failure (in the baseline): ${r.verdict}`)}"/>\n    </testcase>`;
    return `${head}>\n      <failure message="${xml(`${r.verdict}: ${r.detail}`)}" type="${r.verdict}">${xml(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ftpsweep" tests="${rows.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="${xml(suite)}" tests="${rows.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}" timestamp="${xml(summary.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
