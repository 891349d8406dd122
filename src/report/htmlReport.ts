/**
 * report.html: the ticket report as one self-contained page — no external scripts, fonts or images,
 * so it can be attached to a ticket and opened anywhere. Every text from the far side is escaped:
 * a hostile server's reply must not become markup.
 */
import { VERDICTS, type Verdict } from '../model/judgement.js';
import { probeId } from '../model/probes.js';
import type { ResultRow } from '../model/valueResult.js';
import { VARIANT_MEANING, type Variant } from '../model/variants.js';
import { verdictGrid } from './matrix.js';
import { dataText } from './resultsCsv.js';
import { escapeHtml, printable } from './safeText.js';
import { PLANE_SCRIPT, PLANE_STYLE, planeHtml } from './htmlPlane.js';
import type { Summary } from './summary.js';
import type { DiffParts } from './textDiff.js';
import { ticketModel } from './ticketModel.js';

const COLOURS: Readonly<Record<Verdict, string>> = {
  pass: '#cdeccd',
  translated: '#cfe3fa',
  corrupted: '#e8463c',
  rejected: '#f5a742',
  'no-data': '#a77bd6',
  timeout: '#b8860b',
  reset: '#8b1a1a',
  error: '#9e9e9e',
};

/** The changed bytes marked; nothing marked where nothing changed (an empty <mark> shows as a sliver). */
function marked(split: DiffParts): string {
  const changed = split.changed === '' ? '' : `<mark>${escapeHtml(split.changed)}</mark>`;
  return `${escapeHtml(split.before)}${changed}${escapeHtml(split.after)}`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d1d;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse}td,th{padding:3px 7px;vertical-align:top;text-align:left}
.facts th{color:#555;font-weight:normal;padding-right:16px}
.grid{margin-bottom:12px}.grid caption{text-align:left;font-weight:bold;padding:4px 0}
.grid td,.grid th{width:34px;height:26px;text-align:center;font:12px monospace;border:1px solid #fff}
.grid td{cursor:pointer}.grid td:focus,.grid td.selected{outline:3px solid #111;outline-offset:-3px}
.grid td.failing{color:#fff;font-weight:bold}
.chip{display:inline-block;padding:1px 8px;margin:2px;border-radius:9px;font-size:12px}
.v-corrupted,.v-reset,.v-no-data,.v-timeout{color:#fff}
code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}pre{background:#f6f6f6;padding:10px;overflow:auto}
mark{background:#ffd54f;color:#000;outline:1px solid #c49000}
.scroll{overflow-x:auto;max-width:100%}
.failures td{border-bottom:1px solid #eee}.failures .chip,.failures td.data code{white-space:nowrap}.failures td.sent{min-width:220px}
.failures code{white-space:pre-wrap;overflow-wrap:anywhere}.failures td.detail{overflow-wrap:anywhere;min-width:16em}
#row{min-height:3em;background:#fafafa;border:1px solid #ddd;padding:8px;margin-top:8px}
#row dt{float:left;clear:left;width:6em;color:#555}#row dd{margin-left:7em;min-height:1.45em;overflow-wrap:anywhere}
#row dd.empty{color:#999}
.new{color:#c62828;font-weight:bold}.known{color:#666}
`;

/**
 * Click (or Enter on) a cell: its row appears below the grid. Data comes from the JSON block. A 2-D
 * sweep is drawn on a canvas (htmlPlane.ts).
 */
const SCRIPT = `
const rows=new Map(JSON.parse(document.getElementById('rows').textContent).map(r=>[r.variant+' '+r.value,r]));
const panel=document.getElementById('row');
function showRow(r){
  panel.replaceChildren();
  const dl=document.createElement('dl');
  for(const [k,v] of [['value',r.label??r.value],['variant',r.variant],['verdict',r.verdict],['repeat',r.failures+'/'+r.attempts],['sent',r.sent],['seen',r.seen],['reply',r.reply],['data',r.data],['detail',r.detail],['ms',r.ms]]){
    if(v===undefined||Number.isNaN(v))continue;
    const dt=document.createElement('dt');dt.textContent=k;const dd=document.createElement('dd');const text=String(v??'');
    // An empty field keeps its line: "—", so the next field does not move up beside this one.
    if(text===''){dd.textContent='—';dd.className='empty';dd.title='empty';}else dd.textContent=text;
    dl.append(dt,dd);
  }
  panel.append(dl);
}
function show(td){
  document.querySelectorAll('.grid td.selected').forEach(c=>c.classList.remove('selected'));
  td.classList.add('selected');
  showRow(rows.get(td.dataset.variant+' '+td.dataset.value));
}
document.querySelectorAll('.grid td[data-value]').forEach(td=>{
  td.addEventListener('click',()=>show(td));
  td.addEventListener('keydown',e=>{if(e.key==='Enter'||e.key===' '){e.preventDefault();show(td);}});
});
`;

/** Exactly the report columns, in a fixed order, whatever else the row object carries. */
function rowData(r: ResultRow): Omit<ResultRow, 'data'> & { readonly data: string } {
  const { value, variant, verdict, sent, seen, replyCode, reply, data, failures, attempts, detail, ms } = r;
  return { value, variant, verdict, sent: printable(sent), seen: printable(seen), replyCode, reply: printable(reply), data: dataText(data), failures, attempts, detail: printable(detail), ms };
}

export function htmlReport(summary: Summary, rows: readonly ResultRow[], dialogue?: string): string {
  const m = ticketModel(summary, rows, dialogue);
  // Only the 16 × 16 grids look rows up (a 2-D report draws a canvas): no Map of 65,536 rows for it.
  let byId: Map<number, ResultRow> | undefined;
  const rowOf = (value: number, variant: Variant): ResultRow => {
    byId ??= new Map(rows.map((r) => [probeId(r), r]));
    return byId.get(probeId({ value, variant }))!;
  };
  const gridTable = (variant: Variant, id: string): string => {
    const body = verdictGrid(rows, variant)
      .map((line, r) => {
        if (line.every((v) => v === undefined)) return '';
        const cells = line
          .map((v, c) => {
            const value = r * 16 + c;
            if (v === undefined) return '<td></td>';
            const row = rowOf(value, variant);
            const failing = v !== 'pass' && v !== 'translated';
            return `<td class="v-${v}${failing ? ' failing' : ''}" data-value="${value}" data-variant="${variant}" data-verdict="${v}" tabindex="0" title="${escapeHtml(`${value}: ${v} — ${row.detail}`)}">${value}</td>`;
          })
          .join('');
        return `<tr><th>${r * 16}</th>${cells}</tr>`;
      })
      .join('\n');
    const caption = m.variants.length > 1 ? `<caption>${escapeHtml(`${variant}: ${VARIANT_MEANING[variant]}`)}</caption>` : '';
    return `<table class="grid" id="${id}">${caption}<tr><th></th>${Array.from({ length: 16 }, (_, c) => `<th>+${c}</th>`).join('')}</tr>\n${body}\n</table>`;
  };
  const matrix = m.noMatrix
    ? `<p id="no-matrix">${escapeHtml(`${m.noMatrix}.`)}</p>`
    : m.twoFields
    ? planeHtml(rows, m.planeFields, m.planeLines, VERDICTS.map((v) => COLOURS[v]))
    : `<p>Row = value rounded down to a multiple of 16, column = +0..+15. Hover a cell for its verdict, click it for its row.</p>\n${m.variants.map((v, i) => gridTable(v, i === 0 ? 'grid' : `grid-${v}`)).join('\n')}`;
  const css = STYLE + (m.twoFields ? PLANE_STYLE : '') + VERDICTS.map((v) => `.v-${v}{background:${COLOURS[v]}}`).join('');
  const chips = m.counts.map(([v, n]) => `<span class="chip v-${v}">${v} ${n}</span>`).join('');
  const failing = m.failing
    .map(({ row: r, label, diff, baseline }) => {
      const sent = diff ? marked(diff.sent) : escapeHtml(r.sent);
      const seen = diff ? marked(diff.seen) : escapeHtml(r.seen);
      const tag = baseline ? ` <span class="${baseline}">${baseline}</span>` : '';
      return `<tr><td>${escapeHtml(label)}${tag}</td><td><span class="chip v-${r.verdict}">${r.verdict}</span></td><td>${r.failures}/${r.attempts}</td><td class="sent"><code>${sent}</code><br><code>${seen}</code></td><td class="data"><code>${escapeHtml(dataText(r.data))}</code></td><td class="detail">${escapeHtml(r.detail)}</td></tr>`;
    })
    .join('\n');
  // JSON inside <script>: "<" escaped so no text can close the element.
  // A 2-D sweep embeds only its failing rows (the canvas carries every verdict).
  const embedded = m.twoFields ? m.failing.map((f) => ({ ...rowData(f.row), label: f.label })) : rows.map(rowData);
  const json = JSON.stringify(embedded).replace(/</g, '\\u003c');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(m.title)}</title><style>${css}</style></head>
<body>
<h1>${escapeHtml(m.title)}</h1>
<table class="facts">${m.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<h2>Result</h2>
<p id="headline"><strong>${escapeHtml(m.headline)}</strong></p><p>${chips}</p>
<h2>Matrix</h2>
${matrix}
<p>${VERDICTS.map((v) => `<span class="chip v-${v}">${v}</span>`).join('')}</p>
<div id="row" aria-live="polite">Click a cell to see its row.</div>
${m.baselineLines.length > 0 ? `<h2>Baseline</h2><ul>${m.baselineLines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : ''}
${m.failing.length > 0 ? `<h2>Failing values</h2><p>sent above seen; the bytes that differ are <mark>marked</mark>.${m.failingTotal > m.failing.length ? ` The first ${m.failing.length} of ${m.failingTotal}; all are in results.csv.` : ''}</p><div class="scroll"><table class="failures" id="failing"><tr><th>value</th><th>verdict</th><th>repeat</th><th>sent / seen</th><th>data</th><th>detail</th></tr>\n${failing}\n</table></div>` : ''}
${m.dialogue ? `<h2>Dialogue of one failing probe (value ${escapeHtml(m.dialogue.label)})</h2><p>As <code>ftpsweep probe</code> prints it: <code>&gt;</code> sent, <code>&lt;</code> received, <code>*</code> events.</p><pre id="dialogue">${escapeHtml(m.dialogue.text)}</pre>` : ''}
<h2>What this means</h2>
${m.meanings.map(([v, text]) => `<p><span class="chip v-${v}">${v}</span> ${escapeHtml(text)}</p>`).join('\n')}
<script type="application/json" id="rows">${json}</script>
<script>${SCRIPT}${m.twoFields ? PLANE_SCRIPT : ''}</script>
</body></html>
`;
}
