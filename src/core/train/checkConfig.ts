// The check a config passes before it trains: the same lint as the editor and `tsae lint` (a
// TSAE0xx error does not train), then resolution. No tfjs here: the host runs it before it creates
// a run's folder and starts the worker, and the worker runs it again on the text the host checked.

import type { ParsedConfig } from '../config/document';
import type { ResolvedConfig } from '../config/types';
import { blocksTraining, lintText, resolveConfig } from '../lint';
import type { ErrorLocation } from '../protocol/worker';
import type { Finding } from '../types';

export type Resolved = { config: ResolvedConfig; parsed: ParsedConfig } | { error: string; location: ErrorLocation };

/** The same checks as the editor and `tsae lint`: an invalid config (TSAE0xx error) does not train. */
export function resolveText(text: string, configFile: string): Resolved {
  const lint = lintText(text, { fileName: configFile });
  const errors = lint.findings.filter(blocksTraining);
  if (errors.length > 0 || lint.parsed === undefined) {
    const first = errors[0];
    const lines = errors.map((f) => `${configFile}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.code} ${f.message}`);
    return {
      error: `the config has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before training:\n${lines.join('\n')}`,
      location: first ? findingLocation(configFile, first) : { file: configFile },
    };
  }
  try {
    return { config: resolveConfig(lint.parsed.value, configFile), parsed: lint.parsed };
  } catch (err) {
    return { error: (err as Error).message, location: { file: configFile } };
  }
}

function findingLocation(file: string, finding: Finding): ErrorLocation {
  return { file, line: finding.range.start.line + 1, column: finding.range.start.character + 1, field: finding.configPath };
}
