// Findings -> LSP diagnostics. A published diagnostic keeps its fix beside it (in `data` for the
// client, and in the server's own list) so a code action can carry the edit without a round trip.

import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../core/types';
import { docUrl } from '../core/rules/docs';

export const DIAGNOSTIC_SOURCE = 'tsae';

/** What a client that supports diagnostic capabilities gets; the rest is left out for the others. */
export interface DiagnosticSupport {
  codeDescription: boolean;
  relatedInformation: boolean;
}

/** A published diagnostic and the fix it offers. */
export interface DiagnosticEntry {
  diagnostic: Diagnostic;
  fix?: Fix;
}

export interface DiagnosticData {
  fix?: Fix;
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnosticEntry(finding: Finding, support: DiagnosticSupport, relatedInformation?: DiagnosticRelatedInformation[]): DiagnosticEntry {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITIES[finding.severity] ?? DiagnosticSeverity.Error,
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (support.codeDescription) diagnostic.codeDescription = { href: docUrl(finding.code) };
  if (support.relatedInformation && relatedInformation && relatedInformation.length > 0) {
    diagnostic.relatedInformation = relatedInformation;
  }
  if (finding.fix) diagnostic.data = { fix: finding.fix } satisfies DiagnosticData;
  return { diagnostic, fix: finding.fix };
}

/** The finding that stands in for a lint that threw: the user sees it, the server lives on. */
export function internalErrorFinding(error: unknown): Finding {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    code: 'TSAE000',
    severity: 'error',
    message: `internal error: ${reason}`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    configPath: '',
  };
}
