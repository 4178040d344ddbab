// The diagnosis after a failed run, in a real VS Code (code-server) in headless chromium: a
// pitfall config trained from the palette, the editor's counterfactual trials, then the
// dashboard's Diagnosis section (each candidate with its verdict and trial figures) and the
// config's diagnostic in Problems, which says "Verified by a trial" with the figures or, when no
// trial proved a cause, that the blame is an unverified hypothesis. Both must tell the same story
// as the run's summary.json. Screenshots go to test-results/screenshots/diagnosis-*.png.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { RunSummary } from '../../src/core/run/types';
import { makeWorkspace } from './harness';
import { runsOnDisk } from './runs';
import { startSession, type UiSession } from './session';
import { poll, quickOpen, runCommand, STEP_MS, webviewFrame, type PageDocument } from './uiSteps';

// Page globals of the functions passed to frame.evaluate() (they run in the webview; the tests compile without the DOM library).
declare const document: PageDocument;

/** Training (10 epochs) and the trials after it (about the run's time, at most 60 s), on a loaded machine. */
const DIAGNOSED_MS = 300_000;
const CONFIG = '03-mean-collapse.tsae.yaml';

describe('diagnosis after a failed run (code-server + chromium)', { timeout: 480_000 }, () => {
  let session: UiSession;
  let workspace: ReturnType<typeof makeWorkspace>;
  let page: Page;
  let step: UiSession['step'];
  let shot: UiSession['shot'];
  let dashboard: Frame;
  let summary: RunSummary;

  before(async () => {
    workspace = makeWorkspace();
    session = await startSession({ workspace: workspace.dir, screenshotPrefix: 'diagnosis-', workbench: { explorerRow: 'pitfalls', timeoutMs: 60_000, darkTheme: true } });
    ({ page, step, shot } = session);
  });

  after(async () => {
    await session?.close();
    workspace?.dispose();
  });

  test('Train Autoencoder on a pitfall config: the dashboard shows the diagnosis with each candidate and its trial', async () => {
    await step('dashboard', async () => {
      await quickOpen(page, CONFIG);
      await runCommand(page, 'TSAE: Train Autoencoder');
      dashboard = await webviewFrame(page, '#hdr', DIAGNOSED_MS);
      summary = await poll(
        async () => {
          const run = runsOnDisk(workspace.dir).find((r) => r.summary?.diagnosis !== undefined);
          return run?.summary;
        },
        'the run to be trained and diagnosed',
        DIAGNOSED_MS,
      );
      const diagnosis = summary.diagnosis!;
      assert.ok(diagnosis.candidates.length > 0, `the diagnosis (${diagnosis.status}) has no candidate: ${diagnosis.notes.join('; ')}`);
      // The dashboard redraws when the diagnosed summary is published: one row per candidate.
      await poll(
        async () => {
          const shown = await dashboard.evaluate(() => document.querySelectorAll('#diagnosis tr.candidate').length);
          return shown === diagnosis.candidates.length ? shown : undefined;
        },
        `${diagnosis.candidates.length} candidate rows in the dashboard's Diagnosis section`,
        STEP_MS,
      );
      for (const candidate of diagnosis.candidates) {
        const row = dashboard.locator(`#diagnosis tr.candidate.verdict-${candidate.verdict}`, { hasText: candidate.configPath });
        assert.ok((await row.count()) > 0, `no ${candidate.verdict} row for ${candidate.configPath}`);
      }
      await dashboard.evaluate(() => document.getElementById('section-diagnosis')?.scrollIntoView());
      await shot('dashboard');
      console.log(`diagnosis ${diagnosis.status} in ${diagnosis.seconds.toFixed(1)} s: ${diagnosis.candidates.map((c) => `${c.verdict} ${c.configPath}`).join(', ')}`);
    });
  });

  test("the config's diagnostic in Problems says how certain the blame is, with the trial's figures when verified", async () => {
    await step('problems', async () => {
      const finding = summary.findings.find((f) => /^TSAE2\d\d$/.test(f.code) && f.configPath !== '' && (f.severity === 'error' || f.severity === 'warning'));
      assert.ok(finding, `the diagnosed run has no blamed runtime finding: ${JSON.stringify(summary.findings.map((f) => [f.code, f.severity, f.configPath]))}`);
      await quickOpen(page, CONFIG);
      if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
      const certainty = finding.certainty === 'verified' ? 'Verified by a trial' : 'unverified hypothesis';
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: finding.code }).filter({ hasText: certainty });
      await row.first().waitFor({ timeout: STEP_MS });
      const text = (await row.first().textContent()) ?? '';
      if (finding.certainty === 'verified') assert.match(text, /against the control/, `a verified finding names its trial's figures: ${text}`);
      await shot('problems');
      console.log(`Problems: ${text.slice(0, 300)}`);
    });
  });
});
