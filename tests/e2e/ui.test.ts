// What a user does, in a real VS Code (code-server) in headless chromium, dark theme: open a
// pitfall config and read Problems and a hover, train from the command palette and watch the
// dashboard draw, open the side panel, cancel a long run. Screenshots go to
// test-results/screenshots/; on failure the page is captured and the server log printed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeWorkspace, repoRoot } from './harness';
import { startSession, type UiSession } from './session';
import { runsOnDisk } from './runs';
import type { ReconstructionsFile, WindowReconstruction } from '../../src/core/run/types';
import { sameWindow, sortWindows, worstReconstruction } from '../../src/core/run/windows';
import { paintedPixels, pickFromCommand, poll, quickOpen, runCommand, STEP_MS, TRAIN_MS, webviewFrame } from './uiSteps';

// The tests compile without the DOM library; these are the page globals the functions passed to
// frame.evaluate() use (they run in the webview, not here).
interface PageCanvas {
  textContent: string | null;
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
  scrollIntoView(): void;
  dataset: Record<string, string | undefined>;
}
declare const document: {
  getElementById(id: string): PageCanvas | null;
  querySelector(selector: string): unknown;
  body: { dataset: Record<string, string | undefined> };
};

function expectedCodes(text: string): string[] {
  const line = text.split(/\r?\n/).find((l) => /^\s*#\s*expect\s*:/i.test(l)) ?? '';
  return (line.match(/TSAE1\d\d/g) ?? []).sort();
}

describe('VS Code UI (code-server + chromium, dark theme)', { timeout: 420_000 }, () => {
  let session: UiSession;
  let workspace: ReturnType<typeof makeWorkspace>;
  let page: Page;
  let step: UiSession['step'];
  let shot: UiSession['shot'];
  /** The finished run's worst window as reconstructions.json says (dashboard step), previewed by the side panel. */
  let savedWorst: WindowReconstruction | undefined;

  before(async () => {
    workspace = makeWorkspace();
    session = await startSession({ workspace: workspace.dir, workbench: { explorerRow: 'tiny.tsae.yaml', timeoutMs: 60_000, darkTheme: true } });
    ({ page, step, shot } = session);
  });

  after(async () => {
    await session?.close();
    workspace?.dispose();
  });

  test('a pitfall config shows its findings in Problems and a hover on relu', async () => {
    await step('problems', async () => {
      const file = '02-relu-bottleneck.tsae.yaml';
      const expected = expectedCodes(readFileSync(join(workspace.dir, 'pitfalls', file), 'utf8'));
      assert.ok(expected.length > 0, `${file} has no # expect: line`);
      await quickOpen(page, file);
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      for (const code of expected) await rows.filter({ hasText: code }).first().waitFor({ timeout: STEP_MS });

      // Opening the TSAE101 entry reveals its line, wherever the file's header comment ends.
      await rows.filter({ hasText: 'TSAE101' }).first().click();
      const relu = page.locator('.monaco-editor .view-line span span', { hasText: /^relu$/ }).first();
      await relu.waitFor({ timeout: STEP_MS });
      const box = await relu.boundingBox();
      assert.ok(box, 'the relu token has no bounding box');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'TSAE101' }).first();
      await hover.waitFor({ timeout: STEP_MS });
      await shot('problems-and-hover');
      await page.mouse.move(5, 5);
    });
  });

  test('Train Autoencoder from the palette draws the loss curve, reconstructions and latent heatmap', async () => {
    await step('dashboard', async () => {
      await quickOpen(page, 'tiny.tsae.yaml');
      // Problems stays open from the step before; hide it so the dashboard gets the full height.
      const panel = page.locator('.part.panel');
      if (await panel.isVisible()) {
        await page.keyboard.press('Control+J');
        await panel.waitFor({ state: 'hidden', timeout: STEP_MS });
      }
      await runCommand(page, 'TSAE: Train Autoencoder');
      const dashboard = await webviewFrame(page, '#hdr', TRAIN_MS);
      // The dashboard's own readiness flag, then a finished run with both epochs drawn.
      await poll(async () => ((await dashboard.evaluate(() => document.body.dataset.ready)) === 'true' ? true : undefined), 'dashboard ready', TRAIN_MS);
      await poll(
        async () => {
          const epochs = Number(await dashboard.evaluate(() => document.getElementById('loss-container')?.dataset.epochs ?? '0'));
          return epochs >= 2 ? epochs : undefined;
        },
        'the loss chart to hold 2 epochs',
        TRAIN_MS,
      );
      const loss = await paintedPixels(dashboard, 'loss-chart');
      assert.ok(loss > 1000, `#loss-chart has only ${loss} painted pixels`);
      await shot('dashboard-loss');

      const recon = await poll(
        async () => {
          const n = await paintedPixels(dashboard, 'recon-chart');
          return n > 1000 ? n : undefined;
        },
        'the reconstruction chart to draw',
        TRAIN_MS,
      );
      await dashboard.evaluate(() => document.getElementById('section-recon')?.scrollIntoView());
      await shot('dashboard-reconstructions');
      const heatmap = await poll(
        async () => {
          const n = await paintedPixels(dashboard, 'latent-heatmap');
          return n > 1000 ? n : undefined;
        },
        'the latent heatmap to draw',
        TRAIN_MS,
      );
      await dashboard.evaluate(() => document.getElementById('section-latent')?.scrollIntoView());
      await shot('dashboard-latent-heatmap');
      console.log(`painted pixels: loss ${loss}, reconstruction ${recon}, heatmap ${heatmap}`);

      const completed = runsOnDisk(workspace.dir).filter((r) => r.summary?.status === 'completed');
      assert.equal(completed.length, 1, 'the run folder should say completed');

      // Worst first ranks every window: once the run has finished, the dashboard's first window is
      // the saved run's worst (what the side panel previews), and it opens with its values.
      const worst = worstReconstruction(JSON.parse(readFileSync(join(completed[0].dir, 'reconstructions.json'), 'utf8')) as ReconstructionsFile);
      assert.ok(worst, 'the saved run has a worst window with values');
      savedWorst = worst;
      const first = dashboard.locator('#window-list li.window-row').first();
      await poll(
        async () =>
          (await first.getAttribute('data-index')) === String(worst.index) && (await first.getAttribute('data-held-out')) === (worst.heldOut ? 'true' : null) ? true : undefined,
        `the dashboard's first window to be the saved worst #${worst.index}`,
      );
      await first.click();
      const caption = await poll(async () => {
        const text = (await dashboard.locator('#window-caption').textContent()) ?? '';
        return text.startsWith(`window #${worst.index}`) && !text.includes('reconstructing') ? text : undefined;
      }, 'the worst window to be drawn');
      assert.match(caption, /\(1\/\d+\)/);
      await dashboard.evaluate(() => document.getElementById('section-recon')?.scrollIntoView());
      await shot('dashboard-worst-window');
    });
  });

  test('the TSAE side panel lists the run', async () => {
    await step('side-panel', async () => {
      await page.locator('.activitybar .action-item a[aria-label^="TSAE"]').first().click({ timeout: STEP_MS });
      const panel = await webviewFrame(page, '#runs-list');
      await poll(async () => ((await panel.locator('li.run-row', { hasText: 'e2e-tiny' }).count()) > 0 ? true : undefined), 'the runs list to show e2e-tiny');
      // The preview of the run is the same worst window the dashboard ranks first.
      await panel.locator('li.run-row', { hasText: 'e2e-tiny' }).first().click();
      assert.ok(savedWorst, 'the dashboard step found the saved worst window');
      const title = `Worst window #${savedWorst.index}${savedWorst.heldOut ? ' (held-out)' : ''}:`;
      await poll(async () => (((await panel.locator('#preview-title').textContent()) ?? '').startsWith(title) ? true : undefined), `the preview title to start with "${title}"`);
      await shot('side-panel');
    });
  });

  test('a ranked window saved without its values is reconstructed when selected', async () => {
    await step('ranked-window', async () => {
      // More validation windows (~300) than a run saves with values (its worst 20 and a sample of 200).
      const config = join(workspace.dir, 'ranked.tsae.yaml');
      const lines = ['name: e2e-ranked', 'data:', '  path: data/machine_temperature_system_failure.csv', '  timestamp: timestamp', '  columns: [value]', '  maxRows: 3000'];
      lines.push('windowing:', '  length: 24', '  stride: 2', 'model:', '  encoder:', '    - units: 8', '  latent:', '    size: 4', '  decoder:', '    - units: 8');
      lines.push('training:', '  epochs: 2', '  batchSize: 64', '');
      writeFileSync(config, lines.join('\n'));
      const trained = spawnSync(process.execPath, [join(repoRoot(), 'dist', 'cli.js'), 'train', config, '--json', '--out', join(workspace.dir, '.tsae', 'runs')], {
        cwd: workspace.dir,
        encoding: 'utf8',
      });
      assert.equal(trained.status, 0, trained.stderr);
      const runDir = (JSON.parse(trained.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
      const saved = JSON.parse(readFileSync(join(runDir, 'reconstructions.json'), 'utf8')) as ReconstructionsFile;
      const unsaved = sortWindows(saved.ranking ?? [], 'error-desc').find((w) => !saved.windows.some((v) => sameWindow(v, w)));
      assert.ok(unsaved, `the run saved the values of all its ${saved.ranking?.length} ranked windows`);

      // Opened with TSAE: Open Run (it lists the run folders on disk; this run was trained outside the editor).
      await pickFromCommand(page, 'TSAE: Open Run', 'e2e-ranked');
      const dashboard = await poll(async () => {
        for (const frame of page.frames()) {
          const name = await frame.evaluate(() => (document.body.dataset.ready === 'true' ? document.getElementById('run-name')?.textContent : null)).catch(() => null);
          if (name?.includes('e2e-ranked')) return frame;
        }
        return undefined;
      }, 'the e2e-ranked dashboard');
      assert.equal(await dashboard.locator('#window-list li.window-row').count(), Math.min(saved.ranking!.length, 500), 'every ranked window is listed');
      await dashboard.locator(`#window-list li[data-index="${unsaved.index}"]:not([data-held-out])`).click();
      const caption = await poll(async () => {
        const text = (await dashboard.locator('#window-caption').textContent()) ?? '';
        return text.startsWith(`window #${unsaved.index} `) && !text.includes('reconstructing') ? text : undefined;
      }, `window #${unsaved.index} to be reconstructed on demand`);
      assert.doesNotMatch(caption, /changed since/, 'the on-demand reconstruction has the ranked error');
      const pixels = await paintedPixels(dashboard, 'recon-chart');
      assert.ok(pixels > 1000, `#recon-chart has only ${pixels} painted pixels`);
      await dashboard.evaluate(() => document.getElementById('section-recon')?.scrollIntoView());
      await shot('dashboard-window-on-demand');
    });
  });

  test('Cancel Training stops a long run and its summary says cancelled', async () => {
    await step('cancel', async () => {
      const before = new Set(runsOnDisk(workspace.dir).map((r) => r.dir));
      await quickOpen(page, 'slow.tsae.yaml');
      await runCommand(page, 'TSAE: Train Autoencoder');
      const started = await poll(async () => runsOnDisk(workspace.dir).find((r) => !before.has(r.dir) && r.epochsLogged >= 1), 'slow.tsae.yaml to finish an epoch', TRAIN_MS);
      await runCommand(page, 'TSAE: Cancel Training');
      const summary = await poll(async () => {
        const run = runsOnDisk(workspace.dir).find((r) => r.dir === started.dir);
        return run?.summary && run.summary.status !== 'running' ? run.summary : undefined;
      }, 'the cancelled run to write its summary');
      assert.equal(summary.status, 'cancelled', `run ended ${summary.status}: ${summary.reason ?? ''}`);
      assert.ok(summary.epochs < 500, `ran all ${summary.epochs} epochs despite the cancel`);

      // What the user sees: the run's dashboard and its row in the side panel say cancelled too.
      const runDir = started.dir;
      const panel = await webviewFrame(page, '#runs-list');
      await poll(
        async () => ((await panel.locator(`li.run-row.status-cancelled[data-run-dir="${runDir}"]`).count()) > 0 ? true : undefined),
        `the side panel row of ${runDir} to say cancelled`,
      );
      await poll(async () => {
        for (const frame of page.frames()) {
          const header = await frame
            .evaluate(() => ({ name: document.getElementById('run-name')?.textContent, status: document.getElementById('run-status')?.textContent }))
            .catch(() => undefined);
          if (header?.name?.includes('e2e-slow') && header.status?.includes('cancelled')) return true;
        }
        return undefined;
      }, 'the e2e-slow dashboard header to say cancelled');
      await shot('cancelled');
    });
  });
});
