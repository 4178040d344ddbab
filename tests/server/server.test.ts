// The language server as an editor sees it: `node dist/server.js --stdio`, driven over real
// JSON-RPC. Diagnostics are awaited as messages, never with sleeps.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyEdits, LspStdioClient } from '../../bench/lspStdioClient';
import { rules } from '../../src/core/rules/index';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATA_PATH, EXAMPLES_DIR, exampleUri, rangeOf, reluBottleneckJson, reluBottleneckYaml, statefulShuffledYaml } from './configTexts';

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

function isAction(a: unknown): a is CodeAction {
  return typeof a === 'object' && a !== null && 'kind' in a;
}

describe('language server over stdio', () => {
  let client: LspStdioClient;
  before(async () => {
    client = await LspStdioClient.start();
  });
  after(async () => {
    await client.dispose();
  });

  test('advertises incremental sync, hover and TSAE code action kinds', () => {
    const capabilities = client.initializeResult?.capabilities;
    assert.equal(capabilities?.hoverProvider, true);
    assert.deepEqual(capabilities?.codeActionProvider, { codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.tsae'] });
    assert.equal(capabilities?.textDocumentSync, 2);
  });

  test('flags a ReLU bottleneck on the activation value, linked to its rule page', async () => {
    const uri = exampleUri('server-test-relu.tsae.yaml');
    const text = reluBottleneckYaml();
    await client.open(uri, 'tsae-yaml', text);
    const { diagnostics } = await client.diagnostics(uri);
    const [relu] = byCode(diagnostics, 'TSAE101');
    assert.ok(relu, `no TSAE101 in ${JSON.stringify(diagnostics)}`);
    assert.deepEqual(relu.range, rangeOf(text, 'activation: relu', 'relu'));
    assert.equal(relu.source, 'tsae');
    assert.match(relu.codeDescription?.href ?? '', /\/TSAE101\.md$/);
    // The link opens the page shipped with the extension, not a web page.
    const href = relu.codeDescription?.href ?? '';
    assert.match(href, /^file:\/\//);
    assert.ok(existsSync(fileURLToPath(href)), `${href} does not exist`);
    // The bundled data file is found: no data-file error.
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 1),
      [],
      JSON.stringify(diagnostics),
    );
  });

  test('hover on the latent activation shows the rule summary; on size: the compression ratio', async () => {
    const uri = exampleUri('server-test-relu.tsae.yaml');
    const text = client.text(uri);
    const onRelu = await client.hover(uri, rangeOf(text, 'activation: relu', 'relu').start);
    const summary = rules.find((r) => r.code === 'TSAE101')?.summary;
    assert.ok(summary);
    assert.ok(onRelu && typeof onRelu.contents === 'object' && 'value' in onRelu.contents);
    assert.ok(onRelu.contents.value.includes(summary), onRelu.contents.value);

    const onSize = await client.hover(uri, rangeOf(text, 'size: 3', 'size').start);
    assert.ok(onSize && typeof onSize.contents === 'object' && 'value' in onSize.contents);
    // 24 steps x 1 feature into 3 latent units: 8:1.
    assert.match(onSize.contents.value, /compress/i);
    assert.match(onSize.contents.value, /\b8\b/);
  });

  test('data.path links to the data file', async () => {
    const uri = exampleUri('server-test-relu.tsae.yaml');
    const text = client.text(uri);
    const links = (await client.documentLinks(uri)) ?? [];
    assert.deepEqual(
      links.map((l) => [l.range, l.target]),
      [[rangeOf(text, 'path:', DATA_PATH), pathToFileURL(join(EXAMPLES_DIR, DATA_PATH)).toString()]],
    );
  });

  test('the quick fix carries its edit, and applying it clears the finding', async () => {
    const uri = exampleUri('server-test-relu.tsae.yaml');
    const before = (await client.diagnostics(uri)).diagnostics;
    const relu = byCode(before, 'TSAE101');
    const actions = (await client.codeActions(uri, relu[0].range, relu)) ?? [];
    const [fix] = actions.filter(isAction);
    assert.ok(fix, `no code action in ${JSON.stringify(actions)}`);
    assert.equal(fix.kind, CodeActionKind.QuickFix);
    assert.equal(fix.command, undefined);
    // Changing the latent activation changes what the model learns: offered, not preferred.
    assert.equal(fix.isPreferred, false);
    const edits = fix.edit?.changes?.[uri];
    assert.ok(edits && edits.length > 0);
    const fixed = applyEdits(client.text(uri), edits);
    assert.match(fixed, /activation: linear/);
    const version = await client.change(uri, fixed);
    const after = await client.diagnostics(uri, { version });
    assert.deepEqual(byCode(after.diagnostics, 'TSAE101'), []);
  });

  test('fix-all applies exactly the safe fixes', async () => {
    const uri = exampleUri('server-test-fixall.tsae.yaml');
    await client.open(uri, 'tsae-yaml', statefulShuffledYaml());
    const { diagnostics } = await client.diagnostics(uri);
    const safe = diagnostics.filter((d) => (d.data as { fix?: { safety: string } } | undefined)?.fix?.safety === 'safe');
    assert.ok(safe.length >= 2, JSON.stringify(diagnostics));
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = ((await client.codeActions(uri, whole, [], [CodeActionKind.SourceFixAll])) ?? []).filter(isAction);
    assert.deepEqual(
      actions.map((a) => a.kind),
      ['source.fixAll.tsae'],
    );
    assert.deepEqual(
      actions[0].diagnostics?.map((d) => d.message),
      safe.map((d) => d.message),
    );
    const fixed = applyEdits(client.text(uri), actions[0].edit?.changes?.[uri] ?? []);
    assert.match(fixed, /shuffle: false/);
    assert.match(fixed, /targetReduction: none/);
    const version = await client.change(uri, fixed);
    const after = await client.diagnostics(uri, { version });
    const remaining = new Set(after.diagnostics.map((d) => d.message));
    assert.deepEqual(
      safe.filter((d) => remaining.has(d.message)),
      [],
    );
    // Fixes that are not safe are still offered one by one.
    assert.ok(after.diagnostics.some((d) => (d.data as { fix?: unknown } | undefined)?.fix !== undefined));
  });

  test('a JSON config gets the same finding on the JSON value', async () => {
    const uri = exampleUri('server-test-relu.tsae.json');
    const text = reluBottleneckJson();
    await client.open(uri, 'tsae-json', text);
    const { diagnostics } = await client.diagnostics(uri);
    const [relu] = byCode(diagnostics, 'TSAE101');
    assert.ok(relu, JSON.stringify(diagnostics));
    assert.deepEqual(relu.range, rangeOf(text, '"activation": "relu"', '"relu"'));
  });

  test('plain YAML documents are linted only when named like configs', async () => {
    const named = exampleUri('server-test-plain.tsae.yml');
    await client.open(named, 'yaml', reluBottleneckYaml());
    assert.equal(byCode((await client.diagnostics(named)).diagnostics, 'TSAE101').length, 1);

    const other = exampleUri('server-test-other.yaml');
    const text = reluBottleneckYaml();
    await client.open(other, 'yaml', text);
    assert.equal(await client.hover(other, rangeOf(text, 'activation: relu', 'relu').start), null);
    assert.equal(client.publishCount(other), 0);
  });

  test('closing a config clears its diagnostics', async () => {
    const uri = exampleUri('server-test-plain.tsae.yml');
    const count = client.publishCount(uri);
    await client.close(uri);
    const cleared = await client.diagnostics(uri, { afterCount: count });
    assert.deepEqual(cleared.diagnostics, []);
  });

  test('a burst of edits is debounced into one lint of the last version', async () => {
    // Its own server with a long debounce, so a loaded machine cannot split the burst.
    const slow = await LspStdioClient.start({ server: { debounceMs: 500 } });
    try {
      const uri = exampleUri('server-test-burst.tsae.yaml');
      const text = reluBottleneckYaml();
      await slow.open(uri, 'tsae-yaml', text);
      await slow.diagnostics(uri);
      const count = slow.publishCount(uri);
      let version = 0;
      for (const units of [17, 18, 19, 20, 21]) version = await slow.change(uri, text.replace('- units: 16', `- units: ${units}`));
      const published = await slow.diagnostics(uri, { afterCount: count });
      assert.equal(published.version, version, 'the first publication after the burst is for the last version');
    } finally {
      await slow.dispose();
    }
  });
});

describe('code actions right after an edit', () => {
  test('are computed for the current text, not the last published lint', async () => {
    // A debounce far longer than the test: only the code action request can trigger the lint.
    const client = await LspStdioClient.start({ server: { debounceMs: 60_000 } });
    try {
      const uri = exampleUri('server-test-early.tsae.yaml');
      const text = reluBottleneckYaml();
      await client.open(uri, 'tsae-yaml', text);
      await client.diagnostics(uri);
      // Two lines inserted above the finding move it down; its published range is now stale.
      const moved = text.replace('model:\n', 'model:\n  cell: lstm\n  stateful: false\n');
      await client.change(uri, moved);
      const range = rangeOf(moved, 'activation: relu', 'relu');
      const stale = (await client.diagnostics(uri, { version: 1 })).diagnostics.filter((d) => d.code === 'TSAE101');
      const actions = ((await client.codeActions(uri, range, [{ ...stale[0], range }])) ?? []).filter(isAction);
      assert.equal(actions.length, 1);
      assert.deepEqual(
        actions[0].edit?.changes?.[uri]?.map((e) => e.range),
        [range],
      );
    } finally {
      await client.dispose();
    }
  });
});
