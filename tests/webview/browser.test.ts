// The built webview bundles (dist/webview/*.js) in a real Chromium, under the same strict CSP the
// extension sets, with a stand-in for VS Code's acquireVsCodeApi. Checks what node tests cannot:
// the pages build, draw every chart, react to messages, ignore malformed ones, post the right
// messages back and keep their state. Skipped (with the reason) when the bundles or Chromium are
// missing; `npm test` builds the bundles first.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CompareRun, HostToCompare, HostToWebview, RunData, RunListItem } from '../../src/core/protocol/webview';
import { renderWebviewHtml } from '../../src/extension/panels/html';
import { buildRun } from './fixtureRun';
import { sortWindows, worstReconstruction } from '../../src/core/run/windows';

function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'webview', 'tsconfig.json'))) return dir;
  }
  return process.cwd();
}
const distDir = path.join(repoRoot(), 'dist', 'webview');
const chromiumPath = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && fs.existsSync(p));
const bundlesBuilt = fs.existsSync(path.join(distDir, 'dashboard.js')) && fs.existsSync(path.join(distDir, 'runs.js'));
const skip = !chromiumPath ? 'no Chromium found (set CHROME_PATH)' : !bundlesBuilt ? `no webview bundles in ${distDir} (run node esbuild.mjs)` : false;

const NONCE = 'testNonce0123456789';
let browser: Browser | undefined;
let workDir = '';

/** The page as the extension renders it, plus a recorder standing in for VS Code's webview API. */
function writePage(bundle: 'dashboard' | 'runs' | 'compare', savedState?: unknown): string {
  const cspSource = 'file:';
  const html = renderWebviewHtml({
    cspSource,
    nonce: NONCE,
    scriptUri: pathToFileURL(path.join(distDir, `${bundle}.js`)).href,
    styleUri: pathToFileURL(path.join(distDir, `${bundle}.css`)).href,
    title: bundle,
  });
  const fakeApi = `<script nonce="${NONCE}">
window.__posted = []; window.__state = ${JSON.stringify(savedState ?? null)};
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state ?? undefined, setState: (s) => { window.__state = s; } });
</script>`;
  const file = path.join(workDir, `${bundle}.html`);
  fs.writeFileSync(file, html.replace('<body>', `<body class="vscode-dark">\n${fakeApi}`));
  return pathToFileURL(file).href;
}

async function open(bundle: 'dashboard' | 'runs' | 'compare', savedState?: unknown): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1000, height: 1600 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // The page warns about the malformed message the test sends on purpose; anything else is a problem.
    if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.goto(writePage(bundle, savedState));
  await waitInPage(page, () => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === 'ready'));
  return { page, problems };
}

/**
 * The pages run under the extension's CSP, which has no 'unsafe-eval'. Playwright evaluates a
 * string predicate anew on every poll, from the page's own animation frame, where the CSP
 * blocks it as soon as the first poll fails; a function predicate is compiled once, from the
 * debugger, and then only called. So waits take functions (or locators), never strings.
 */
function waitInPage(page: Page, predicate: () => boolean): Promise<unknown> {
  return page.waitForFunction(predicate);
}

/**
 * What the page-side predicates read (the test tsconfig has no DOM types). A predicate is sent
 * to the page as source text, so it may use only page globals, never helpers from this file.
 */
interface PageGlobals {
  __posted: Array<{ type: string }>;
  document: {
    body: { dataset: Record<string, string | undefined> };
    querySelector(selector: string): { dataset: Record<string, string | undefined>; hidden: boolean; disabled: boolean; textContent: string | null } | null;
    querySelectorAll(selector: string): { length: number };
  };
}
/** Waits until the page's body says it has drawn what it was sent. */
const waitUntilReady = (page: Page) => page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });

// The test tsconfig has no DOM types, so page-side code is written as strings.
const send = (page: Page, message: unknown): Promise<void> => page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
const posted = (page: Page): Promise<Array<Record<string, unknown>>> => page.evaluate('window.__posted');
const state = (page: Page): Promise<Record<string, unknown> | null> => page.evaluate('window.__state');

/** Share of a canvas's pixels that are not transparent: 0 means nothing was drawn. */
function inkShare(page: Page, selector: string): Promise<number> {
  return page.evaluate(`(() => {
    const c = document.querySelector(${JSON.stringify(selector)});
    const ctx = c && c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
    return ink / (data.length / 4);
  })()`);
}

function runData(name: string, o: Parameters<typeof buildRun>[0] = {}): RunData {
  const r = buildRun({ name, windows: 20, steps: 32, ...o });
  return { runDir: `/w/.tsae/runs/${name}`, summary: r.summary, metrics: r.metrics, reconstructions: r.reconstructions, latents: r.latents };
}

describe('webview bundles in Chromium', { skip }, () => {
  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsae-webview-'));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--allow-file-access-from-files'] });
  });
  after(async () => {
    await browser?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  test('waits use function predicates: the CSP blocks a string predicate that is false at its first poll', async () => {
    const { page, problems } = await open('runs');
    // Long enough that the first poll comes before it even on a loaded machine: a predicate that is
    // already true at its first poll is answered without the blocked eval.
    const later = () => page.evaluate('setTimeout(() => { window.__late = true; }, 2000)');
    await later();
    await assert.rejects(page.waitForFunction('window.__late === true', undefined, { timeout: 10_000 }), /EvalError|unsafe-eval|Content Security Policy/);
    await page.evaluate('window.__late = false');
    await later();
    await waitInPage(page, () => (globalThis as unknown as { __late?: boolean }).__late === true);
    // The blocked eval is reported on the console; only that is expected here.
    assert.ok(
      problems.every((p) => /unsafe-eval|EvalError/.test(p)),
      problems.join('\n'),
    );
    await page.close();
  });

  test('dashboard draws a run, streams epochs, ignores malformed messages and posts actions', async () => {
    const { page, problems } = await open('dashboard');
    const run = runData('relu', { deadUnits: [1] });
    await send(page, { type: 'init', run } satisfies HostToWebview);
    await waitUntilReady(page);

    assert.equal(await page.textContent('#run-name'), 'relu');
    assert.equal(await page.getAttribute('#loss-container', 'data-epochs'), String(run.metrics.length));
    const worst = [...run.reconstructions!.windows].sort((a, b) => b.error - a.error)[0].index;
    assert.equal(await page.getAttribute('#window-list li:first-child', 'data-index'), String(worst), 'worst window first');
    assert.match((await page.textContent('#dead-units')) ?? '', /1 of 3 latent units dead: u1/);
    // The heatmap's colour scale spans -max..max of the activations.
    const scaleMax = Number(await page.textContent('#latent-scale-max'));
    assert.ok(scaleMax > 0, `colour scale max ${scaleMax}`);
    assert.equal(Number(await page.textContent('#latent-scale-min')), -scaleMax);
    assert.match((await page.getAttribute('#latent-scale-bar', 'style')) ?? '', /linear-gradient/);
    for (const canvas of ['#loss-chart', '#recon-chart', '#error-chart', '#latent-heatmap', '#pca-chart']) {
      assert.ok((await inkShare(page, canvas)) > 0.01, `${canvas} has drawn pixels`);
    }
    assert.equal(await page.isHidden('#section-compare'), true);
    assert.equal(await page.isHidden('#grad-block'), true, 'no gradient norms in this run');
    assert.equal(await page.textContent('#lr-caption'), '', 'the fixture decays its learning rate');

    await send(page, { type: 'epoch', metrics: { epoch: 7, loss: 0.01, valLoss: 0.02, lr: 0.0005, seconds: 4 } } satisfies HostToWebview);
    await page.locator('#loss-container[data-epochs="7"]').waitFor({ state: 'attached' });
    await send(page, {
      type: 'epoch',
      metrics: { epoch: 8, loss: 0.01, valLoss: 0.02, lr: 0.0005, seconds: 5, gradNorms: { encoder: 0.3, decoder: 0.02 } },
    } satisfies HostToWebview);
    await waitInPage(page, () => (globalThis as unknown as PageGlobals).document.querySelector('#grad-block')?.hidden === false);
    assert.ok((await inkShare(page, '#grad-chart')) > 0.005, 'gradient norms are drawn once measured');
    await send(page, { type: 'epoch', metrics: { epoch: '8' } });
    await send(page, { type: 'epoch', metrics: { epoch: 7, loss: 0.01, valLoss: 0.02, lr: 0.0005, seconds: 4 } });
    await page.waitForTimeout(100);
    assert.equal(await page.getAttribute('#loss-container', 'data-epochs'), '8', 'malformed and repeated epochs are ignored');

    await page.click('#findings .go-to-config');
    await page.click('#findings .apply-fix');
    assert.equal(await page.isDisabled('#findings .apply-fix'), true);
    const actions = (await posted(page)).filter((m) => m.type !== 'ready');
    assert.deepEqual(actions, [
      { type: 'goToConfig', code: 'TSAE202', configPath: 'model.latent.activation' },
      { type: 'applyFix', code: 'TSAE202', configPath: 'model.latent.activation' },
    ]);
    await send(page, { type: 'notice', level: 'error', text: 'The language server offers no quick fix.' });
    await waitInPage(page, () => (globalThis as unknown as PageGlobals).document.querySelector('#findings .apply-fix')?.disabled === false);
    assert.equal(await page.textContent('#notice'), 'The language server offers no quick fix.');

    await send(page, {
      type: 'finding',
      finding: { code: 'TSAE201', severity: 'error', message: 'output is the mean', configPath: 'training.learningRate' },
    } satisfies HostToWebview);
    await waitInPage(page, () => (globalThis as unknown as PageGlobals).document.querySelectorAll('#findings li.finding').length === 2);

    // Selection is kept in the webview state (restored after a reload).
    await page.click('#next-window');
    const saved = await state(page);
    assert.equal(saved?.runDir, run.runDir);
    assert.equal(typeof saved?.selectedWindow, 'number');
    assert.notEqual(saved?.selectedWindow, worst);
    // Keyboard: ArrowUp from the second window goes back to the worst one.
    await page.focus('#window-list li.selected');
    await page.keyboard.press('ArrowUp');
    assert.equal((await state(page))?.selectedWindow, worst);
    assert.equal(await page.getAttribute('#window-list li.selected', 'data-index'), String(worst));

    // A theme switch redraws with the new colours and breaks nothing.
    await page.evaluate("document.body.style.setProperty('--vscode-charts-blue', '#0000ff'); document.body.className = 'vscode-light';");
    await page.waitForTimeout(50);
    assert.ok((await inkShare(page, '#loss-chart')) > 0.01);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('dashboard ranks every window and fetches the values of a window saved without them', async () => {
    const run = runData('ranked', { windows: 12 });
    const saved = run.reconstructions!;
    // The run ranked 40 windows and saved the values of 12 of them, the worst one included.
    const worstSaved = [...saved.windows].sort((a, b) => b.error - a.error)[0];
    const unsaved = Array.from({ length: 28 }, (_, i) => ({ index: 100 + i, start: 100 + i, error: (worstSaved.error * (i + 1)) / 30 }));
    saved.ranking = [...saved.windows.map(({ index, start, error }) => ({ index, start, error })), ...unsaved];
    const { page, problems } = await open('dashboard');
    await send(page, { type: 'init', run } satisfies HostToWebview);
    await waitUntilReady(page);
    assert.equal(await page.locator('#window-list li.window-row').count(), 40, 'every ranked window is listed');
    assert.equal(await page.getAttribute('#window-list li:first-child', 'data-index'), String(worstReconstruction(saved)!.index), 'the worst of the ranking first');
    assert.equal(worstReconstruction(saved)!.index, worstSaved.index);

    // Second worst is a window without values: selecting it asks the extension for them.
    const second = sortWindows(saved.ranking, 'error-desc')[1];
    assert.ok(second.index >= 100, 'the fixture ranks an unsaved window second');
    await page.click(`#window-list li[data-index="${second.index}"]`);
    await waitInPage(page, () => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === 'requestWindow'));
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'requestWindow'),
      [{ type: 'requestWindow', index: second.index, heldOut: false }],
    );
    assert.match((await page.textContent('#window-caption')) ?? '', /reconstructing/);
    // A reply for a window the run did not rank is ignored; the real one is drawn.
    const values = { ...worstSaved, index: second.index, start: second.start, error: second.error };
    await send(page, { type: 'window', features: saved.features, window: { ...values, index: 999 } } satisfies HostToWebview);
    await send(page, { type: 'window', features: saved.features, window: values } satisfies HostToWebview);
    await waitInPage(page, () => !/reconstructing/.test((globalThis as unknown as PageGlobals).document.querySelector('#window-caption')?.textContent ?? ''));
    assert.match((await page.textContent('#window-caption')) ?? '', new RegExp(`window #${second.index} \\(2/40\\)`));
    assert.ok((await inkShare(page, '#recon-chart')) > 0.01, 'the fetched window is drawn');
    // Selecting it again does not ask twice.
    await page.click(`#window-list li[data-index="${worstSaved.index}"]`);
    await page.click(`#window-list li[data-index="${second.index}"]`);
    assert.equal((await posted(page)).filter((m) => m.type === 'requestWindow').length, 1);
    await page.screenshot({ path: path.join(repoRoot(), 'test-results', 'screenshots', 'dashboard-ranked-windows.png') }).catch(() => undefined);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('dashboard restores its selection and shows a comparison with a baseline', async () => {
    const after = runData('fixed', { deadUnits: [], findings: [], errorScale: 0.2 });
    const beforeRun = runData('relu', { deadUnits: [1] });
    const { page, problems } = await open('dashboard', { runDir: after.runDir, selectedWindow: 3, feature: 0, sort: 'index' });
    await send(page, { type: 'init', run: after, baseline: beforeRun } satisfies HostToWebview);
    await waitUntilReady(page);
    assert.equal(await page.getAttribute('#window-list li.selected', 'data-index'), '3');
    assert.equal(await page.inputValue('#sort-select'), 'index');
    assert.equal(await page.isVisible('#section-compare'), true);
    assert.match((await page.textContent('#findings-cured h3')) ?? '', /\(1\)/);
    assert.equal(await page.$$eval('#findings-cured button', (b) => b.length), 0, "the baseline's findings are read-only");
    assert.ok((await inkShare(page, '#compare-chart')) > 0.01);
    assert.equal((await state(page))?.baselineDir, beforeRun.runDir);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('runs view lists runs, previews the selected one and asks to compare two', async () => {
    const { page, problems } = await open('runs');
    const item = (name: string, startedAt: string): RunListItem => ({
      runDir: `/w/.tsae/runs/${name}`,
      name,
      status: 'completed',
      backend: 'cpu',
      startedAt,
      epochs: 5,
      trainLoss: 0.1,
      valLoss: 0.2,
      reconstructionError: 0.05,
      findings: 1,
      seconds: 3,
    });
    await send(page, { type: 'runs', runs: [item('new', '2026-01-02T00:00:00Z'), item('old', '2026-01-01T00:00:00Z')] } satisfies HostToWebview);
    await waitUntilReady(page);
    assert.equal(await page.$$eval('#runs-list .run-row', (rows) => rows.length), 2);
    await page.click('#runs-list .run-row:first-child .run-name');
    const run = runData('new');
    await send(page, { type: 'preview', runDir: '/w/.tsae/runs/new', features: ['value'], window: run.reconstructions!.windows[7] } satisfies HostToWebview);
    await waitInPage(page, () => ((globalThis as unknown as PageGlobals).document.querySelector('#preview-title')?.textContent ?? '').startsWith('Worst window #7'));
    assert.ok((await inkShare(page, '#preview-chart')) > 0.01);
    assert.equal(await page.isDisabled('#compare-runs'), true);
    await page.check('#runs-list .run-row:nth-child(1) .compare-pick');
    await page.check('#runs-list .run-row:nth-child(2) .compare-pick');
    await page.click('#compare-runs');
    await page.click('#open-run');
    const actions = (await posted(page)).filter((m) => m.type !== 'ready');
    assert.deepEqual(actions, [
      { type: 'selectRun', runDir: '/w/.tsae/runs/new' },
      { type: 'compareRuns', runDirA: '/w/.tsae/runs/new', runDirB: '/w/.tsae/runs/old' },
      { type: 'openRun', runDir: '/w/.tsae/runs/new' },
    ]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('runs view shows runs as experiments: name, start, status with why, figures, tags, note, config diff; edits and compares many', async () => {
    const { page, problems } = await open('runs');
    const base = {
      status: 'completed' as const,
      backend: 'fused' as const,
      epochs: 5,
      trainLoss: 0.1,
      valLoss: 0.2,
      reconstructionError: 0.05,
      findings: 0,
      seconds: 65,
      configFile: '/w/a.tsae.yaml',
    };
    const runs: RunListItem[] = [
      {
        ...base,
        runDir: '/w/.tsae/runs/c',
        name: 'a',
        startedAt: '2026-01-03T10:05:00Z',
        label: 'bigger latent',
        tags: ['sweep', 'latent'],
        note: 'looks best',
        configDiff: ['model.latent.size 8 → 16'],
      },
      {
        ...base,
        runDir: '/w/.tsae/runs/b',
        name: 'a',
        startedAt: '2026-01-03T10:00:00Z',
        status: 'interrupted',
        reason: 'the training process ended without writing a final summary',
      },
      { ...base, runDir: '/w/.tsae/runs/a', name: 'a', startedAt: '2026-01-03T09:55:00Z', heldOutAuc: 0.93 },
      {
        ...base,
        runDir: '/w/.tsae/runs/0',
        name: 'a',
        startedAt: '2026-01-03T09:50:00Z',
        status: 'interrupted',
        backend: 'cpu',
        epochs: 0,
        starting: true,
        reason: 'interrupted before training, while loading its data and building its model: the training process (pid 7) is gone',
      },
    ];
    await send(page, { type: 'runs', runs } satisfies HostToWebview);
    await waitUntilReady(page);
    const texts = await page.$$eval('#runs-list .run-row', (rows) => rows.map((r) => r.textContent ?? ''));
    assert.match(texts[0], /bigger latent/);
    assert.match(texts[0], /sweep.*latent/);
    assert.match(texts[0], /looks best/);
    assert.match(texts[0], /Δ model\.latent\.size 8 → 16/);
    assert.match(texts[0], /1 min 5 s/);
    assert.match(texts[1], /interrupted: the training process ended/);
    assert.match(texts[2], /AUC 0\.93/);
    // A run stopped while loading: no epochs or placeholder backend, and its reason is not repeated after the status.
    assert.match(texts[3], /trained nothing/);
    assert.doesNotMatch(texts[3], /epochs|cpu/);
    assert.match(texts[3], /interrupted before training, while loading/);
    assert.doesNotMatch(texts[3], /interrupted: interrupted/);
    assert.equal(await page.isDisabled('#rename-run'), true, 'run buttons wait for a selection');
    assert.equal(await page.isDisabled('#resume-run'), true);
    await page.click('#runs-list .run-row:nth-child(1) .run-name');
    assert.equal(await page.isDisabled('#resume-run'), true, 'a completed run is not resumed');
    await page.click('#runs-list .run-row:nth-child(4) .run-name');
    assert.equal(await page.isDisabled('#resume-run'), true, 'a run that trained no epoch has nothing to continue');
    await page.click('#runs-list .run-row:nth-child(2) .run-name');
    for (const id of ['#resume-run', '#rename-run', '#tag-run', '#note-run', '#delete-run']) await page.click(id);
    for (const n of [1, 2, 3]) await page.check(`#runs-list .run-row:nth-child(${n}) .compare-pick`);
    await page.click('#compare-runs');
    const actions = (await posted(page)).filter((m) => m.type !== 'ready' && m.type !== 'selectRun');
    assert.deepEqual(actions, [
      { type: 'resumeRun', runDir: '/w/.tsae/runs/b' },
      { type: 'editRun', runDir: '/w/.tsae/runs/b', field: 'label' },
      { type: 'editRun', runDir: '/w/.tsae/runs/b', field: 'tags' },
      { type: 'editRun', runDir: '/w/.tsae/runs/b', field: 'note' },
      { type: 'deleteRun', runDir: '/w/.tsae/runs/b' },
      { type: 'compareMany', runDirs: ['/w/.tsae/runs/c', '/w/.tsae/runs/b', '/w/.tsae/runs/a'] },
    ]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('comparison panel: differing keys and figures in a table, overlaid loss curves, hyperparameter scatter', async () => {
    const { page, problems } = await open('compare');
    const compareRun = (name: string, latent: number, lr: number, val: number): CompareRun => ({
      item: {
        runDir: `/w/.tsae/runs/${name}`,
        name: 'sensor',
        label: name,
        status: 'completed',
        backend: 'fused',
        startedAt: '2026-01-03T10:00:00Z',
        epochs: 3,
        trainLoss: val * 0.9,
        valLoss: val,
        reconstructionError: val,
        findings: 0,
        seconds: 20,
      },
      curve: [
        [1, 1, 1.1],
        [2, 0.5, 0.6],
        [3, val * 0.9, val],
      ],
      config: { 'model.latent.size': latent, 'training.learningRate': lr, 'model.cell': 'lstm', 'windowing.length': 64 },
    });
    const message: HostToCompare = {
      type: 'compare',
      runs: [compareRun('small', 4, 0.001, 0.4), compareRun('medium', 8, 0.002, 0.2), compareRun('large', 16, 0.002, 0.1)],
      differing: ['model.latent.size', 'training.learningRate'],
    };
    await send(page, { type: 'compare', runs: 'not runs' });
    await send(page, message);
    await waitUntilReady(page);
    assert.equal(await page.$$eval('#compare-table th.run-col', (c) => c.length), 3);
    assert.deepEqual(await page.$$eval('#compare-table tr[data-key]', (rows) => rows.map((r) => r.getAttribute('data-key'))), ['model.latent.size', 'training.learningRate']);
    assert.deepEqual(await page.$$eval('#hparam-select option', (o) => o.map((x) => x.textContent)), ['model.latent.size', 'training.learningRate']);
    assert.ok((await inkShare(page, '#curves-chart')) > 0.01, 'loss curves drawn');
    assert.ok((await inkShare(page, '#scatter-chart')) > 0.005, 'scatter drawn');
    await page.selectOption('#hparam-select', 'training.learningRate');
    assert.ok((await inkShare(page, '#scatter-chart')) > 0.005, 'scatter redrawn for the learning rate');
    await page.screenshot({ path: path.join(workDir, 'compare.png'), fullPage: true });
    if (process.env.TSAE_KEEP_SCREENSHOTS) fs.copyFileSync(path.join(workDir, 'compare.png'), process.env.TSAE_KEEP_SCREENSHOTS);
    // Only the malformed message is complained about.
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('gradient chart: exact zeros stay visible on the log axis, a toggle switches to linear; early epochs are points', async () => {
    const { page, problems } = await open('dashboard');
    const run = runData('dead-gradient');
    run.metrics = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, valLoss: 1.1 / epoch, lr: 0.001, seconds: epoch, gradNorms: { encoder: 0.5 / epoch, latent: 0 } }));
    await send(page, { type: 'init', run } satisfies HostToWebview);
    await waitUntilReady(page);
    await waitInPage(page, () => (globalThis as unknown as PageGlobals).document.querySelector('#grad-block')?.hidden === false);
    const logInk = await inkShare(page, '#grad-chart');
    assert.ok(logInk > 0.005, `log axis drawn (${logInk})`);
    assert.equal(await page.textContent('#grad-scale'), 'Linear axis');
    await page.click('#grad-scale');
    assert.equal(await page.textContent('#grad-scale'), 'Log axis');
    const linearInk = await inkShare(page, '#grad-chart');
    assert.ok(linearInk > 0.005 && linearInk !== logInk, `linear axis drawn differently (${linearInk} vs ${logInk})`);
    // Three epochs: the loss chart draws points, so a one-epoch run would still show.
    assert.ok((await inkShare(page, '#loss-chart')) > 0.01);
    await page.dblclick('#loss-chart');
    await page.screenshot({ path: path.join(workDir, 'gradient.png'), fullPage: true });
    if (process.env.TSAE_KEEP_GRADIENT) fs.copyFileSync(path.join(workDir, 'gradient.png'), process.env.TSAE_KEEP_GRADIENT);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
