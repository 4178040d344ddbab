// Nothing a user types, and nothing on disk, may take the server down: every bad input yields
// diagnostics, and the server answers the next request.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fork } from 'node:child_process';
import {
  createProtocolConnection,
  ExitNotification,
  FileChangeType,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { LspStdioClient, repoRoot } from '../../bench/lspStdioClient';
import { DATA_PATH, EXAMPLES_DIR, exampleUri, reluBottleneckYaml } from './configTexts';

/** Opens `text`, awaits its diagnostics, then checks the server still answers a hover. */
async function lintsAndSurvives(client: LspStdioClient, name: string, languageId: string, text: string, timeoutMs = 10_000) {
  const uri = exampleUri(name);
  await client.open(uri, languageId, text);
  const { diagnostics } = await client.diagnostics(uri, { timeoutMs });
  const hover = await client.hover(uri, { line: 0, character: 1 });
  assert.ok(hover === null || typeof hover === 'object');
  await client.close(uri);
  return diagnostics;
}

describe('server robustness', () => {
  let client: LspStdioClient;
  before(async () => {
    client = await LspStdioClient.start({ server: { debounceMs: 0 } });
  });
  after(async () => {
    await client.dispose();
  });

  test('malformed YAML gives a syntax error on its line', async () => {
    const text = reluBottleneckYaml().replace('  latent:\n', '  latent: [\n');
    const diagnostics = await lintsAndSurvives(client, 'bad-yaml.tsae.yaml', 'tsae-yaml', text);
    assert.ok(
      diagnostics.some((d) => d.code === 'TSAE001' && d.severity === 1),
      JSON.stringify(diagnostics),
    );
  });

  test('malformed JSON gives a syntax error', async () => {
    const diagnostics = await lintsAndSurvives(client, 'bad-json.tsae.json', 'tsae-json', '{ "data": { "path": "x.csv", }, "model": [1, 2 ');
    assert.ok(
      diagnostics.some((d) => d.code === 'TSAE001'),
      JSON.stringify(diagnostics),
    );
  });

  test('wrong types are reported on the offending value', async () => {
    const text = reluBottleneckYaml().replace('size: 3', 'size: three');
    const diagnostics = await lintsAndSurvives(client, 'wrong-type.tsae.yaml', 'tsae-yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('size: three'));
    assert.ok(
      diagnostics.some((d) => d.severity === 1 && d.range.start.line === line),
      JSON.stringify(diagnostics),
    );
  });

  test('binary garbage, an empty file, a bare scalar, deep nesting and NUL bytes give diagnostics', async () => {
    let seed = 7;
    const garbage = Array.from({ length: 4096 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(seed % 0xffff);
    }).join('');
    for (const [name, text] of [
      ['garbage.tsae.yaml', garbage],
      ['empty.tsae.yaml', ''],
      ['scalar.tsae.json', '42'],
      ['deep.tsae.json', '['.repeat(100_000)],
      ['deep.tsae.yaml', `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`],
      ['nul.tsae.yaml', 'name: a\u0000b\ndata: {path: "\u0000"}\n'],
    ]) {
      const diagnostics = await lintsAndSurvives(client, name, name.endsWith('json') ? 'tsae-json' : 'tsae-yaml', text);
      assert.ok(diagnostics.length > 0, `${name}: no diagnostics`);
    }
  });

  test('a 5 MB config is linted and the server keeps answering', async () => {
    const filler = `# ${'x'.repeat(98)}\n`.repeat(50_000);
    const text = reluBottleneckYaml() + filler + 'extra:\n' + '  - 1\n'.repeat(10_000);
    assert.ok(text.length > 5_000_000);
    const diagnostics = await lintsAndSurvives(client, 'huge.tsae.yaml', 'tsae-yaml', text, 30_000);
    assert.ok(diagnostics.length > 0);
  });

  test('a missing data file is reported on data.path', async () => {
    const text = reluBottleneckYaml('data/no-such-file.csv');
    const diagnostics = await lintsAndSurvives(client, 'missing-data.tsae.yaml', 'tsae-yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('no-such-file.csv'));
    assert.ok(
      diagnostics.some((d) => d.range.start.line === line && /no-such-file\.csv/.test(d.message)),
      JSON.stringify(diagnostics),
    );
  });

  test('a data file deleted on disk re-lints the configs that read it', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsae-server-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const data = join(dir, 'series.csv');
    copyFileSync(join(EXAMPLES_DIR, DATA_PATH), data);
    const configFile = join(dir, 'watch.tsae.yaml');
    const text = reluBottleneckYaml('series.csv');
    writeFileSync(configFile, text);
    const uri = pathToFileURL(configFile).toString();
    await client.open(uri, 'tsae-yaml', text);
    const first = await client.diagnostics(uri);
    assert.ok(!first.diagnostics.some((d) => /series\.csv/.test(d.message)), JSON.stringify(first.diagnostics));

    const count = client.publishCount(uri);
    rmSync(data);
    await client.watchedFilesChanged([{ uri: pathToFileURL(data).toString(), type: FileChangeType.Deleted }]);
    const second = await client.diagnostics(uri, { afterCount: count });
    assert.ok(
      second.diagnostics.some((d) => /series\.csv/.test(d.message)),
      JSON.stringify(second.diagnostics),
    );
    await client.close(uri);
  });
});

describe('server lifecycle', () => {
  test('shutdown then exit ends the process with code 0', async () => {
    const client = await LspStdioClient.start();
    assert.equal(await client.shutdown(), 0);
  });

  test('starts over node IPC, the way the extension launches it', async () => {
    const serverJs = process.env.TSAE_SERVER_JS ?? join(repoRoot(), 'dist', 'server.js');
    const child = fork(serverJs, ['--node-ipc', `--clientProcessId=${process.pid}`], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      assert.equal(result.serverInfo?.name, 'tsae-language-server');
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
