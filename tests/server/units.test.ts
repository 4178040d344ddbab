// The server's pure pieces, without a process: which documents count as configs, how quick fixes
// and fix-all are assembled, and how `tsae/` params from another process are checked.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind, DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { codeActionsFor, FIX_ALL_KIND, type LintedDocument } from '../../src/server/codeActions';
import { DIAGNOSTIC_SOURCE, internalErrorFinding, toDiagnosticEntry } from '../../src/server/diagnostics';
import { fileNameOf, filePathOf, isTsaeDocument } from '../../src/server/documentKinds';
import { lintSafely } from '../../src/server/linting';
import { DEFAULT_DEBOUNCE_MS, isRunFindingsParams, readServerOptions } from '../../src/core/protocol/lsp';
import type { Finding, FixSafety } from '../../src/core/types';
import { join } from 'node:path';
import { lintText } from '../../src/core/lint';
import { applyFixes } from '../../src/core/fixes/applyFixes';
import { applyTextEdits } from '../../src/core/fixes/textEdits';
import { DATA_PATH, EXAMPLES_DIR } from './configTexts';

const URI = 'file:///ws/a.tsae.yaml';

function finding(code: string, line: number, safety?: FixSafety): Finding {
  const range = { start: { line, character: 4 }, end: { line, character: 8 } };
  return {
    code,
    severity: 'warning',
    message: `${code} on line ${line}`,
    range,
    configPath: `x.${line}`,
    fix: safety ? { title: `fix ${code}`, safety, changes: [{ path: `x.${line}`, value: 'linear' }], edits: [{ range, newText: 'linear' }] } : undefined,
  };
}

function linted(findings: Finding[], text = '', fileName = '/ws/a.tsae.yaml'): LintedDocument {
  const support = { codeDescription: true, relatedInformation: true };
  return { uri: URI, version: 3, text, fileName, entries: findings.map((f) => toDiagnosticEntry(f, support)) };
}

/** A stateful config with two safe fixes (shuffle off, unreverse the output) and an unsafe one. */
const STATEFUL_YAML = [
  'name: stateful',
  'data:',
  `  path: ${DATA_PATH}`,
  '  timestamp: timestamp',
  '  maxRows: 2000',
  'windowing:',
  '  length: 24',
  '  stride: 24',
  'model:',
  '  encoder:',
  '    - units: 16',
  '  latent:',
  '    size: 8',
  '  decoder:',
  '    - units: 16',
  '  reverseTarget: true',
  '  unreverseOutput: false',
  '  stateful: true',
  'training:',
  '  batchSize: 1',
  '  shuffle: true',
  '',
].join('\n');

describe('documentKinds', () => {
  test('TSAE languages always count, generic ones only with a config file name', () => {
    assert.equal(isTsaeDocument('untitled:Untitled-1', 'tsae-yaml'), true);
    assert.equal(isTsaeDocument('file:///ws/x.json', 'tsae-json'), true);
    assert.equal(isTsaeDocument('file:///ws/model.tsae.yml', 'yaml'), true);
    assert.equal(isTsaeDocument('file:///ws/model.TSAE.json', 'jsonc'), true);
    assert.equal(isTsaeDocument('file:///ws/docker-compose.yaml', 'yaml'), false);
    assert.equal(isTsaeDocument('file:///ws/model.tsae.yaml', 'python'), false);
  });

  test('file names come from file URIs, with escapes decoded', () => {
    assert.equal(fileNameOf('file:///ws/my%20dir/a.tsae.yaml'), '/ws/my dir/a.tsae.yaml');
    assert.equal(filePathOf('untitled:Untitled-1'), undefined);
    assert.equal(fileNameOf('untitled:Untitled-1'), 'Untitled-1');
    // A malformed escape must not throw.
    assert.equal(typeof fileNameOf('file:///ws/%E0%A4%A.tsae.yaml'), 'string');
  });
});

describe('diagnostics', () => {
  test('a finding becomes a diagnostic with code, source, doc link and its fix in data', () => {
    const entry = toDiagnosticEntry(finding('TSAE101', 5, 'unsafe'), { codeDescription: true, relatedInformation: false });
    assert.equal(entry.diagnostic.code, 'TSAE101');
    assert.equal(entry.diagnostic.source, DIAGNOSTIC_SOURCE);
    assert.equal(entry.diagnostic.severity, DiagnosticSeverity.Warning);
    assert.match(entry.diagnostic.codeDescription?.href ?? '', /TSAE101\.md$/);
    assert.deepEqual((entry.diagnostic.data as { fix: unknown }).fix, entry.fix);
  });

  test('without client support the doc link is left out', () => {
    const entry = toDiagnosticEntry(finding('TSAE101', 5), { codeDescription: false, relatedInformation: false });
    assert.equal(entry.diagnostic.codeDescription, undefined);
  });

  test('a thrown error becomes one TSAE000 error at the top of the file', () => {
    const f = internalErrorFinding(new RangeError('boom'));
    assert.equal(f.code, 'TSAE000');
    assert.equal(f.severity, 'error');
    assert.equal(f.message, 'internal error: boom');
  });
});

describe('codeActions', () => {
  const doc = linted([finding('TSAE101', 5, 'unsafe'), finding('TSAE103', 7, 'safe'), finding('TSAE104', 9), finding('TSAE106', 11, 'safe')]);
  const diagnosticsOf = (...codes: string[]): Diagnostic[] => doc.entries.filter((e) => codes.includes(String(e.diagnostic.code))).map((e) => e.diagnostic);

  test('one quick fix per requested diagnostic with a fix, the edit on the action, preferred only when safe', () => {
    const actions = codeActionsFor(doc, { diagnostics: diagnosticsOf('TSAE101', 'TSAE103', 'TSAE104'), documentChanges: false });
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [
        ['fix TSAE101', CodeActionKind.QuickFix, false],
        ['fix TSAE103', CodeActionKind.QuickFix, true],
      ],
    );
    assert.deepEqual(actions[0].edit?.changes?.[URI], doc.entries[0].fix?.edits);
    assert.equal(actions[0].command, undefined);
  });

  test('versioned edits when the client supports documentChanges', () => {
    const [action] = codeActionsFor(doc, { diagnostics: diagnosticsOf('TSAE103'), documentChanges: true });
    assert.deepEqual(action.edit?.documentChanges, [{ textDocument: { uri: URI, version: 3 }, edits: doc.entries[1].fix?.edits }]);
  });

  test('diagnostics from another source or no longer published get no action', () => {
    const foreign = { ...diagnosticsOf('TSAE103')[0], source: 'eslint' };
    const moved = { ...diagnosticsOf('TSAE103')[0], message: 'different text' };
    assert.deepEqual(codeActionsFor(doc, { diagnostics: [foreign, moved], documentChanges: false }), []);
  });

  test('source.fixAll is one edit giving exactly the text tsae lint --fix gives, naming the safe findings', () => {
    const fileName = join(EXAMPLES_DIR, 'stateful.tsae.yaml');
    const lint = lintText(STATEFUL_YAML, { fileName });
    const doc = linted(lint.findings, STATEFUL_YAML, fileName);
    const actions = codeActionsFor(doc, { diagnostics: [], only: [CodeActionKind.SourceFixAll], documentChanges: false });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, FIX_ALL_KIND);
    assert.deepEqual(actions[0].diagnostics?.map((d) => d.code).sort(), ['TSAE108', 'TSAE111']);
    const edits = actions[0].edit?.changes?.[URI] ?? [];
    assert.equal(edits.length, 1);
    const fixed = applyTextEdits(STATEFUL_YAML, edits);
    assert.equal(fixed, applyFixes(STATEFUL_YAML, fileName).text);
    assert.match(fixed, /shuffle: false/);
    assert.match(fixed, /unreverseOutput: true/);
  });

  test('no fix-all when no safe fix exists, and no quick fixes when only fix-all is asked', () => {
    const unsafeOnly = linted([finding('TSAE101', 5, 'unsafe')]);
    assert.deepEqual(codeActionsFor(unsafeOnly, { diagnostics: [], only: ['source'], documentChanges: false }), []);
    const fileName = join(EXAMPLES_DIR, 'stateful.tsae.yaml');
    const real = linted(lintText(STATEFUL_YAML, { fileName }).findings, STATEFUL_YAML, fileName);
    const safe = real.entries.filter((e) => e.fix?.safety === 'safe').map((e) => e.diagnostic);
    assert.deepEqual(
      codeActionsFor(real, { diagnostics: safe, only: [FIX_ALL_KIND], documentChanges: false }).map((a) => a.kind),
      [FIX_ALL_KIND],
    );
  });
});

describe('protocol guards', () => {
  test('initializationOptions are read defensively', () => {
    assert.deepEqual(readServerOptions(undefined), { debounceMs: DEFAULT_DEBOUNCE_MS, trusted: true });
    assert.deepEqual(readServerOptions({ debounceMs: -5 }), { debounceMs: DEFAULT_DEBOUNCE_MS, trusted: true });
    assert.deepEqual(readServerOptions({ debounceMs: 'fast' }), { debounceMs: DEFAULT_DEBOUNCE_MS, trusted: true });
    assert.deepEqual(readServerOptions({ debounceMs: 0 }), { debounceMs: 0, trusted: true });
    // Only an explicit false restricts data access; anything else keeps the trusted default.
    assert.deepEqual(readServerOptions({ trusted: false }), { debounceMs: DEFAULT_DEBOUNCE_MS, trusted: false });
    assert.deepEqual(readServerOptions({ trusted: 'no' }), { debounceMs: DEFAULT_DEBOUNCE_MS, trusted: true });
  });

  test('tsae/runFindings params are checked field by field', () => {
    const good = {
      uri: URI,
      runDir: '/ws/.tsae/runs/r1',
      runName: 'r1',
      configHash: 'ab',
      findings: [{ code: 'TSAE201', severity: 'error', message: 'm', configPath: 'model.latent.size' }],
    };
    assert.equal(isRunFindingsParams(good), true);
    assert.equal(isRunFindingsParams({ ...good, findings: [{ ...good.findings[0], severity: 'fatal' }] }), false);
    assert.equal(isRunFindingsParams({ ...good, configHash: undefined }), false);
    assert.equal(isRunFindingsParams(null), false);
  });
});

describe('lintSafely', () => {
  test('a linter that throws becomes one TSAE000 diagnostic and a log line', () => {
    const logged: string[] = [];
    const outcome = lintSafely(
      'name: x\n',
      '/ws/a.tsae.yaml',
      (m) => logged.push(m),
      () => {
        throw new TypeError('cannot read properties of undefined');
      },
    );
    assert.deepEqual(
      outcome.findings.map((f) => [f.code, f.message]),
      [['TSAE000', 'internal error: cannot read properties of undefined']],
    );
    assert.equal(outcome.parsed, undefined);
    assert.match(logged.join('\n'), /lint of \/ws\/a\.tsae\.yaml threw: TypeError/);
  });

  test('the data file a config names is tracked even when it does not exist', () => {
    const outcome = lintSafely('data:\n  path: ../data/missing.csv\n', '/ws/configs/a.tsae.yaml', () => undefined);
    assert.deepEqual([...outcome.dataFiles], ['/ws/data/missing.csv']);
    assert.ok(outcome.findings.some((f) => f.code === 'TSAE005'));
  });
});
