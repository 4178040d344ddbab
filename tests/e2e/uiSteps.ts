// What the browser suites do again and again in the workbench: poll page state, find a webview
// frame by what it contains, run a palette command, quick-open a file, count painted pixels.

import type { Frame, Page } from 'playwright-core';
import { deadline } from './harness';

// The tests compile without the DOM library; these are the page globals the functions passed to
// frame.evaluate() use (they run in the webview, not here).
export interface PageCanvas {
  textContent: string | null;
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
  scrollIntoView(): void;
  dataset: Record<string, string | undefined>;
}
export interface PageDocument {
  getElementById(id: string): PageCanvas | null;
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): { length: number };
  body: { dataset: Record<string, string | undefined> };
}
declare const document: PageDocument;

export const STEP_MS = 30_000;
export const TRAIN_MS = 120_000;

/** Non-transparent pixels of a canvas inside a webview frame (0 when it is missing or blank). */
export function paintedPixels(frame: Frame, canvasId: string): Promise<number> {
  return frame.evaluate((id) => {
    const canvas = document.getElementById(id);
    if (!canvas || typeof canvas.getContext !== 'function' || canvas.width === 0 || canvas.height === 0) return 0;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; data && i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  }, canvasId);
}

/** Polls `probe` every 250 ms until it returns a value; page state has no event to wait on here. */
export async function poll<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = STEP_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error; // frames come and go while webviews load
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

/** The webview frame whose document contains `selector` (the dashboard has #hdr, the side panel #runs-list). */
export function webviewFrame(page: Page, selector: string, timeoutMs = STEP_MS): Promise<Frame> {
  return poll(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        if (await frame.evaluate((s) => document.querySelector(s) !== null, selector).catch(() => false)) return frame;
      }
      return undefined;
    },
    `a webview containing ${selector}`,
    timeoutMs,
  );
}

/** True once the webview page says it has drawn (document.body.dataset.ready). */
export async function frameReady(frame: Frame): Promise<true | undefined> {
  return (await frame.evaluate(() => document.body.dataset.ready)) === 'true' ? true : undefined;
}

export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: STEP_MS });
  await page.keyboard.press('Enter');
}

/**
 * Runs a command that shows a quick pick and picks the row holding `rowText`. On a loaded 2-core
 * machine the pick was once seen to close again before its rows were visible (CI, 2026-12-07:
 * the row stayed in the DOM, hidden, for 30 s; the cause was not found: a runs-list refresh did
 * not reproduce it). The command is then run again, at most `attempts` times, and each retry is
 * logged so that the flake stays visible.
 */
export async function pickFromCommand(page: Page, command: string, rowText: string, attempts = 3): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, command);
    try {
      await row.waitFor({ timeout: attempt < attempts ? STEP_MS / 3 : STEP_MS });
      await row.click();
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.log(`"${command}": the quick pick closed before "${rowText}" showed (attempt ${attempt}); running the command again`);
      await page.keyboard.press('Escape');
    }
  }
}

export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: STEP_MS });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: STEP_MS });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor({ timeout: STEP_MS });
}

export interface WorkbenchReady {
  /** An explorer row that shows the workspace folder has been read. */
  explorerRow: string;
  timeoutMs: number;
  /** Also wait for the dark theme from settings.json, which applies once the built-in theme extensions are scanned (seconds later). */
  darkTheme?: boolean;
}

/** Opens the workbench at `url` and waits until it has loaded, all within one deadline. */
export async function openWorkbench(page: Page, url: string, ready: WorkbenchReady): Promise<void> {
  const limit = deadline(ready.timeoutMs, 'the workbench did not load');
  try {
    await Promise.race([
      (async () => {
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: ready.timeoutMs });
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: ready.explorerRow }).waitFor({ timeout: ready.timeoutMs });
        if (ready.darkTheme) await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: ready.timeoutMs });
      })(),
      limit.promise,
    ]);
  } finally {
    limit.cancel();
  }
}
