// "TSAE: New Config from Data File...": pick a CSV or UCR file, read it through the core
// inspection, write a commented config with sensible defaults next to the workspace root, open
// it, and offer to train it. Works in untrusted folders too (it reads only the file the user
// picked); training from the offer goes through tsae.train, which says why it is disabled there.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { proposeConfig, type ProposedConfig } from '../core/config/fromData';
import { inspectDataFile } from '../core/data/inspect';
import type { TsaeContext } from './ctx';

export interface NewConfigResult {
  configFile: string;
  choices: ProposedConfig['choices'];
}

/** Options a caller (a test, a keybinding) may pass; anything ill-typed is ignored. */
interface NewConfigOptions {
  /** Absolute path of the config to write (default: `<folder>/<data name>.tsae.yaml`, never overwriting). */
  configFile?: string;
  /** Skip the "Train now?" notification (tests that train themselves). */
  noTrainOffer?: boolean;
}

function sanitise(value: unknown): NewConfigOptions {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v.configFile === 'string' && path.isAbsolute(v.configFile) && /\.tsae\.ya?ml$/i.test(v.configFile) ? { configFile: v.configFile } : {}),
    ...(v.noTrainOffer === true ? { noTrainOffer: true } : {}),
  };
}

export async function createConfigFromData(ctx: TsaeContext, dataArg?: unknown, optionsArg?: unknown): Promise<NewConfigResult | undefined> {
  const options = sanitise(optionsArg);
  const dataUri = dataArg instanceof vscode.Uri ? dataArg : typeof dataArg === 'string' && path.isAbsolute(dataArg) ? vscode.Uri.file(dataArg) : await pickDataFile();
  if (!dataUri) return undefined;
  if (dataUri.scheme !== 'file') {
    void vscode.window.showErrorMessage('TSAE: the data file must be on disk to make a config from it.');
    return undefined;
  }
  const dataFile = dataUri.fsPath;
  const configFile = options.configFile ?? freeConfigName(dataUri);
  let proposal: ProposedConfig;
  try {
    const inspection = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `TSAE: reading ${path.basename(dataFile)}` }, () =>
      inspectDataFile(dataFile),
    );
    proposal = proposeConfig(inspection, configFile);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.error(`new config from ${dataFile}: ${message}`);
    void vscode.window.showErrorMessage(`TSAE: cannot make a config from ${path.basename(dataFile)}: ${message}`);
    return undefined;
  }
  await vscode.workspace.fs.writeFile(vscode.Uri.file(configFile), Buffer.from(proposal.text, 'utf8'));
  ctx.output.info(`wrote ${configFile} from ${dataFile}: window ${proposal.choices.window}, latent ${proposal.choices.latent}, ${proposal.choices.epochs} epochs`);
  await vscode.window.showTextDocument(vscode.Uri.file(configFile), { preview: false });
  if (!options.noTrainOffer) offerTraining(configFile, proposal);
  return { configFile, choices: proposal.choices };
}

async function pickDataFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Make TSAE Config',
    title: 'TSAE: data file (CSV with a header, or UCR: one sequence per line)',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Time series': ['csv', 'txt', 'tsv', 'data'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** `<workspace folder or data folder>/<data name>.tsae.yaml`, with -2, -3... when taken. */
function freeConfigName(dataUri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(dataUri)?.uri.fsPath ?? path.dirname(dataUri.fsPath);
  const base =
    path
      .basename(dataUri.fsPath)
      .replace(/\.[^.]+$/, '')
      .replace(/[^A-Za-z0-9_.-]+/g, '-') || 'data';
  for (let i = 1; ; i++) {
    const candidate = path.join(folder, `${base}${i === 1 ? '' : `-${i}`}.tsae.yaml`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** Not awaited: the command returns once the config is open; the offer stays until answered. */
function offerTraining(configFile: string, proposal: ProposedConfig): void {
  const train = 'Train Now';
  const c = proposal.choices;
  const message = `TSAE: wrote ${path.basename(configFile)}: windows of ${c.window} steps, latent ${c.latent} (${c.compression.toFixed(1)}:1), ${c.epochs} epochs (about a minute). Train it now?`;
  void vscode.window
    .showInformationMessage(message, train)
    .then((answer) => (answer === train ? vscode.commands.executeCommand('tsae.train', vscode.Uri.file(configFile)) : undefined));
}
