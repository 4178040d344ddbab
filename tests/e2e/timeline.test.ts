// The anomaly timeline in a real VS Code (code-server) in headless chromium: a run trained with
// the CLI, then "TSAE: Score Data with Run..." from the palette (run and data picked in quick
// picks), the timeline draws the series and the score, a typed threshold moves the line and
// changes the events, dragging the line moves it again, clicking an event opens its window.
// Screenshots go to test-results/screenshots/timeline-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { makeWorkspace, repoRoot } from './harness';
import { startSession, type UiSession } from './session';
import { STEP_MS, paintedPixels, poll, runCommand, webviewFrame, type PageDocument } from './uiSteps';

// Page globals of the functions passed to frame.evaluate() (they run in the webview; the tests compile without the DOM library).
declare const document: PageDocument;

const SCORE_MS = 120_000;

describe('anomaly timeline (code-server + chromium)', { timeout: 420_000 }, () => {
  let session: UiSession;
  let workspace: ReturnType<typeof makeWorkspace>;
  let page: Page;
  let timeline: Frame;
  let step: UiSession['step'];
  let shot: UiSession['shot'];

  const dataOf = (id: string, key: string) => timeline.evaluate(([i, k]) => document.getElementById(i)?.dataset[k] ?? '', [id, key] as const);

  before(async () => {
    workspace = makeWorkspace();
    // The run exists before the editor opens: this suite is about scoring, not training.
    const trained = spawnSync(process.execPath, [join(repoRoot(), 'dist', 'cli.js'), 'train', 'tiny.tsae.yaml', '--out', join(workspace.dir, '.tsae', 'runs')], {
      cwd: workspace.dir,
      encoding: 'utf8',
    });
    assert.equal(trained.status, 0, trained.stderr);
    session = await startSession({ workspace: workspace.dir, screenshotPrefix: 'timeline-', workbench: { explorerRow: 'tiny.tsae.yaml', timeoutMs: 60_000, darkTheme: true } });
    ({ page, step, shot } = session);
  });

  after(async () => {
    await session?.close();
    workspace?.dispose();
  });

  test("Score Data with Run... scores the run's data and the timeline draws series, score and events", async () => {
    await step('score', async () => {
      await runCommand(page, 'TSAE: Score Data with Run...');
      // First quick pick: the run (the only one); second: the run's own data.
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.filter({ hasText: 'e2e-tiny' }).first().waitFor({ timeout: STEP_MS });
      await page.keyboard.press('Enter');
      await rows.filter({ hasText: "The run's own data" }).first().waitFor({ timeout: STEP_MS });
      await page.keyboard.press('Enter');
      timeline = await webviewFrame(page, '#events-list', SCORE_MS);
      await poll(async () => ((await timeline.evaluate(() => document.body.dataset.ready)) === 'true' ? true : undefined), 'timeline ready', SCORE_MS);
      const series = await poll(async () => {
        const n = await paintedPixels(timeline, 'series-chart');
        return n > 1000 ? n : undefined;
      }, 'the series chart to draw');
      const score = await paintedPixels(timeline, 'score-chart');
      assert.ok(score > 1000, `#score-chart has only ${score} painted pixels`);
      assert.ok(Number(await dataOf('score-container', 'points')) > 10, 'the score chart holds too few points');
      // Timestamps, not row offsets, on the x axis: the first event (if any) and the caption say so.
      await shot('scored');
      console.log(`painted pixels: series ${series}, score ${score}`);
    });
  });

  test('a typed threshold moves the line and updates the events; dragging the line moves it again', async () => {
    await step('threshold', async () => {
      const before = Number(await dataOf('score-container', 'threshold'));
      await timeline.locator('#threshold-kind').selectOption('quantile');
      await timeline.locator('#threshold-input').fill('0.5');
      await timeline.locator('#threshold-apply').click();
      const typed = await poll(async () => {
        const t = Number(await dataOf('score-container', 'threshold'));
        return t !== before ? t : undefined;
      }, 'the threshold to change');
      assert.ok(typed < before, `the 0.5 quantile ${typed} should be below the default threshold (median + 8 MAD of the scores) ${before}`);
      const eventsAfter = Number(await poll(async () => (await dataOf('events-list', 'count')) || undefined, 'the events list'));
      assert.ok(eventsAfter >= 1, 'a threshold at the median error flags events');
      await timeline.locator('#events-list li.event-row').first().waitFor({ timeout: STEP_MS });
      const first = await timeline.locator('#events-list li.event-row').first().textContent();
      assert.match(first ?? '', /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d → /, `events are named by timestamps: ${first}`);
      await shot('threshold-typed');

      // Drag: the line is at the threshold's pixel row; grab it and move it up 40 px.
      const box = await timeline.locator('#score-chart').boundingBox();
      assert.ok(box, 'no bounding box for #score-chart');
      const lineY = await timeline.evaluate(() => {
        const c = document.getElementById('score-container');
        return Number(c?.dataset.lineY ?? 'NaN');
      });
      assert.ok(Number.isFinite(lineY), 'the score chart does not expose the threshold line position');
      const x = box.x + box.width / 2;
      await page.mouse.move(x, box.y + lineY);
      await page.mouse.down();
      await page.mouse.move(x, box.y + lineY - 20, { steps: 4 });
      await page.mouse.move(x, box.y + lineY - 40, { steps: 4 });
      await page.mouse.up();
      // The extension answers with the new events and the rule, now a fixed value.
      await poll(async () => ((await timeline.locator('#threshold-kind').inputValue()) === 'fixed' ? true : undefined), 'the dragged threshold to be applied as a fixed value');
      const dragged = Number(await dataOf('score-container', 'threshold'));
      assert.ok(dragged > typed, `dragging up should raise the threshold above ${typed}, got ${dragged}`);
      await shot('threshold-dragged');
      console.log(`threshold: default (median + 8 MAD) ${before}, typed 0.5 quantile ${typed}, dragged ${dragged}`);
    });
  });

  test('clicking an event opens its window (input vs reconstruction)', async () => {
    await step('window', async () => {
      await timeline.locator('#threshold-input').fill('0.5');
      await timeline.locator('#threshold-kind').selectOption('quantile');
      await timeline.locator('#threshold-apply').click();
      await timeline.locator('#events-list li.event-row').first().click();
      const opened = await poll(async () => (await dataOf('window-container', 'window')) || undefined, 'the window to be reconstructed', SCORE_MS);
      const pixels = await paintedPixels(timeline, 'window-chart');
      assert.ok(pixels > 1000, `#window-chart has only ${pixels} painted pixels`);
      const caption = await timeline.locator('#window-caption').textContent();
      assert.match(caption ?? '', new RegExp(`^Window ${opened} from \\d{4}-\\d\\d-\\d\\d`));
      await shot('window');
    });
  });
});
