// The .vsix as a user installs it: packaged with vsce, extracted into a fresh extensions folder of
// a second code-server (no checkout, no node_modules beside it), then in chromium it activates,
// lints a pitfall config (its findings in Problems), trains a small config to completion and draws
// its dashboard. This
// is what proves the packaging allowlist leaves nothing out that the extension needs at run time.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { extractZip, packageVsix } from '../helpers/zip';
import { activationError, assertPrerequisites, launchBrowser, makeWorkspace, repoRoot, startCodeServer, type CodeServer } from './harness';
import { runsOnDisk } from './runs';
import { frameReady, paintedPixels, poll, quickOpen, runCommand, STEP_MS, TRAIN_MS, webviewFrame, openWorkbench } from './uiSteps';

const screenshots = join(repoRoot(), 'test-results', 'screenshots');

describe('the installed .vsix activates, lints and trains (code-server + chromium)', { timeout: 420_000 }, () => {
  let scratch: string;
  let workspace: ReturnType<typeof makeWorkspace>;
  let server: CodeServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  before(async () => {
    assertPrerequisites();
    mkdirSync(screenshots, { recursive: true });
    scratch = mkdtempSync(join(tmpdir(), 'tsae-e2e-vsix-'));
    const vsix = join(scratch, 'tsae.vsix');
    packageVsix(repoRoot(), vsix);
    const installed = join(scratch, 'installed');
    const files = extractZip(vsix, installed, 'extension/');
    assert.ok(files > 10 && existsSync(join(installed, 'dist', 'extension.js')), `only ${files} files extracted`);
    assert.equal(existsSync(join(installed, 'node_modules')), false);
    workspace = makeWorkspace();
    server = await startCodeServer({ workspace: workspace.dir, trust: 'trusted', installExtension: installed });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await openWorkbench(page, server.url(), { explorerRow: 'tiny.tsae.yaml', timeoutMs: 90_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    workspace?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('lints a pitfall config and trains tiny.tsae.yaml from the palette', async () => {
    try {
      await quickOpen(page, '02-relu-bottleneck.tsae.yaml');
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'TSAE101' }).first().waitFor({ timeout: STEP_MS });
      await page.screenshot({ path: join(screenshots, 'vsix-1-installed-lints.png') });
      await quickOpen(page, 'tiny.tsae.yaml');
      await runCommand(page, 'TSAE: Train Autoencoder');
      const run = await poll(async () => runsOnDisk(workspace.dir).find((r) => r.summary && r.summary.status !== 'running'), 'the run to finish', TRAIN_MS);
      assert.equal(run.summary?.status, 'completed', `run ended ${run.summary?.status}: ${run.summary?.reason ?? ''}`);
      // The dashboard's bundle loads from the package and draws the run.
      const dashboard = await webviewFrame(page, '#hdr', TRAIN_MS);
      await poll(() => frameReady(dashboard), 'the dashboard to draw', TRAIN_MS);
      await poll(async () => ((await paintedPixels(dashboard, 'loss-chart')) > 1000 ? true : undefined), 'the loss chart to draw', TRAIN_MS);
      await page.screenshot({ path: join(screenshots, 'vsix-2-installed-trained.png') });
    } catch (error) {
      await page.screenshot({ path: join(screenshots, 'FAILED-vsix.png') }).catch(() => undefined);
      const activation = activationError(server);
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}${activation ? `\nTSAE failed to activate:\n${activation}` : ''}\n--- server log ---\n${server.logTail(30)}`,
      );
    }
  });
});
