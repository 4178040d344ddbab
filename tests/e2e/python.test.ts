// Python in a real VS Code (code-server + headless chromium): a Keras file and a Jupyter notebook
// show TSAE findings in Problems, and hovering the `relu` of the bottleneck shows the rule and
// the compression ratio, in the .py editor and in a notebook cell. Screenshots go to
// test-results/screenshots/python-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { makeWorkspace, repoRoot } from './harness';
import { startSession, type UiSession } from './session';
import { quickOpen, runCommand, STEP_MS as UI_STEP_MS } from './uiSteps';

const FIXTURES = join(repoRoot(), 'tests', 'fixtures', 'python');
const PY_FILE = 'report2_keras_relu_bottleneck.py';
const NOTEBOOK = 'notebook_keras_relu.ipynb';

describe('Python and notebooks in VS Code (code-server + chromium)', { timeout: 300_000 }, () => {
  let session: UiSession;
  let workspace: ReturnType<typeof makeWorkspace>;
  let page: Page;
  let step: UiSession['step'];
  let shot: UiSession['shot'];

  /** Hovers the centre of `token` and waits for a hover that mentions every one of `texts`. */
  async function hoverShows(token: Locator, texts: string[]): Promise<void> {
    let hover = page.locator('.monaco-hover:not(.hidden)');
    for (const text of texts) hover = hover.filter({ hasText: text });
    // A notebook re-renders its cells while it settles: a token may detach; move to it again.
    for (let attempt = 1; ; attempt++) {
      try {
        await token.waitFor({ timeout: UI_STEP_MS });
        const box = await token.boundingBox();
        assert.ok(box, 'the token has no bounding box');
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await hover.first().waitFor({ timeout: attempt < 3 ? 10_000 : UI_STEP_MS });
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        await page.mouse.move(5, 5);
      }
    }
  }

  /** Shows the Problems panel (the shortcut toggles it, so only when it is hidden). */
  async function showProblems(): Promise<void> {
    if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  }

  before(async () => {
    workspace = makeWorkspace();
    mkdirSync(join(workspace.dir, 'python'));
    for (const file of [PY_FILE, NOTEBOOK]) cpSync(join(FIXTURES, file), join(workspace.dir, 'python', file));
    session = await startSession({ workspace: workspace.dir, screenshotPrefix: 'python-', workbench: { explorerRow: 'python', timeoutMs: 60_000 } });
    ({ page, step, shot } = session);
  });

  after(async () => {
    await session?.close();
    workspace?.dispose();
  });

  test('a Keras .py file: TSAE101 in Problems, hover on relu with the compression ratio', async () => {
    await step('py', async () => {
      await quickOpen(page, PY_FILE);
      await showProblems();
      const rows = page.locator('.markers-panel .monaco-list-row');
      for (const code of ['TSAE101', 'TSAE103', 'TSAE106']) await rows.filter({ hasText: code }).first().waitFor({ timeout: 60_000 });
      await rows.filter({ hasText: 'TSAE101' }).first().click();
      // The bottleneck line: `layers.LSTM(code_dim, activation='relu', ...)`.
      const line = page.locator('.monaco-editor .view-line', { hasText: 'LSTM(code_dim' }).first();
      await hoverShows(line.locator('span span', { hasText: /relu/ }).first(), ['TSAE101', '270 values per window : 3 latent units']);
      await shot('file-hover');
      await page.mouse.move(5, 5);
    });
  });

  test('Open as TSAE Config writes and opens the config read from the .py file', async () => {
    await step('open-as-config', async () => {
      await quickOpen(page, PY_FILE);
      await runCommand(page, 'Open as TSAE Config');
      const tab = PY_FILE.replace('.py', '.tsae.yaml');
      await page.locator('.tab.active', { hasText: tab }).waitFor({ timeout: UI_STEP_MS });
      const written = readFileSync(join(workspace.dir, 'python', tab), 'utf8');
      assert.match(written, /activation: relu {2}# report2_keras_relu_bottleneck\.py:21/);
      // The config linter sees the same bottleneck: TSAE101 on the written config too.
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.filter({ hasText: tab }).first().waitFor({ timeout: 60_000 });
      await shot('open-as-config');
    });
  });

  test('a notebook cell: TSAE101 in Problems and the hover in the cell', async () => {
    await step('notebook', async () => {
      await quickOpen(page, NOTEBOOK);
      const notebook = page.locator('.notebookOverlay').first();
      await notebook.waitFor({ timeout: UI_STEP_MS });
      await showProblems();
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.filter({ hasText: 'TSAE101' }).first().waitFor({ timeout: 60_000 });
      const line = notebook.locator('.view-line', { hasText: 'layers.Dense(6' }).first();
      await hoverShows(line.locator('span span', { hasText: /relu/ }).first(), ['TSAE101', '6 latent units']);
      await shot('notebook-hover');
    });
  });
});
