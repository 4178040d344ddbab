// Findings of training runs (TSAE2xx), sent by the client after a run with `tsae/runFindings`.
// They describe the config text the run used, so they live only as long as the document still
// hashes to that text; a newer notification for the same document replaces them.

import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { RunFindingsParams } from '../core/protocol/lsp';
import type { Finding, Fix } from '../core/types';
import type { RunFinding } from '../core/run/types';
import { RUN_FILES } from '../core/run/types';
import { findRange } from '../core/lint';
import { configChangeEdits } from '../core/fixes/configChanges';
import { toDiagnosticEntry, type DiagnosticEntry, type DiagnosticSupport } from './diagnostics';
import type { ParsedConfig } from './linting';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class RunFindingsStore {
  private readonly byUri = new Map<string, RunFindingsParams>();

  /** Replaces what is known for `params.uri`; an empty list forgets it. */
  set(params: RunFindingsParams): void {
    if (params.findings.length === 0) this.byUri.delete(params.uri);
    else this.byUri.set(params.uri, params);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  has(uri: string): boolean {
    return this.byUri.has(uri);
  }

  /**
   * Diagnostics for the run findings of `uri`, placed in the current text. Forgets them (and
   * returns none) once the text is no longer the one the run was started with.
   */
  entriesFor(uri: string, text: string, parsed: ParsedConfig | undefined, support: DiagnosticSupport, fileName: string): DiagnosticEntry[] {
    const run = this.byUri.get(uri);
    if (!run) return [];
    if (sha256Hex(text) !== run.configHash) {
      this.byUri.delete(uri);
      return [];
    }
    if (parsed === undefined) return [];
    return run.findings.map((finding) => runFindingEntry(finding, run, parsed, support, fileName));
  }
}

function runFindingEntry(runFinding: RunFinding, run: RunFindingsParams, parsed: ParsedConfig, support: DiagnosticSupport, fileName: string): DiagnosticEntry {
  const finding: Finding = {
    code: runFinding.code,
    severity: runFinding.severity,
    message: `${run.runName}: ${runFinding.message}`,
    range: findRange(parsed, runFinding.configPath),
    configPath: runFinding.configPath,
    fix: runFinding.fix ? configChangeFix(parsed, runFinding.fix, fileName) : undefined,
    data: runFinding.data,
  };
  const summary: DiagnosticRelatedInformation = {
    location: {
      uri: pathToFileURL(join(run.runDir, RUN_FILES.summary)).toString(),
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    },
    message: runFinding.epoch === undefined ? `run ${run.runName}` : `run ${run.runName}, epoch ${runFinding.epoch}`,
  };
  return toDiagnosticEntry(finding, support, [summary]);
}

/**
 * A run finding's fix as edits in the current text. It changes what the model does, so it is
 * offered but never preferred or applied in bulk, whatever safety the detector gave it.
 */
function configChangeFix(parsed: ParsedConfig, fix: NonNullable<RunFinding['fix']>, fileName: string): Fix | undefined {
  const edits = configChangeEdits(parsed.text, fileName, fix.changes);
  if (edits.length === 0) return undefined;
  return { ...fix, safety: 'unsafe', edits };
}
