// Workspace Trust: linting works everywhere, training (and resuming a run) reads data files and
// runs model code, so it needs a trusted folder. The Train command and its editor button stay
// visible in an untrusted folder; using them says why nothing starts and offers to manage trust.

import * as vscode from 'vscode';
import type { TsaeContext } from './ctx';

export const MANAGE_TRUST = 'Manage Workspace Trust';

/** The message an untrusted folder gets for `what` ("Training x.tsae.yaml", "Resuming a run"). */
export function untrustedMessage(what: string): string {
  return `TSAE: ${what} is disabled because this folder is not trusted: training reads data files and runs model code. Linting still works. Trust the folder to train.`;
}

/**
 * Says why `what` does not start, with a button that opens the trust editor. Not awaited: the
 * command returns at once instead of waiting until the notification is dismissed.
 */
export function refuseUntrusted(ctx: TsaeContext, what: string): void {
  ctx.output.warn(`refused: ${what}: the workspace is not trusted`);
  void vscode.window
    .showErrorMessage(untrustedMessage(what), MANAGE_TRUST)
    .then((answer) => (answer === MANAGE_TRUST ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
}

/** Logs when the folder becomes trusted (training becomes available without a reload). */
export function watchTrust(ctx: TsaeContext): void {
  ctx.pushCleanup(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      ctx.output.info('workspace trusted: training is available');
      // An untrusted server reads no data outside the workspace (TSAE007); trust lifts that.
      void ctx.restartServer();
    }),
  );
}
