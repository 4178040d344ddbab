// A new user in a real VS Code (code-server, headless chromium, dark theme), starting from a
// folder that holds nothing but a bundled CSV: "New Config from Data File..." from the explorer's
// context menu, train it from the offer, train two variants, compare the three runs from the side
// panel; and, in a config typed from scratch, completion that opens while typing (no Ctrl+Space)
// and nested keys whose children are indented once. Screenshots go to test-results/screenshots/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './harness';
import { startSession, type UiSession } from './session';
import { runsOnDisk } from './runs';
import { frameReady, poll, runCommand, STEP_MS, TRAIN_MS, webviewFrame } from './uiSteps';

// The page globals the functions passed to frame.evaluate() use (the tests compile without the DOM library).
declare const document: { querySelectorAll(selector: string): { length: number } };

const DATA = 'art_daily_small_noise.csv';
const CONFIG = 'art_daily_small_noise.tsae.yaml';

describe('new user: from a CSV to compared runs, and completion while typing (code-server + chromium)', { timeout: 600_000 }, () => {
  let session: UiSession;
  let parent: string;
  let folder: string;
  let page: Page;
  let step: UiSession['step'];
  let shot: UiSession['shot'];

  /** Rewrites one `key: value` line of the config on disk (what a user does between runs). */
  function setConfigValue(key: string, value: number): void {
    const file = join(folder, CONFIG);
    const text = readFileSync(file, 'utf8');
    const pattern = new RegExp(`^(\\s*${key}:) .*$`, 'm');
    assert.match(text, pattern, `${CONFIG} has no ${key}`);
    writeFileSync(file, text.replace(pattern, `$1 ${value}`));
  }

  /** Waits until `count` runs are on disk and all have ended. */
  function waitForRuns(count: number) {
    return poll(
      async () => {
        const runs = runsOnDisk(folder);
        return runs.length >= count && runs.every((r) => r.summary && r.summary.status !== 'running') ? runs : undefined;
      },
      `${count} finished runs`,
      TRAIN_MS,
    );
  }

  before(async () => {
    // An "empty" project: one data file, no config, no .tsae folder.
    parent = mkdtempSync(join(tmpdir(), 'tsae-e2e-newuser-'));
    folder = join(parent, 'project');
    mkdirSync(join(folder, 'data'), { recursive: true });
    copyFileSync(join(repoRoot(), 'examples', 'data', DATA), join(folder, 'data', DATA));
    session = await startSession({ workspace: folder, workbench: { explorerRow: 'data', timeoutMs: 90_000, darkTheme: true } });
    ({ page, step, shot } = session);
  });

  after(async () => {
    await session?.close();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  test('New Config from Data File, train it, train two variants, compare the three runs', async () => {
    await step('new-config', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'data' }).first().click();
      const csv = page.locator('.explorer-folders-view .monaco-list-row', { hasText: DATA }).first();
      await csv.waitFor({ timeout: STEP_MS });
      await csv.click({ button: 'right' });
      const item = page.locator('.context-view .monaco-menu .action-item', { hasText: 'New Config from Data File' }).first();
      await item.waitFor({ timeout: STEP_MS });
      await shot('newuser-1-context-menu');
      await item.click();
      await page.locator('.tab.active', { hasText: CONFIG }).waitFor({ timeout: STEP_MS });
      const offer = page.locator('.notifications-toasts .notification-toast', { hasText: 'Train it now?' }).first();
      await offer.waitFor({ timeout: STEP_MS });
      await shot('newuser-2-new-config-and-offer');
      const text = readFileSync(join(folder, CONFIG), 'utf8');
      assert.match(text, /^ {2}path: data\/art_daily_small_noise\.csv$/m);
      assert.match(text, /repeat every 288 steps/);
      // Short runs for the test; everything else stays as the command wrote it.
      setConfigValue('epochs', 3);
      await poll(async () => ((await page.locator('.view-lines', { hasText: 'epochs: 3' }).count()) > 0 ? true : undefined), 'the editor to show epochs: 3');
      await offer.locator('.monaco-button', { hasText: 'Train Now' }).click();
    });

    await step('first-run', async () => {
      const dashboard = await webviewFrame(page, '#hdr', TRAIN_MS);
      await poll(() => frameReady(dashboard), 'the dashboard to draw', TRAIN_MS);
      const [run] = await waitForRuns(1);
      assert.equal(run.summary?.status, 'completed', `first run ${run.summary?.status}: ${run.summary?.reason ?? ''}`);
      await shot('newuser-3-first-run-dashboard');
    });

    await step('variants', async () => {
      for (const [size, runs] of [
        [4, 2],
        [16, 3],
      ] as const) {
        setConfigValue('size', size);
        await runCommand(page, 'TSAE: Train Autoencoder');
        const done = await waitForRuns(runs);
        assert.equal(done[runs - 1].summary?.status, 'completed');
      }
    });

    await step('compare', async () => {
      await page.locator('.activitybar .action-item a[aria-label^="TSAE"]').first().click({ timeout: STEP_MS });
      const panel = await webviewFrame(page, '#runs-list');
      await poll(async () => ((await panel.locator('li.run-row').count()) >= 3 ? true : undefined), 'three rows in the runs panel');
      // The two later runs show what changed since the run before them.
      await poll(async () => ((await panel.locator('li.run-row .run-diff', { hasText: 'model.latent.size' }).count()) >= 2 ? true : undefined), 'config diffs on the later runs');
      for (let i = 1; i <= 3; i++) await panel.locator(`li.run-row:nth-child(${i}) .compare-pick`).check();
      await shot('newuser-4-runs-panel');
      await panel.locator('#compare-runs').click();
      const compare = await webviewFrame(page, '#compare-table', STEP_MS);
      await poll(() => frameReady(compare), 'the comparison to draw');
      assert.equal(await compare.evaluate(() => document.querySelectorAll('#compare-table th.run-col').length), 3);
      assert.ok((await compare.locator('#compare-table tr[data-key="model.latent.size"]').count()) === 1, 'latent size is a differing key');
      await shot('newuser-5-compare-three-runs');
    });
  });

  test('completion opens while typing a config, and nested keys indent their children once', async () => {
    await step('completion', async () => {
      writeFileSync(join(folder, 'typed.tsae.yaml'), 'data:\n  path: data/art_daily_small_noise.csv\n');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: STEP_MS });
      await input.fill('typed.tsae.yaml');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'typed.tsae.yaml' }).first().waitFor({ timeout: STEP_MS });
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'typed.tsae.yaml' }).waitFor({ timeout: STEP_MS });
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      const suggest = page.locator('.editor-widget.suggest-widget.visible');
      // Letters alone open the list (editor.quickSuggestions for tsae-yaml), no Ctrl+Space.
      await page.keyboard.type('mod', { delay: 80 });
      await suggest.locator('.monaco-list-row', { hasText: 'model' }).first().waitFor({ timeout: STEP_MS });
      await shot('newuser-6-completion-while-typing');
      await page.keyboard.press('Enter');
      await page.keyboard.type('lat', { delay: 80 });
      await suggest.locator('.monaco-list-row', { hasText: 'latent' }).first().waitFor({ timeout: STEP_MS });
      await page.keyboard.press('Enter');
      await page.keyboard.type('size: 8', { delay: 50 });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+S');
      const saved = await poll(async () => {
        const text = readFileSync(join(folder, 'typed.tsae.yaml'), 'utf8');
        return text.includes('size: 8') ? text : undefined;
      }, 'the typed config to be saved');
      assert.match(saved, /^model:\n {2}latent:\n {4}size: 8$/m, `children indented once:\n${saved}`);
      // Typing a value position opens its values too: "activation: " lists the activations.
      await page.keyboard.press('Enter');
      await page.keyboard.type('activation: ', { delay: 80 });
      await suggest.locator('.monaco-list-row', { hasText: 'linear' }).first().waitFor({ timeout: STEP_MS });
      await shot('newuser-7-value-completion');
      await page.keyboard.press('Escape');
    });
  });
});
