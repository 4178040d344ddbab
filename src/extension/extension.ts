// Entry point: one TsaeContext owns everything (client, settings, active runs, status bar, panel
// state, disposables); the command table registers every command; the language client lints
// configs (also in untrusted workspaces: the server only reads files).

import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { TsaeContext } from './ctx';
import { registerPanels } from './panels/index';
import { RunFindingsForwarder } from './runFindings';
import { watchTrust } from './trust';

/** What `activate` returns; the extension-host tests drive the extension through it. */
export interface TsaeApi {
  readonly ctx: TsaeContext;
  /** The language client; undefined once the extension is deactivated. */
  readonly client: LanguageClient | undefined;
}

let current: TsaeContext | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<TsaeApi> {
  const ctx = new TsaeContext(extension);
  current = ctx;
  extension.subscriptions.push(ctx);

  registerCommands(ctx);
  ctx.pushCleanup(ctx.settings.onServerSettingsChanged(() => ctx.restartServer()));
  ctx.pushCleanup(new RunFindingsForwarder(ctx));
  watchTrust(ctx);
  registerPanels(ctx);

  await ctx.startServer();

  return {
    ctx,
    get client() {
      return ctx.client;
    },
  };
}

export async function deactivate(): Promise<void> {
  await current?.stopServer();
  current = undefined;
}
