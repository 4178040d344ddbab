// The `tsae/` extensions to the Language Server Protocol, in one place (after rust-analyzer's
// lsp_ext.ts). Each message names who sends it to whom. The server and the extension both import
// this file; nothing here may depend on `vscode`.

import { ProtocolNotificationType } from 'vscode-languageserver-protocol';
import type { RunFinding } from '../run/types';

/**
 * Client -> server: the findings of a finished (or failed) training run for one config.
 *
 * The server shows them next to the static diagnostics, each on the config line it blames, until
 * the config text no longer hashes to `configHash` or a newer notification for the same `uri`
 * replaces them. An empty `findings` list clears the run's diagnostics.
 */
export interface RunFindingsParams {
  /** The config document's URI, as the client sends it in `textDocument/didOpen`. */
  uri: string;
  /** Absolute path of the run folder (`.tsae/runs/<timestamp>-<name>`). */
  runDir: string;
  /** Shown in front of each message so a user can tell which run produced it. */
  runName: string;
  /** sha256 (hex) of the config text the run was started with. */
  configHash: string;
  findings: RunFinding[];
}

export const RunFindingsNotification = new ProtocolNotificationType<RunFindingsParams, void>('tsae/runFindings');

/** What the client passes as `initializationOptions`; every field is optional. */
export interface TsaeServerOptions {
  /** Delay between the last edit and the lint, in ms. 0 lints on the next turn of the event loop. */
  debounceMs?: number;
  /**
   * Whether the workspace is trusted (VS Code's Workspace Trust). When false, the server reads
   * data files only inside the workspace folders. Default true, for clients without trust.
   */
  trusted?: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 100;

/** Reads `initializationOptions` defensively: the server must start whatever a client sends. */
export function readServerOptions(raw: unknown): Required<TsaeServerOptions> {
  const options = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const debounce = options.debounceMs;
  return {
    debounceMs: typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0 ? debounce : DEFAULT_DEBOUNCE_MS,
    trusted: options.trusted !== false,
  };
}

/** Guards `tsae/runFindings` params, which come from another process. */
export function isRunFindingsParams(value: unknown): value is RunFindingsParams {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.uri === 'string' &&
    typeof v.runDir === 'string' &&
    typeof v.runName === 'string' &&
    typeof v.configHash === 'string' &&
    Array.isArray(v.findings) &&
    v.findings.every(isRunFinding)
  );
}

function isRunFinding(value: unknown): value is RunFinding {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.code === 'string' &&
    typeof f.message === 'string' &&
    typeof f.configPath === 'string' &&
    (f.severity === 'error' || f.severity === 'warning' || f.severity === 'info' || f.severity === 'hint')
  );
}
