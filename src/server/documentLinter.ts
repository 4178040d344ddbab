// Decides when a document is linted and what gets published for it: debounced per document,
// stale results dropped, static and run findings merged into one diagnostics list.

import { readFileSync } from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { DiagnosticEntry, DiagnosticSupport } from './diagnostics';
import { toDiagnosticEntry } from './diagnostics';
import { fileNameOf, filePathOf } from './documentKinds';
import { lintPythonSafely, lintSafely, type ParsedConfig } from './linting';
import type { LintResult } from '../core/lint';
import { RunFindingsStore } from './runFindings';
import type { LintedDocument } from './codeActions';

/** The text to lint: an open document, or a closed config read from disk. */
export interface DocumentSource {
  text: string;
  /** Undefined for text read from disk. */
  version: number | undefined;
  /** Python code goes through the Python front end; the default is a TSAE config. */
  kind?: 'config' | 'python';
}

export interface DocumentLinterHost {
  /** The open TSAE document with this URI, if any. */
  openDocument(uri: string): DocumentSource | undefined;
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  log(message: string): void;
}

interface LintState extends LintedDocument {
  parsed: ParsedConfig | undefined;
  dataFiles: Set<string>;
  result: LintResult | undefined;
}

export class DocumentLinter {
  readonly runFindings = new RunFindingsStore();
  private readonly states = new Map<string, LintState>();
  private readonly timers = new Map<string, NodeJS.Timeout | NodeJS.Immediate>();

  constructor(
    private readonly host: DocumentLinterHost,
    private readonly support: DiagnosticSupport,
    private readonly debounceMs: number,
  ) {}

  /** Lints after the debounce delay; a document never linted before is linted at once. */
  schedule(uri: string): void {
    this.schedulePass(uri, this.states.has(uri) ? this.debounceMs : 0);
  }

  lintSoon(uri: string): void {
    this.schedulePass(uri, 0);
  }

  /**
   * The lint of `uri` at its current version, with the diagnostics and fixes published for it.
   * A pending (debounced) lint runs now: a fix computed for an older text would edit the wrong
   * characters.
   */
  linted(uri: string): LintedDocument | undefined {
    const current = this.host.openDocument(uri);
    if (current && this.states.get(uri)?.version !== current.version) {
      this.cancel(uri);
      this.lintNow(uri);
    }
    return this.states.get(uri);
  }

  /**
   * The core's lint result for the open config `uri` at its current version (linted now when a
   * debounced lint is pending), for hovers: a hover needs the same parse, probe and findings, and
   * hovers come with every mouse move. Undefined for Python or when the lint threw.
   */
  lintResult(uri: string): LintResult | undefined {
    const state = this.linted(uri) as LintState | undefined;
    const current = this.host.openDocument(uri);
    return current && state && state.version === current.version && state.text === current.text ? state.result : undefined;
  }

  /** A document was closed: keep showing its run findings from the file on disk, else clear. */
  closed(uri: string): void {
    this.cancel(uri);
    this.states.delete(uri);
    if (this.runFindings.has(uri)) this.lintSoon(uri);
    else this.host.publish(uri, undefined, []);
  }

  /** A data file changed on disk: re-lint every document whose last lint read it. */
  dataFileChanged(path: string): void {
    for (const [uri, state] of this.states) {
      if (state.dataFiles.has(path)) this.lintSoon(uri);
    }
  }

  dispose(): void {
    for (const uri of [...this.timers.keys()]) this.cancel(uri);
  }

  private schedulePass(uri: string, delayMs: number): void {
    this.cancel(uri);
    const run = (): void => {
      this.timers.delete(uri);
      try {
        this.lintNow(uri);
      } catch (error) {
        this.host.log(`lint pass for ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    };
    // setImmediate still lets a burst of queued changes collapse into one lint.
    this.timers.set(uri, delayMs > 0 ? setTimeout(run, delayMs) : setImmediate(run));
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer === undefined) return;
    this.timers.delete(uri);
    clearTimeout(timer as NodeJS.Timeout);
    clearImmediate(timer as NodeJS.Immediate);
  }

  private lintNow(uri: string): void {
    const source = this.host.openDocument(uri) ?? this.closedConfigWithRunFindings(uri);
    if (!source) {
      this.states.delete(uri);
      this.host.publish(uri, undefined, []);
      return;
    }
    const outcome =
      source.kind === 'python' ? lintPythonSafely(source.text, fileNameOf(uri), (m) => this.host.log(m)) : lintSafely(source.text, fileNameOf(uri), (m) => this.host.log(m));
    const runEntries = this.runFindings.entriesFor(uri, source.text, outcome.parsed, this.support, fileNameOf(uri));
    if (source.version === undefined) {
      // A closed config shows only what its runs found: static findings appear when it is
      // opened, and nothing would clear them here once the run findings are gone. Closed
      // documents keep no state, so their next open lints at once.
      this.states.delete(uri);
      this.host.publish(
        uri,
        undefined,
        runEntries.map((e) => e.diagnostic),
      );
      return;
    }
    const entries: DiagnosticEntry[] = [...outcome.findings.map((finding) => toDiagnosticEntry(finding, this.support)), ...runEntries];
    this.states.set(uri, {
      uri,
      version: source.version,
      text: source.text,
      fileName: fileNameOf(uri),
      kind: source.kind ?? 'config',
      entries,
      parsed: outcome.parsed,
      dataFiles: outcome.dataFiles,
      result: outcome.result,
    });
    this.host.publish(
      uri,
      source.version,
      entries.map((e) => e.diagnostic),
    );
  }

  private closedConfigWithRunFindings(uri: string): DocumentSource | undefined {
    if (!this.runFindings.has(uri)) return undefined;
    const path = filePathOf(uri);
    if (!path) return undefined;
    try {
      return { text: readFileSync(path, 'utf8'), version: undefined };
    } catch (error) {
      // Deleted or unreadable: there is no line left to put the findings on.
      this.host.log(`cannot read ${path} to place run findings: ${error instanceof Error ? error.message : String(error)}`);
      this.runFindings.forget(uri);
      return undefined;
    }
  }
}
