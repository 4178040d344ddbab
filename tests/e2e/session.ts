// One real-VS-Code session for a browser suite: code-server on a workspace folder with TSAE
// installed, headless chromium on its workbench, and `step`, which on failure saves a screenshot
// and adds the server and browser log tails to the error. What was started is stopped again when
// a later part fails to start, so a failed before() leaves no code-server or chromium behind.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { activationError, assertPrerequisites, launchBrowser, repoRoot, startCodeServer, type CodeServer } from './harness';
import { openWorkbench, type WorkbenchReady } from './uiSteps';

export const SCREENSHOTS = join(repoRoot(), 'test-results', 'screenshots');

export interface SessionOptions {
  workspace: string;
  /** Prepended to every screenshot's name, e.g. "timeline-"; FAILED-<prefix><step>.png on failure. */
  screenshotPrefix?: string;
  workbench: WorkbenchReady;
}

export interface UiSession {
  server: CodeServer;
  page: Page;
  /** The page's console lines, oldest first. */
  browserLog: string[];
  /** Saves test-results/screenshots/<prefix><name>.png. */
  shot(name: string): Promise<void>;
  /** Runs a step of a test; on failure the error names the step, the screenshot and the log tails. */
  step(name: string, body: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startSession(options: SessionOptions): Promise<UiSession> {
  assertPrerequisites();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const prefix = options.screenshotPrefix ?? '';
  // Installed as a user has it (not a development host, where code-server ignores the user
  // settings and so the dark theme): linked from the checkout into a fresh extensions dir.
  const server = await startCodeServer({ workspace: options.workspace, trust: 'trusted', installExtension: repoRoot() });
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const close = async () => {
    await browser?.close();
    await server.stop();
  };
  try {
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    const browserLog: string[] = [];
    page.on('console', (m) => browserLog.push(`[${m.type()}] ${m.text()}`));
    const shot = async (name: string) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${prefix}${name}.png`) });
    };
    const step = async (name: string, body: () => Promise<void>) => {
      try {
        await body();
      } catch (error) {
        const screenshot = `FAILED-${prefix}${name}.png`;
        await page.screenshot({ path: join(SCREENSHOTS, screenshot) }).catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        const activation = activationError(server);
        throw new Error(
          `${name}: ${message}${activation ? `\nTSAE failed to activate:\n${activation}` : ''}\nscreenshot: test-results/screenshots/${screenshot}\n--- server log ---\n${server.logTail(20)}\n--- browser console ---\n${browserLog.slice(-20).join('\n')}`,
        );
      }
    };
    await openWorkbench(page, server.url(), options.workbench);
    return { server, page, browserLog, shot, step, close };
  } catch (error) {
    await close();
    throw error;
  }
}
