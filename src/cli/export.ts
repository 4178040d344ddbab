// `tsae export CONFIG --to pytorch [--out FILE]`: writes a self-contained PyTorch training script
// for a config (same data pipeline, model, initialisation, optimizer and loss; torchrun-ready).
// Exit 0 on success, 1 when the config cannot be loaded or exported (the message names the
// field), 2 on a usage error.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile } from '../core/lint';
import { ExportError, pytorchScript } from '../core/export/pytorch';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo, processIo } from './io';

export const EXPORT_USAGE = `Usage: tsae export CONFIG --to pytorch [--out FILE]

Writes a readable PyTorch training script for CONFIG: the same windows, scaling, model,
initialisation, optimizer and loss as tsae train. Run it with python3, or with torchrun for
DistributedDataParallel. Default output: CONFIG's name with .py, beside the config.
`;

export async function runExport(argv: string[], io: CliIo = processIo()): Promise<number> {
  let config: string | undefined;
  let to: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      io.stdout(EXPORT_USAGE);
      return EXIT_OK;
    }
    if (arg === '--to') to = argv[++i];
    else if (arg.startsWith('--to=')) to = arg.slice(5);
    else if (arg === '--out') out = argv[++i];
    else if (arg.startsWith('--out=')) out = arg.slice(6);
    else if (arg.startsWith('-')) return usage(io, `unknown option ${arg}`);
    else if (config === undefined) config = arg;
    else return usage(io, `one config at a time (got ${config} and ${arg})`);
  }
  if (!config) return usage(io, 'no config given');
  if (to !== 'pytorch') return usage(io, to === undefined ? '--to is required (pytorch)' : `cannot export to ${to}; use --to pytorch`);
  const file = path.resolve(io.cwd, config);
  const { resolved, findings } = loadConfigFile(file);
  if (!resolved) {
    const errors = findings.filter((f) => f.severity === 'error').map((f) => `  ${config}:${f.range.start.line + 1}: ${f.code} ${f.message}`);
    io.stderr(`tsae export: ${config} cannot be loaded:\n${errors.join('\n')}\n`);
    return EXIT_FINDINGS;
  }
  let script: string;
  try {
    script = pytorchScript(resolved);
  } catch (error) {
    if (error instanceof ExportError) {
      io.stderr(`tsae export: ${config}: ${error.message}\n`);
      return EXIT_FINDINGS;
    }
    throw error;
  }
  const target = path.resolve(io.cwd, out ?? file.replace(/(\.tsae)?\.(ya?ml|json)$/i, '.py'));
  fs.writeFileSync(target, script);
  io.stderr(`wrote ${path.relative(io.cwd, target) || target}\n`);
  return EXIT_OK;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`tsae export: ${message}\n\n${EXPORT_USAGE}`);
  return EXIT_USAGE;
}
