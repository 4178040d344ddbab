import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The manifest is what VS Code reads first; a broken contribution point silently disables features.
test('manifest contributes the config languages, the schema and the train command', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  assert.equal(manifest.engines.vscode, '^1.100.0');
  const languages = manifest.contributes.languages.map((l: { id: string }) => l.id);
  assert.deepEqual(languages.sort(), ['tsae-json', 'tsae-yaml']);
  assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === 'tsae.train'));
});
