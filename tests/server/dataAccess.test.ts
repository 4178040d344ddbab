// Messages never quote a data file's content, and an untrusted workspace reads no data outside
// its folders (issue 11 item 7): a config pointing at a "secrets" file outside the workspace gets
// TSAE007 in an untrusted workspace, and nowhere (diagnostics, hover, completion, SARIF) does
// the file's first line appear.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspStdioClient, repoRoot } from '../../bench/lspStdioClient';
import { mayReadData } from '../../src/core/data/access';

const SECRET = 'AKIAEXAMPLESECRET';
const root = mkdtempSync(join(tmpdir(), 'tsae-access-'));
const workspace = join(root, 'workspace');
const outside = join(root, 'outside');
mkdirSync(join(workspace, 'data'), { recursive: true });
mkdirSync(outside);
// A "credentials" file whose first line would be taken for a CSV header.
writeFileSync(join(outside, 'credentials.csv'), `${SECRET},token_${SECRET}\n1,2\n3,4\n`);
writeFileSync(join(workspace, 'data', 'series.csv'), `timestamp,value\n${Array.from({ length: 50 }, (_, i) => `${i},${Math.sin(i)}`).join('\n')}\n`);
symlinkSync(join(outside, 'credentials.csv'), join(workspace, 'data', 'link.csv'));
after(() => rmSync(root, { recursive: true, force: true }));

function config(dataPath: string): string {
  return `data:\n  path: ${dataPath}\n  columns: [value]\nwindowing:\n  length: 8\nmodel:\n  encoder: [{units: 4}]\n  latent: {size: 2}\n  decoder: [{units: 4}]\n`;
}

describe('mayReadData', () => {
  test('inside the roots only, following symbolic links', () => {
    assert.equal(mayReadData(join(workspace, 'data', 'series.csv'), [workspace]), true);
    assert.equal(mayReadData(join(outside, 'credentials.csv'), [workspace]), false);
    assert.equal(mayReadData(join(workspace, 'data', 'link.csv'), [workspace]), false);
    assert.equal(mayReadData(join(workspace, '..', 'outside', 'credentials.csv'), [workspace]), false);
    assert.equal(mayReadData(join(outside, 'credentials.csv'), undefined), true);
    assert.equal(mayReadData(join(workspace, 'missing.csv'), [workspace]), true);
  });
});

describe('language server in an untrusted workspace', () => {
  let client: LspStdioClient;
  before(async () => {
    client = await LspStdioClient.start({ server: { debounceMs: 0, trusted: false }, workspaceFolders: [workspace] });
  });
  after(async () => {
    await client.dispose();
  });

  for (const dataPath of ['../outside/credentials.csv', 'data/link.csv']) {
    test(`${dataPath}: TSAE007 instead of reading it; no content in diagnostics, hover or completion`, async () => {
      const uri = pathToFileURL(join(workspace, `untrusted-${dataPath.length}.tsae.yaml`)).href;
      const text = config(dataPath);
      await client.open(uri, 'tsae-yaml', text);
      const { diagnostics } = await client.diagnostics(uri);
      const codes = diagnostics.map((d) => d.code);
      assert.ok(codes.includes('TSAE007'), JSON.stringify(diagnostics));
      assert.ok(!codes.includes('TSAE006'), 'the header was not read');
      const hover = await client.hover(uri, { line: 1, character: 4 });
      const items = await client.completion(uri, { line: 2, character: 13 });
      const everything = JSON.stringify({ diagnostics, hover, items });
      assert.ok(!everything.includes(SECRET), everything.slice(0, 500));
      await client.close(uri);
    });
  }

  test('data inside the workspace is still read and checked', async () => {
    const uri = pathToFileURL(join(workspace, 'inside.tsae.yaml')).href;
    await client.open(uri, 'tsae-yaml', config('data/series.csv').replace('[value]', '[valu]'));
    const { diagnostics } = await client.diagnostics(uri);
    assert.deepEqual(
      diagnostics.filter((d) => d.code === 'TSAE006').map((d) => d.message),
      ['data.columns.0: column "valu" is not in the header of series.csv; did you mean value?'],
    );
    await client.close(uri);
  });
});

describe('trusted: the header is never quoted', () => {
  test('language server: TSAE006 names the column and the file only', async () => {
    const client = await LspStdioClient.start({ server: { debounceMs: 0 } });
    try {
      const uri = pathToFileURL(join(workspace, 'trusted.tsae.yaml')).href;
      await client.open(uri, 'tsae-yaml', config('../outside/credentials.csv'));
      const { diagnostics } = await client.diagnostics(uri);
      const tsae006 = diagnostics.filter((d) => d.code === 'TSAE006');
      assert.deepEqual(
        tsae006.map((d) => d.message),
        ['data.columns.0: column "value" is not in the header of credentials.csv'],
      );
      assert.ok(!JSON.stringify(diagnostics).includes(SECRET));
    } finally {
      await client.dispose();
    }
  });

  test('tsae lint --format sarif: no content of the data file', () => {
    const file = join(workspace, 'sarif.tsae.yaml');
    writeFileSync(file, config('../outside/credentials.csv'));
    const run = spawnSync(process.execPath, [join(repoRoot(), 'dist', 'cli.js'), 'lint', '--format', 'sarif', file], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /TSAE006/);
    assert.ok(!run.stdout.includes(SECRET), run.stdout.slice(0, 2000));
  });
});
