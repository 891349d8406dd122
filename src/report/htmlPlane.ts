/**
 * report.html's picture of a 2-D sweep: a 256 × 256 canvas, row = the first field's value (p1 down),
 * column = the second's (p2 across), with axis titles and ticks as HTML around it. Each value is a
 * CELL × CELL square, and every failing value also gets a dark outline drawn after all the fills,
 * so a single bad value among 65,536 is seen at a glance, not hunted for.
 */
import { VERDICTS, isFailure } from '../model/judgement.js';
import type { ResultRow } from '../model/valueResult.js';
import { escapeHtml } from './safeText.js';

/** Pixels per value: 3 × 256 = 768, which leaves room for the axes within a 1100 px page. */
export const CELL = 3;
/** A labelled tick every 32 values, an unlabelled one every 16. */
const LABEL_EVERY = 32;
const TICK_EVERY = 16;
const SIDE = 256 * CELL;

export const PLANE_STYLE = `
.plane-wrap{overflow-x:auto;max-width:100%}
.plane{display:grid;grid-template-columns:36px ${SIDE}px;grid-template-rows:18px 22px ${SIDE}px;width:max-content;font:11px monospace;color:#444;margin:8px 0}
.plane .x-title{grid-column:2;grid-row:1;font:bold 12px system-ui,sans-serif}
.plane .y-title{grid-column:1;grid-row:1/3;align-self:end;font:bold 12px system-ui,sans-serif;padding-bottom:2px}
.plane .x-ticks,.plane .y-ticks{position:relative}
.plane .x-ticks{grid-column:2;grid-row:2}.plane .y-ticks{grid-column:1;grid-row:3}
.plane .tick{position:absolute;background:#888}
.plane .x-ticks .tick{bottom:0;width:1px;height:5px}.plane .y-ticks .tick{right:0;height:1px;width:5px}
.plane .x-ticks .tick.major{height:9px}.plane .y-ticks .tick.major{width:9px}
.plane .x-ticks .label{position:absolute;bottom:10px;transform:translateX(-50%)}
.plane .y-ticks .label{position:absolute;right:11px;transform:translateY(-50%)}
#plane{grid-column:2;grid-row:3;image-rendering:pixelated;outline:1px solid #ccc;cursor:crosshair;background:#fff}
#plane-summary li{margin:2px 0}
`;

/** Tick marks every TICK_EVERY values, at the middle of the value's cell; numbers every LABEL_EVERY. */
function ticks(axis: 'x' | 'y'): string {
  const spans: string[] = [];
  const side = axis === 'x' ? 'left' : 'top';
  for (let v = 0; v < 256; v += TICK_EVERY) {
    const at = `${side}:${v * CELL + (CELL >> 1)}px`;
    const major = v % LABEL_EVERY === 0;
    spans.push(`<span class="tick${major ? ' major' : ''}" style="${at}"></span>`);
    if (major) spans.push(`<span class="label" style="${at}">${v}</span>`);
  }
  return `<div class="${axis}-ticks">${spans.join('')}</div>`;
}

/** One letter per value 0..65535 (a = the first verdict, …), `-` where nothing was probed. */
function planeCodes(rows: readonly ResultRow[]): string {
  const codes = new Array<string>(65536).fill('-');
  for (const r of rows) if (r.variant === 'plain') codes[r.value] = String.fromCharCode(97 + VERDICTS.indexOf(r.verdict));
  return codes.join('');
}

/** The plane in words (planeSummary.ts), then the canvas with its axes. */
export function planeHtml(rows: readonly ResultRow[], fields: readonly string[], lines: readonly string[], colours: readonly string[]): string {
  const [row, column] = fields as [string, string];
  const failing = VERDICTS.map((v) => isFailure(v));
  return `<ul id="plane-summary">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<p>Two fields swept: row = ${escapeHtml(row)} (0 at the top), column = ${escapeHtml(column)} (0 at the left); ${CELL} px per value, failing values outlined in black, grey where nothing was probed. Click a point for its row.</p>
<div class="plane-wrap"><div class="plane">
<div class="y-title">${escapeHtml(row)} ↓</div><div class="x-title">${escapeHtml(column)} →</div>${ticks('x')}${ticks('y')}
<canvas id="plane" width="${SIDE}" height="${SIDE}" aria-label="${escapeHtml(`${row} down, ${column} across`)}" data-cell="${CELL}" data-codes="${planeCodes(rows)}" data-colours="${escapeHtml(JSON.stringify(colours))}" data-failing="${escapeHtml(JSON.stringify(failing))}" data-verdicts="${escapeHtml(JSON.stringify(VERDICTS))}" data-fields="${escapeHtml(JSON.stringify([row, column]))}"></canvas>
</div></div>`;
}

/**
 * Draws the canvas: fills first, then outlines round the failing values (a 2 px black ring, one
 * pixel of the neighbours' colour between it and the cell), so no neighbour's fill covers an outline. Uses `rows` and `showRow` of the
 * page's main script.
 */
export const PLANE_SCRIPT = `
const canvas=document.getElementById('plane');
if(canvas){
  const codes=canvas.dataset.codes,colours=JSON.parse(canvas.dataset.colours),failing=JSON.parse(canvas.dataset.failing),names=JSON.parse(canvas.dataset.verdicts),fields=JSON.parse(canvas.dataset.fields),s=Number(canvas.dataset.cell);
  const g=canvas.getContext('2d');
  g.fillStyle='#f0f0f0';g.fillRect(0,0,canvas.width,canvas.height);
  const bad=[];
  for(let i=0;i<codes.length;i++){const c=codes.charCodeAt(i)-97;if(c<0||c>=colours.length)continue;g.fillStyle=colours[c];g.fillRect((i&255)*s,(i>>8)*s,s,s);if(failing[c])bad.push(i);}
  g.strokeStyle='#000';g.lineWidth=2;
  for(const i of bad)g.strokeRect((i&255)*s-2,(i>>8)*s-2,s+4,s+4);
  canvas.addEventListener('click',e=>{
    const b=canvas.getBoundingClientRect();const x=Math.floor((e.clientX-b.left)*canvas.width/b.width/s),y=Math.floor((e.clientY-b.top)*canvas.height/b.height/s);
    if(x<0||x>255||y<0||y>255)return;
    const v=y*256+x;const r=rows.get('plain '+v);const c=codes.charCodeAt(v)-97;
    showRow(r??{label:fields[0]+' '+y+', '+fields[1]+' '+x,verdict:names[c]??'not probed'});
  });
}
`;
