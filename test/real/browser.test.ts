/// <reference lib="dom" />
/**
 * report.html in a real browser: Debian's Chromium (scripts/browser.sh), driven by playwright-core,
 * opens reports of real sweeps from disk — the demo, every syntax variant through the simulated
 * firewall, refused values whose bytes arrived unchanged, and a 2-D sweep with one bad value. The
 * screenshots are kept under the test's temp folder as artifacts; their paths are printed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startFirewall } from '../helpers/firewall.js';
import { describeWhen } from '../helpers/requirements.js';
import { runDemo } from '../../src/demo.js';
import type { RunningServer } from '../../src/servers/listen.js';
import { startReflector } from '../../src/servers/reflector.js';

const CHROMIUM = '/usr/bin/chromium';

describeWhen('report.html in Chromium', existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: run scripts/browser.sh as root`, () => {
  let browser: Browser;
  let work: string;
  let reflector: RunningServer;
  let firewall: RunningServer;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-browser-'));
    const demo = await runDemo(path.join(work, 'demo'));
    expect(demo.problems).toEqual([]);
    reflector = await startReflector({ host: '127.0.0.1', port: 0 });
    firewall = await startFirewall(reflector, [227]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // This machine has no network beyond loopback: keep Chromium from trying (see env notes).
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([firewall, reflector].map((s) => s?.close()));
    // The screenshots stay for a person to look at; the report folders go.
    for (const dir of ['demo', 'variants', 'refused', 'plane']) await rm(path.join(work, dir), { recursive: true, force: true });
  });

  async function open(dir: string, width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 1000 } });
    await page.goto(pathToFileURL(path.join(work, dir, 'report.html')).href);
    return page;
  }

  async function screenshot(page: Page, name: string, options: { fullPage?: boolean; selector?: string } = {}): Promise<void> {
    const shot = path.join(work, `${name}.png`);
    if (options.selector) await page.locator(options.selector).screenshot({ path: shot });
    else await page.screenshot({ path: shot, fullPage: options.fullPage ?? true });
    expect((await stat(shot)).size).toBeGreaterThan(5_000);
    console.log(`[ftpsweep tests] report.html screenshot kept at ${shot}`);
  }

  /** Marks that hold no text yet take room (a yellow sliver), and how many marks there are. */
  const marks = (page: Page): Promise<{ readonly all: number; readonly emptyWide: number }> =>
    page.evaluate(() => {
      const all = [...document.querySelectorAll('mark')];
      return { all: all.length, emptyWide: all.filter((m) => m.textContent === '' && m.getBoundingClientRect().width > 0).length };
    });

  it('renders 256 cells, marks 227 as failing, shows its row on click, and makes a screenshot', async () => {
    const page = await open('demo', 1100);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.reload();

    await expect(page.locator('.grid td[data-value]').count()).resolves.toBe(256);
    const cell = page.locator('.grid td[data-value="227"]');
    await expect(cell.getAttribute('data-verdict')).resolves.toBe('corrupted');
    await expect(cell.getAttribute('class')).resolves.toMatch(/\bfailing\b/);
    await expect(page.locator('.grid td.failing').count()).resolves.toBe(1);
    // The cell is visibly coloured as a failure, not as a pass.
    const colours = await page.evaluate(() => {
      const bg = (v: string) => getComputedStyle(document.querySelector(`.grid td[data-value="${v}"]`)!).backgroundColor;
      return { bad: bg('227'), good: bg('226') };
    });
    expect(colours.bad).not.toBe(colours.good);

    await cell.click();
    const panel = await page.locator('#row').innerText();
    expect(panel).toMatch(/verdict\s+corrupted/);
    expect(panel).toMatch(/seen\s+PORT 127,0,0,1,\d+,22_/);
    await expect(page.locator('#failing mark').count()).resolves.toBe(2);
    await expect(page.locator('#dialogue').innerText()).resolves.toMatch(/> PORT 127,0,0,1,\d+,227/);
    // "What this means" speaks of the example firewall, and places nothing "below" it.
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/seed|dialogue below/i);

    // Self-contained: the page asked for nothing but itself.
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    await screenshot(page, 'demo');
  });

  it('--variant all: the page fits 1280 px, long commands wrap in their cell, and the value list names 227 once', async () => {
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(firewall.port), '--variant', 'all', '--values', '224-230', '--confirm', '0', '--out', path.join(work, 'variants')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const page = await open('variants', 1280);
    const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(width.scroll).toBeLessThanOrEqual(width.viewport);
    await expect(page.locator('#failing tr td:first-child', { hasText: 'pad-256' }).count()).resolves.toBe(1);
    const facts = await page.locator('.facts').innerText();
    expect(facts).toMatch(/rewritten in transit \(value 227, \d+ probes\)/);
    expect(facts).not.toMatch(/227, 227/);
    expect(await marks(page)).toMatchObject({ emptyWide: 0 });
    await screenshot(page, 'variants');
  });

  it('a refused value whose bytes arrived unchanged gets no mark: no empty yellow sliver', async () => {
    // The reflector refuses PORT to ports below 1024 (RFC 2577), and echoes the command unchanged.
    const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--field', 'p1', '--values', '3,4', '--confirm', '0', '--out', path.join(work, 'refused')]);
    expect(run.code).toBe(1);
    const page = await open('refused', 1280);
    const row = page.locator('#failing tr', { hasText: 'rejected' });
    await expect(row.count()).resolves.toBe(1);
    const [sent, seen] = await row.locator('td.sent code').allInnerTexts();
    expect(sent).toMatch(/^PORT 127,0,0,1,3,\d+$/);
    expect(seen).toBe(sent);
    expect(await marks(page)).toEqual({ all: 1, emptyWide: 0 }); // the one in the legend line
  });

  it('2-D: axis labels, one bad value among 256 visible as an outlined cell, and empty fields keep their line', async () => {
    // One port held here: the sweep cannot listen on it, so that one value is a local `error`.
    let held: net.Server | undefined;
    let port = 0;
    for (let p1 = 96; p1 <= 103 && !held; p1++) {
      for (let p2 = 48; p2 <= 55 && !held; p2++) {
        const server = net.createServer();
        const ok = await new Promise<boolean>((resolve) => {
          server.once('error', () => resolve(false));
          server.listen(p1 * 256 + p2, '127.0.0.1', () => resolve(true));
        });
        if (ok) [held, port] = [server, p1 * 256 + p2];
      }
    }
    expect(held, 'no port of 96..103 × 48..55 was free to hold').toBeDefined();
    try {
      const run = await runCli(['sweep', '--host', '127.0.0.1', '--port', String(reflector.port), '--field', 'p1,p2', '--values', '48-55,96-103', '--confirm', '0', '--out', path.join(work, 'plane')]);
      expect(run.code).toBe(1);
    } finally {
      await new Promise((resolve) => held!.close(resolve));
    }
    const [row, column] = [port >> 8, port & 255];
    const page = await open('plane', 1280);
    await expect(page.locator('.plane .y-title').innerText()).resolves.toBe('p1 ↓');
    await expect(page.locator('.plane .x-title').innerText()).resolves.toBe('p2 →');
    await expect(page.locator('.plane .x-ticks .label').allInnerTexts()).resolves.toEqual(['0', '32', '64', '96', '128', '160', '192', '224']);
    await expect(page.locator('.plane .y-ticks .label').allInnerTexts()).resolves.toEqual(['0', '32', '64', '96', '128', '160', '192', '224']);
    await expect(page.locator('#plane-summary').innerText()).resolves.toMatch(new RegExp(`in \\d+ rows? \\(p1 [\\d,-]*\\b${row}\\b`));

    // Pixels: the cell has the error colour, a black ring surrounds it, a passing cell has none.
    const pixels = await page.evaluate(
      ([x, y]) => {
        const canvas = document.getElementById('plane') as HTMLCanvasElement;
        const g = canvas.getContext('2d')!;
        const s = Number(canvas.dataset.cell);
        const at = (px: number, py: number): number[] => [...g.getImageData(px, py, 1, 1).data.slice(0, 3)];
        return { cell: s, inside: at(x! * s + 1, y! * s + 1), ringLeft: at(x! * s - 2, y! * s + 1), ringTop: at(x! * s + 1, y! * s - 2), passRing: at(100 * s - 2, 100 * s + 1), passInside: at(100 * s + 1, 100 * s + 1) };
      },
      [column, row],
    );
    expect(pixels.cell).toBeGreaterThanOrEqual(3);
    expect(pixels.inside).toEqual([158, 158, 158]); // #9e9e9e, error
    expect(pixels.ringLeft).toEqual([0, 0, 0]);
    expect(pixels.ringTop).toEqual([0, 0, 0]);
    expect(pixels.passInside).toEqual([205, 236, 205]); // #cdeccd, pass
    expect(pixels.passRing).toEqual([205, 236, 205]);

    // Click the bad cell: its row, with the empty fields (nothing was sent) on lines of their own.
    await page.locator('#plane').click({ position: { x: column * pixels.cell + 1, y: row * pixels.cell + 1 } });
    await expect(page.locator('#row').innerText()).resolves.toMatch(/verdict\s+error/);
    const fields = await page.evaluate(() =>
      [...document.querySelectorAll('#row dd')].map((dd) => ({ name: dd.previousElementSibling!.textContent, text: dd.textContent, height: dd.getBoundingClientRect().height, top: dd.getBoundingClientRect().top })),
    );
    const empty = fields.filter((f) => f.text === '—');
    expect(empty.map((f) => f.name)).toEqual(expect.arrayContaining(['sent', 'seen']));
    for (const f of fields) expect(f.height, `${f.name} has no height`).toBeGreaterThan(10);
    for (let i = 1; i < fields.length; i++) expect(fields[i]!.top, `${fields[i]!.name} is not below ${fields[i - 1]!.name}`).toBeGreaterThan(fields[i - 1]!.top);
    await screenshot(page, 'plane-row', { selector: '#row' });
    await screenshot(page, 'plane', { selector: '.plane-wrap' });
  });
});
