// `tsae lint` end to end: the bundled CLI (dist/cli.js, built by `npm run build`) runs as a child
// process on the real example configs and their bundled data.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/textEdits';

const root = repoRoot();
const cli = join(root, 'dist', 'cli.js');
const pitfallsDir = join(root, 'examples', 'pitfalls');
const goodExamples = ['examples/ecg5000.tsae.yaml', 'examples/nab-machine-temperature.tsae.yaml', 'examples/nab-art-daily.tsae.json'];

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function tsae(args: string[], cwd = root): CliRun {
  assert.ok(existsSync(cli), `${cli} is missing; run \`node esbuild.mjs\` first`);
  const run = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
  fix: { title: string; safety: string; edits: unknown[] } | null;
}

function lintJson(args: string[], cwd = root): { status: number | null; findings: JsonFinding[] } {
  const run = tsae(['lint', '--format', 'json', ...args], cwd);
  assert.notEqual(run.status, 2, run.stderr);
  return { status: run.status, findings: JSON.parse(run.stdout) as JsonFinding[] };
}

/** The codes a pitfall file promises in its `# expect: TSAE101 TSAE110` line. */
function expectedCodes(file: string): string[] {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => /^#\s*expect:/.test(l));
  assert.ok(line, `${file} has no "# expect:" line`);
  const codes = line
    .replace(/^#\s*expect:/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  assert.ok(codes.length > 0 && codes.every((c) => /^TSAE\d{3}$/.test(c)), `${file}: bad expect line "${line}"`);
  return codes;
}

const pitfalls = readdirSync(pitfallsDir)
  .filter((name) => name.endsWith('.tsae.yaml'))
  .sort();

// One CLI run for all pitfalls (each spawn costs a second on a busy CI machine).
let pitfallRun: { status: number | null; findings: JsonFinding[] } | undefined;
function pitfallFindings(): { status: number | null; findings: JsonFinding[] } {
  pitfallRun ??= lintJson(['examples/pitfalls']);
  return pitfallRun;
}

describe('tsae lint on the pitfall configs', () => {
  test('there is one pitfall per real setup', () => {
    assert.deepEqual(
      pitfalls.map((name) => name.slice(0, 2)),
      ['01', '02', '03', '04', '05'],
    );
  });

  for (const name of pitfalls) {
    test(`${name} reports exactly the codes of its expect line`, () => {
      const file = join(pitfallsDir, name);
      const findings = pitfallFindings().findings.filter((f) => f.file === `examples/pitfalls/${name}`);
      const reported = [...new Set(findings.map((f) => f.code))].sort();
      assert.deepEqual(reported, [...expectedCodes(file)].sort(), JSON.stringify(findings, null, 2));
    });
  }

  test('the exit code is 1 exactly when an error-level finding is reported', () => {
    const { status, findings } = pitfallFindings();
    assert.equal(status, findings.some((f) => f.severity === 'error') ? 1 : 0);
  });
});

describe('tsae lint output', () => {
  test('the good examples report nothing and exit 0', () => {
    const run = tsae(['lint', ...goodExamples]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, 'no problems in 3 files\n');
    assert.deepEqual(lintJson(goodExamples).findings, []);
  });

  test('text output is file:line:col: severity CODE message with a count line', () => {
    const file = 'examples/pitfalls/03-mean-collapse.tsae.yaml';
    const run = tsae(['lint', file]);
    assert.equal(run.status, 1, 'TSAE102 is an error, so the exit code is 1');
    const lines = run.stdout.trimEnd().split('\n');
    const summary = lines.pop()!;
    const { findings } = lintJson([file]);
    assert.equal(lines.length, findings.length);
    lines.forEach((line, i) => {
      const f = findings[i];
      assert.equal(line, `${file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}`);
    });
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    assert.match(summary, new RegExp(`^${findings.length} problems \\(${errors} errors?, ${warnings} warnings?\\) in 1 file`));
  });

  test('json positions are 1-based and cover the offending value', () => {
    const file = 'examples/pitfalls/01-latent-as-time-axis.tsae.yaml';
    const text = readFileSync(join(root, file), 'utf8').split('\n');
    const lineIndex = text.findIndex((l) => /^\s*bridge: sequence/.test(l));
    assert.ok(lineIndex >= 0);
    const { findings } = lintJson([file]);
    const finding = findings.find((f) => f.code === 'TSAE105');
    assert.ok(finding);
    assert.equal(finding.file, file);
    assert.equal(finding.line, lineIndex + 1);
    assert.equal(finding.endLine, lineIndex + 1);
    assert.equal(text[lineIndex].slice(finding.column - 1, finding.endColumn - 1), 'sequence');
    for (const key of ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'fix'] as const) {
      assert.ok(key in finding, `missing ${key}`);
    }
    assert.ok(finding.fix === null || (typeof finding.fix.title === 'string' && Array.isArray(finding.fix.edits)));
  });

  test('sarif output is SARIF 2.1.0 with documented rules and located results', () => {
    const run = tsae(['lint', '--format', 'sarif', 'examples/pitfalls']);
    assert.equal(run.status, 1);
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.version, '2.1.0');
    const driver = sarif.runs[0].tool.driver;
    assert.equal(driver.name, 'tsae');
    const ruleIds = new Set<string>();
    for (const rule of driver.rules) {
      assert.match(rule.id, /^TSAE\d{3}$/);
      assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
      assert.ok(rule.shortDescription.text.length > 0);
      ruleIds.add(rule.id);
    }
    const results = sarif.runs[0].results;
    const { findings } = pitfallFindings();
    assert.equal(results.length, findings.length);
    results.forEach((result: any, i: number) => {
      const f = findings[i];
      assert.equal(result.ruleId, f.code);
      assert.ok(ruleIds.has(result.ruleId), `${result.ruleId} is not in tool.driver.rules`);
      assert.equal(result.level, f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note');
      const location = result.locations[0].physicalLocation;
      assert.equal(location.artifactLocation.uri, f.file);
      assert.deepEqual(location.region, { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
    });
  });

  test('a config with an error-level finding exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsae-lint-'));
    try {
      const file = join(dir, 'broken.tsae.yaml');
      writeFileSync(file, 'data:\n  path: [unclosed\n');
      const { status, findings } = lintJson([file]);
      assert.equal(status, 1);
      assert.ok(
        findings.some((f) => f.severity === 'error'),
        JSON.stringify(findings),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('usage errors exit 2', () => {
    for (const args of [
      [],
      ['lint'],
      ['lint', '--format', 'xml', 'examples'],
      ['lint', '--bogus', 'examples'],
      ['lint', 'no/such/file.tsae.yaml'],
      ['lint', 'examples/**/*.nothing'],
      ['frobnicate'],
    ]) {
      const run = tsae(args);
      assert.equal(run.status, 2, `tsae ${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.ok(run.stderr.length > 0, `tsae ${args.join(' ')} printed no error`);
    }
  });

  test('directories and globs expand to config files', () => {
    const all = tsae(['lint', 'examples']);
    assert.match(all.stdout, /in 8 files/);
    const two = lintJson(['examples/pitfalls/0{1,2}-*']);
    assert.deepEqual([...new Set(two.findings.map((f) => f.file))].sort(), [
      'examples/pitfalls/01-latent-as-time-axis.tsae.yaml',
      'examples/pitfalls/02-relu-bottleneck.tsae.yaml',
    ]);
    const json = tsae(['lint', 'examples/**/*.json']);
    assert.equal(json.stdout, 'no problems in 1 file\n');
  });

  test('--help lists the subcommands and lint --help its options, both exiting 0', () => {
    const top = tsae(['--help']);
    assert.equal(top.status, 0);
    for (const command of ['lint', 'train', 'eval']) assert.match(top.stdout, new RegExp(`^  ${command} `, 'm'));
    const lint = tsae(['lint', '--help']);
    assert.equal(lint.status, 0);
    for (const option of ['--format', '--fix']) assert.ok(lint.stdout.includes(option), `lint --help does not mention ${option}`);
  });

  test('--version prints the package version', () => {
    const run = tsae(['--version']);
    assert.equal(run.status, 0);
    assert.equal(run.stdout.trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });
});

describe('tsae lint --fix', () => {
  test('applies the safe fixes to a copy and a re-lint no longer reports them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsae-fix-'));
    try {
      // The pitfalls point at ../data, so the copy keeps that layout.
      cpSync(join(root, 'examples', 'pitfalls'), join(dir, 'pitfalls'), { recursive: true });
      cpSync(join(root, 'examples', 'data', 'nab_sensors.csv'), join(dir, 'data', 'nab_sensors.csv'));
      cpSync(join(root, 'examples', 'data', 'machine_temperature_system_failure.csv'), join(dir, 'data', 'machine_temperature_system_failure.csv'));
      const before = lintJson(['pitfalls'], dir).findings;
      const safe = before.filter((f) => f.fix?.safety === 'safe');
      assert.ok(safe.length > 0, 'the pitfalls should have at least one safe fix to apply');
      const unsafe = before.filter((f) => f.fix === null || f.fix.safety !== 'safe');

      const fixed = tsae(['lint', '--fix', 'pitfalls'], dir);
      assert.notEqual(fixed.status, 2, fixed.stderr);
      for (const f of safe) assert.ok(fixed.stderr.includes(f.file), `no "fixed" note for ${f.file}`);

      const after = lintJson(['pitfalls'], dir).findings;
      const key = (f: JsonFinding) => `${f.file} ${f.code} ${f.message}`;
      const afterKeys = new Set(after.map(key));
      for (const f of safe) assert.ok(!afterKeys.has(key(f)), `still reported after --fix: ${key(f)}`);
      assert.ok(
        after.every((f) => f.fix?.safety !== 'safe'),
        'a safe fix is left after --fix',
      );
      // Unsafe fixes are not applied: those findings are still there.
      for (const f of unsafe.filter((f) => f.fix !== null)) {
        assert.ok(
          after.some((a) => a.file === f.file && a.code === f.code),
          `${key(f)} disappeared although its fix is not safe`,
        );
      }
      // The original examples are untouched.
      for (const f of safe) {
        const original = readFileSync(join(root, 'examples', f.file), 'utf8');
        assert.notEqual(readFileSync(join(dir, f.file), 'utf8'), original, `${f.file} was not changed`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
