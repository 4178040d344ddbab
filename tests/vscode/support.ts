// Helpers the extension-host suites share: find the extension and the workspace, wait for
// diagnostics and files with explicit timeouts (events and polling of real state, no fixed sleeps).

import * as vscode from 'vscode';

export const EXTENSION_ID = 'tsae-lab.tsae';

/** The shape activate() resolves to (src/extension/extension.ts TsaeApi), as the tests use it. */
export interface ApiUnderTest {
  ctx: { runsDirFor(uri: vscode.Uri): string };
  client: { state: number; isRunning?(): boolean } | undefined;
}

export async function activeApi(): Promise<ApiUnderTest> {
  const extension = vscode.extensions.getExtension<ApiUnderTest>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
  return extension.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test session has no workspace folder open');
  return folder.uri.fsPath;
}

export function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function tsaeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => /^TSAE\d{3}$/.test(codeOf(d)));
}

/** Resolves with the document's TSAE diagnostics once `ready` accepts them. */
export function waitForDiagnostics(uri: vscode.Uri, ready: (diagnostics: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (result: vscode.Diagnostic[] | Error) => {
      if (done) return;
      done = true;
      subscription.dispose();
      clearTimeout(timer);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const check = () => {
      const current = tsaeDiagnostics(uri);
      if (ready(current)) finish(current);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      const have = tsaeDiagnostics(uri).map((d) => `${codeOf(d)}@${d.range.start.line + 1}`);
      finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${uri.fsPath}; diagnostics now: [${have.join(', ')}]`));
    }, timeoutMs);
    check();
  });
}

/** Polls until `probe` returns a value; for state outside VS Code's events (files written by the worker). */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { runsOnDisk, type RunOnDisk } from '../e2e/runs';

/** Codes named on `# expect:` lines of a pitfall example (e.g. `# expect: TSAE101 TSAE104`). */
export function expectedCodes(text: string): string[] {
  const codes = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*#\s*expect\s*:(.*)$/i.exec(line);
    if (!m) continue;
    for (const code of m[1].match(/TSAE\d{3}/g) ?? []) codes.add(code);
  }
  return [...codes].sort();
}
