// docs/config.md is generated from the schema and must not drift; its example must be a valid
// config; every config check (TSAE000-007) has its page.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../src/core/config/parse';
import { validateConfigValue } from '../../src/core/config/validate';
import { CONFIG_CHECKS } from '../../src/core/rules/docs';
import { repoRoot } from './configFixtures';

const REQUIRED_SECTIONS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## References'];

describe('docs/config.md', () => {
  test('matches what scripts/gen-config-doc.mjs generates from the schema', () => {
    const root = repoRoot();
    try {
      execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-config-doc.mjs'), '--check'], { stdio: 'pipe' });
    } catch (error) {
      assert.fail(`docs/config.md is out of date; run node scripts/gen-config-doc.mjs\n${(error as { stderr?: Buffer }).stderr}`);
    }
  });

  test('documents every field and its example is a valid config', () => {
    const page = readFileSync(path.join(repoRoot(), 'docs', 'config.md'), 'utf8');
    for (const field of ['`data.path`', '`model.latent.activation`', '`training.earlyStopping`', '`model.decoder[].units`']) {
      assert.ok(page.includes(field), `${field} is documented`);
    }
    const example = /```yaml\n([\s\S]+?)```/.exec(page)?.[1];
    assert.ok(example);
    const parsed = parseConfig(example, path.join(repoRoot(), 'docs', 'example.tsae.yaml'));
    assert.deepEqual(parsed.syntaxFindings, []);
    assert.deepEqual(validateConfigValue(parsed.value), []);
  });
});

describe('config check pages', () => {
  for (const check of CONFIG_CHECKS) {
    test(`${check.code} has a page with its title and the required sections`, () => {
      const page = readFileSync(path.join(repoRoot(), 'docs', 'rules', `${check.code}.md`), 'utf8');
      assert.equal(page.split('\n')[0], `# ${check.code}: ${check.title}`);
      let last = -1;
      for (const section of REQUIRED_SECTIONS) {
        const at = page.indexOf(`\n${section}\n`);
        assert.ok(at > last, `${check.code}.md has "${section}" after the previous section`);
        last = at;
      }
    });
  }

  test('codes are TSAE000-TSAE007, in order', () => {
    assert.deepEqual(
      CONFIG_CHECKS.map((c) => c.code),
      ['TSAE000', 'TSAE001', 'TSAE002', 'TSAE003', 'TSAE004', 'TSAE005', 'TSAE006', 'TSAE007'],
    );
  });
});
