// Each pitfall example is linted by the real language server and the Problems list holds exactly the
// static findings its `# expect:` lines name (runtime codes, TSAE2xx, need a training run).

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activeApi, codeOf, expectedCodes, waitForDiagnostics, workspaceRoot } from './support';

const isStatic = (code: string) => /^TSAE1\d\d$/.test(code);

function pitfallFiles(): string[] {
  const dir = join(workspaceRoot(), 'pitfalls');
  try {
    return readdirSync(dir)
      .filter((f) => /\.tsae\.(ya?ml|json)$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

suite('diagnostics on the pitfall examples', () => {
  suiteSetup(async () => {
    await activeApi();
  });

  const files = pitfallFiles();
  test('the workspace holds the pitfall examples', () => {
    assert.ok(files.length >= 5, `expected the five pitfall configs in ${join(workspaceRoot(), 'pitfalls')}, found ${files.length}`);
  });

  for (const file of [...files, join(workspaceRoot(), 'relu-bottleneck.tsae.yaml')]) {
    const name = file.slice(workspaceRoot().length + 1);
    test(`${name}: Problems hold the codes of its # expect: lines`, async () => {
      const expected = expectedCodes(readFileSync(file, 'utf8')).filter(isStatic);
      assert.ok(expected.length > 0, `${name} has no '# expect: TSAE1NN' line`);
      const uri = vscode.Uri.file(file);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const diagnostics = await waitForDiagnostics(uri, (ds) => expected.every((code) => ds.some((d) => codeOf(d) === code)), `codes ${expected.join(', ')}`);
      const actual = [...new Set(diagnostics.map(codeOf).filter(isStatic))].sort();
      assert.deepEqual(actual, expected, `${name}: static findings differ from its # expect: lines`);
      for (const d of diagnostics) {
        assert.ok(d.message.length > 0, `${codeOf(d)} has an empty message`);
        assert.ok(d.range.start.line > 0 || d.range.start.character > 0 || !d.range.isEmpty, `${codeOf(d)} has no range`);
      }
    });
  }
});
