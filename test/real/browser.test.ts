/// <reference lib="dom" />
/**
 * report.html in a real browser: Debian's Chromium (scripts/browser.sh), driven by playwright-core,
 * opens the report of a demo sweep from disk. The screenshot is kept under the test's temp folder
 * as an artifact; its path is printed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWhen } from '../helpers/requirements.js';
import { runDemo } from '../../src/demo.js';

const CHROMIUM = '/usr/bin/chromium';

describeWhen('report.html in Chromium', existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: run scripts/browser.sh as root`, () => {
  let browser: Browser;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ftpsweep-browser-'));
    const demo = await runDemo(path.join(work, 'demo'));
    expect(demo.problems).toEqual([]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // This machine has no network beyond loopback: keep Chromium from trying (see env notes).
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders 256 cells, marks 227 as failing, shows its row on click, and makes a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(path.join(work, 'demo', 'report.html')).href);

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

    // Self-contained: the page asked for nothing but itself.
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);

    const shot = path.join(work, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    console.log(`[ftpsweep tests] report.html screenshot kept at ${shot}`);
  });
});
