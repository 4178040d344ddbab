// Entry point: one TsaeContext owns everything; the language client lints configs (also in
// untrusted workspaces: the server only reads files), training and panels hang off the context.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TsaeContext } from './ctx';
import { createLanguageClient, RunFindingsForwarder } from './client';
import { onServerSettingsChanged } from './config';
import { registerPanels } from './panels/index';
import { registerTraining } from './training';
import { registerRunCommands } from './runCommands';
import { registerPythonCommands } from './pythonCommands';

/** What `activate` returns; the extension-host tests drive the extension through it. */
export interface TsaeApi {
  readonly ctx: TsaeContext;
  /** The language client; undefined once the extension is deactivated. */
  readonly client: LanguageClient | undefined;
}

let client: LanguageClient | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<TsaeApi> {
  const ctx = new TsaeContext(extension);
  extension.subscriptions.push(ctx);

  ctx.pushCleanup(vscode.commands.registerCommand('tsae.restartServer', () => restartServer(ctx)));
  ctx.pushCleanup(vscode.commands.registerCommand('tsae.showOutput', () => ctx.output.show()));
  ctx.pushCleanup(onServerSettingsChanged(() => restartServer(ctx)));
  ctx.pushCleanup(new RunFindingsForwarder(ctx, () => client));

  registerTraining(ctx);
  registerRunCommands(ctx);
  registerPythonCommands(ctx);
  registerPanels(ctx);

  await startServer(ctx);

  return {
    ctx,
    get client() {
      return client;
    },
  };
}

export async function deactivate(): Promise<void> {
  await stopServer();
}

async function startServer(ctx: TsaeContext): Promise<void> {
  client ??= createLanguageClient(ctx);
  try {
    await client.start();
  } catch (error) {
    // Linting is lost but training and panels still work; the output says why.
    ctx.output.error(`TSAE language server failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function stopServer(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.needsStop()) await running.stop();
}

async function restartServer(ctx: TsaeContext): Promise<void> {
  if (!client) return startServer(ctx);
  try {
    await client.restart();
    ctx.output.info('TSAE language server restarted');
  } catch (error) {
    ctx.output.error(`TSAE language server failed to restart: ${error instanceof Error ? error.message : String(error)}`);
  }
}
