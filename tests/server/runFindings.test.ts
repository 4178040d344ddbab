// `tsae/runFindings`: what a training run found is shown on the config line it blames, with a
// link to the run's summary and a fix, until the config text changes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileChangeType, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyEdits, LspStdioClient } from '../../bench/lspStdioClient';
import type { RunFindingsParams } from '../../src/core/protocol/lsp';
import type { RunFinding } from '../../src/core/run/types';
import { exampleUri, rangeOf, reluBottleneckYaml } from './configTexts';

const RUN_DIR = '/ws/.tsae/runs/20260101-120000-relu-bottleneck';
const RUN_NAME = '20260101-120000-relu-bottleneck';

const deadLatent: RunFinding = {
  code: 'TSAE202',
  severity: 'error',
  message: '2 of 3 latent units never left zero',
  configPath: 'model.latent.size',
  epoch: 3,
  fix: { title: 'Set model.latent.size to 8', safety: 'unsafe', changes: [{ path: 'model.latent.size', value: 8 }] },
};
const slowStart: RunFinding = {
  code: 'TSAE205',
  severity: 'warning',
  message: 'loss did not move in 3 epochs',
  configPath: 'training.learningRate',
};

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function params(uri: string, text: string, findings: RunFinding[]): RunFindingsParams {
  return { uri, runDir: RUN_DIR, runName: RUN_NAME, configHash: sha256(text), findings };
}

function runDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => String(d.code).startsWith('TSAE2'));
}

describe('run findings over stdio', () => {
  let client: LspStdioClient;
  before(async () => {
    client = await LspStdioClient.start({ server: { debounceMs: 20 } });
  });
  after(async () => {
    await client.dispose();
  });

  test('are placed on the blamed key with the run named, the summary linked and a fix', async () => {
    const uri = exampleUri('server-test-run.tsae.yaml');
    const text = reluBottleneckYaml();
    await client.open(uri, 'tsae-yaml', text);
    const count = (await client.diagnostics(uri), client.publishCount(uri));
    await client.runFindings(params(uri, text, [deadLatent, slowStart]));
    const { diagnostics } = await client.diagnostics(uri, { afterCount: count });
    const [dead, slow] = runDiagnostics(diagnostics);
    assert.ok(dead && slow, JSON.stringify(diagnostics));
    assert.equal(dead.code, 'TSAE202');
    assert.equal(dead.severity, 1);
    assert.deepEqual(dead.range, rangeOf(text, 'size: 3', '3'));
    assert.equal(dead.message, `${RUN_NAME}: ${deadLatent.message}`);
    assert.deepEqual(
      dead.relatedInformation?.map((r) => r.location.uri),
      [pathToFileURL(join(RUN_DIR, 'summary.json')).toString()],
    );
    assert.match(dead.relatedInformation?.[0].message ?? '', /epoch 3/);
    // training.learningRate is not written: the finding sits on the nearest written ancestor.
    assert.equal(slow.range.start.line, rangeOf(text, 'training:', 'training').start.line);
    // The static findings are still there.
    assert.equal(diagnostics.filter((d) => d.code === 'TSAE101').length, 1);

    const actions = ((await client.codeActions(uri, dead.range, [dead])) ?? []) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, deadLatent.fix?.title);
    assert.equal(actions[0].isPreferred, false);
    const edited = applyEdits(text, actions[0].edit?.changes?.[uri] ?? []);
    assert.match(edited, /size: 8/);
  });

  test('are cleared once the config text changes', async () => {
    const uri = exampleUri('server-test-run.tsae.yaml');
    const version = await client.change(uri, client.text(uri).replace('epochs: 3', 'epochs: 4'));
    const { diagnostics } = await client.diagnostics(uri, { version });
    assert.deepEqual(runDiagnostics(diagnostics), []);
    assert.equal(diagnostics.filter((d) => d.code === 'TSAE101').length, 1);
  });

  test('are ignored when the run used another text, replaced by a newer run and cleared by an empty list', async () => {
    const uri = exampleUri('server-test-run2.tsae.yaml');
    const text = reluBottleneckYaml();
    await client.open(uri, 'tsae-yaml', text);
    await client.diagnostics(uri);

    let count = client.publishCount(uri);
    await client.runFindings(params(uri, `${text}# edited before the run\n`, [deadLatent]));
    assert.deepEqual(runDiagnostics((await client.diagnostics(uri, { afterCount: count })).diagnostics), []);

    count = client.publishCount(uri);
    await client.runFindings(params(uri, text, [deadLatent, slowStart]));
    assert.equal(runDiagnostics((await client.diagnostics(uri, { afterCount: count })).diagnostics).length, 2);

    count = client.publishCount(uri);
    await client.runFindings(params(uri, text, [slowStart]));
    assert.deepEqual(
      runDiagnostics((await client.diagnostics(uri, { afterCount: count })).diagnostics).map((d) => d.code),
      ['TSAE205'],
    );

    count = client.publishCount(uri);
    await client.runFindings(params(uri, text, []));
    assert.deepEqual(runDiagnostics((await client.diagnostics(uri, { afterCount: count })).diagnostics), []);
  });

  test('reach a config that is not open, from the file on disk, until the file changes', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsae-run-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'closed.tsae.yaml');
    const text = reluBottleneckYaml();
    writeFileSync(file, text);
    const uri = pathToFileURL(file).toString();

    await client.runFindings(params(uri, text, [deadLatent]));
    const shown = await client.diagnostics(uri, { afterCount: 0 });
    assert.equal(shown.version, undefined);
    assert.deepEqual(
      runDiagnostics(shown.diagnostics).map((d) => d.range),
      [rangeOf(text, 'size: 3', '3')],
    );

    writeFileSync(file, text.replace('size: 3', 'size: 6'));
    await client.watchedFilesChanged([{ uri, type: FileChangeType.Changed }]);
    const cleared = await client.diagnostics(uri, { afterCount: 1 });
    assert.deepEqual(cleared.diagnostics, []);
  });

  test('malformed params are ignored and the server keeps answering', async () => {
    const uri = exampleUri('server-test-run2.tsae.yaml');
    await client.runFindings({ uri, runDir: RUN_DIR } as unknown as RunFindingsParams);
    const hover = await client.hover(uri, { line: 0, character: 0 });
    assert.ok(hover === null || typeof hover === 'object');
    assert.match(client.log.join(''), /ignored malformed tsae\/runFindings/);
  });
});
