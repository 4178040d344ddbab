// What the dashboard's finding buttons do in the editor: reveal the blamed config key, and apply
// the language server's quick fix for a finding, save, and train again.

import * as vscode from 'vscode';
import type { RunData } from '../../core/protocol/webview';
import type { RunFinding } from '../../core/run/types';
import { formatOf, locateConfigPath } from './configLocate';
import { describeError, type PanelServices } from './services';

/** How long to wait for the language server to publish a run's diagnostics on a config it just opened. */
const DIAGNOSTICS_TIMEOUT_MS = 5000;
/** Code actions whose edit VS Code resolves for us; a config line never has more quick fixes than this. */
const MAX_RESOLVED_ACTIONS = 20;

/** A diagnostic's code as a string: VS Code wraps it in `{ value, target }` when the server sends a docs link. */
export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Opens the config beside the panel and selects the key `configPath`. Returns false when the key was not found. */
export async function revealConfigKey(configFile: string, code: string, configPath: string): Promise<boolean> {
  const uri = vscode.Uri.file(configFile);
  const doc = await vscode.workspace.openTextDocument(uri);
  const located = locateConfigPath(doc.getText(), configPath, formatOf(doc.fileName));
  const diagnostics = vscode.languages.getDiagnostics(uri).filter((d) => diagnosticCode(d) === code);
  // The server's range is the most precise; take it when it sits on the key we located (or when we located nothing).
  const diagnostic = located ? diagnostics.find((d) => d.range.start.line === located.line) : diagnostics[0];
  let range: vscode.Range;
  if (diagnostic) range = diagnostic.range;
  else if (located) range = doc.lineAt(located.line).range.with(new vscode.Position(located.line, located.character));
  else range = new vscode.Range(0, 0, 0, 0);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const editor = await vscode.window.showTextDocument(doc, {
    viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside,
    preview: false,
    selection: range,
  });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return diagnostic !== undefined || located !== undefined;
}

/** Resolves with the first diagnostic of `uri` that `accept`s, waiting for publications up to `timeoutMs`. */
export function waitForDiagnostic(uri: vscode.Uri, accept: (d: vscode.Diagnostic) => boolean, timeoutMs: number): Promise<vscode.Diagnostic | undefined> {
  const now = vscode.languages.getDiagnostics(uri).find(accept);
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (d: vscode.Diagnostic | undefined): void => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(d);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const found = vscode.languages.getDiagnostics(uri).find(accept);
      if (found) finish(found);
    });
  });
}

export type FixOutcome = { ok: true; text: string } | { ok: false; text: string };

/**
 * Applies the quick fix the language server offers for `finding` (its diagnostic carries the
 * detector's fix as an edit), saves the config, and starts a new run that the new dashboard
 * compares with `run`. The edit comes from the server so the extension never re-implements
 * config editing; when the server has no such fix (config edited since the run), nothing changes.
 */
export async function applyFixAndRetrain(services: PanelServices, run: RunData, finding: RunFinding): Promise<FixOutcome> {
  const fix = finding.fix;
  if (!fix) return { ok: false, text: `${finding.code} has no automatic fix.` };
  const configFile = run.summary.configFile;
  const uri = vscode.Uri.file(configFile);
  const doc = await vscode.workspace.openTextDocument(uri);
  const diagnostic =
    (await waitForDiagnostic(uri, (d) => diagnosticCode(d) === finding.code && d.message.endsWith(finding.message), DIAGNOSTICS_TIMEOUT_MS)) ??
    vscode.languages.getDiagnostics(uri).find((d) => diagnosticCode(d) === finding.code);
  if (!diagnostic) {
    return {
      ok: false,
      text: `No ${finding.code} diagnostic on ${vscode.workspace.asRelativePath(uri)}: the config changed since this run, or the language server is not running.`,
    };
  }
  const actions =
    (await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
      // Resolve edits of lazily resolved actions too (ours carry theirs, others' may not).
      MAX_RESOLVED_ACTIONS,
    )) ?? [];
  // Results may be plain objects rather than CodeAction instances, so look at the fields.
  const editable = actions.filter((a): a is vscode.CodeAction => (a as vscode.CodeAction).edit !== undefined);
  const forFinding = (a: vscode.CodeAction): boolean => (a.diagnostics ?? []).some((d) => diagnosticCode(d) === finding.code);
  const action = editable.find((a) => a.title === fix.title && forFinding(a)) ?? editable.find((a) => a.title === fix.title) ?? editable.find(forFinding);
  if (!action?.edit) {
    const offered = actions.map((a) => `"${a.title}"`).join(', ') || 'none';
    return { ok: false, text: `The language server offers no quick fix for ${finding.code} (${fix.title}) on line ${diagnostic.range.start.line + 1}; it offers: ${offered}.` };
  }
  if (!(await vscode.workspace.applyEdit(action.edit))) return { ok: false, text: `Could not apply "${action.title}".` };
  if (!(await doc.save())) return { ok: false, text: `Applied "${action.title}" but could not save ${vscode.workspace.asRelativePath(uri)}.` };

  services.pendingBaselines.set(configFile, run.runDir);
  services.retrain(uri).then(
    () => services.pendingBaselines.delete(configFile),
    (error: unknown) => {
      services.pendingBaselines.delete(configFile);
      services.ctx.output.error(`retraining ${configFile} failed: ${describeError(error)}`);
      void vscode.window.showErrorMessage(`TSAE: retraining failed: ${describeError(error)}`);
    },
  );
  return { ok: true, text: `Applied "${action.title}"; training again. The new run opens compared with this one.` };
}
