// Generates docs/config.md from schemas/tsae.schema.json, the single source of truth for the
// config format. `node scripts/gen-config-doc.mjs` writes the page; `--check` exits 1 when the
// committed page differs (tests/core/config-doc.test.ts runs that).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas', 'tsae.schema.json'), 'utf8'));
const target = join(root, 'docs', 'config.md');

const deref = (node) => {
  if (!node.$ref) return node;
  const { $ref, ...siblings } = node;
  return { ...deref(schema.definitions[$ref.replace('#/definitions/', '')]), ...siblings };
};
const objectOf = (node) => (node.properties ? node : (node.oneOf ?? []).map(deref).find((b) => b.type === 'object'));
const code = (value) => `\`${typeof value === 'string' && value !== '' ? value : JSON.stringify(value)}\``;
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

function typeOf(node) {
  if (node.oneOf) return node.oneOf.map((b) => typeOf(deref(b))).join(' or ');
  if (node.const !== undefined) return code(node.const);
  if (node.enum) return node.enum.map(code).join(', ');
  const types = [].concat(node.type ?? 'any');
  if (types.includes('array')) {
    if (Array.isArray(node.items)) return `[${node.items.map((i) => typeOf(deref(i))).join(', ')}]`;
    const item = deref(node.items ?? {});
    return `list of ${item.type === 'object' ? 'layers (below)' : typeOf(item)}`;
  }
  return types.map((t) => (t === 'object' ? 'mapping' : t)).join(' or ');
}

function limits(node) {
  const parts = [];
  if (node.minimum !== undefined) parts.push(`>= ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined) parts.push(`<= ${node.maximum}`);
  if (node.exclusiveMaximum !== undefined) parts.push(`< ${node.exclusiveMaximum}`);
  if (node.minItems !== undefined && !Array.isArray(node.items)) parts.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function table(prefix, object) {
  const rows = ['| field | type | default | description |', '|---|---|---|---|'];
  for (const [key, raw] of Object.entries(object.properties)) {
    const node = deref(raw);
    const required = (object.required ?? []).includes(key);
    const isSection = node.type === 'object' || objectOf(node)?.properties;
    const type = isSection && !node.oneOf ? 'mapping (below)' : typeOf(node);
    const range = limits(node);
    const fallback = required
      ? '**required**'
      : node.default !== undefined && typeof node.default !== 'object'
        ? code(node.default)
        : Array.isArray(node.default)
          ? code(node.default)
          : '';
    rows.push(`| \`${prefix}${key}\` | ${cell(type)}${range ? ` (${range})` : ''} | ${fallback} | ${cell(node.description ?? '')} |`);
  }
  return rows.join('\n');
}

const sections = [];
function walk(prefix, title, node) {
  const object = objectOf(deref(node));
  if (!object?.properties) return;
  sections.push(`### ${title}\n\n${cell(deref(node).description ?? '')}\n\n${table(prefix, object)}`);
  for (const [key, raw] of Object.entries(object.properties)) {
    const child = deref(raw);
    if (objectOf(child)?.properties) walk(`${prefix}${key}.`, `\`${prefix}${key}\``, child);
    else if (child.type === 'array' && child.items && !Array.isArray(child.items) && deref(child.items).properties) {
      walk(`${prefix}${key}[].`, `\`${prefix}${key}[]\` (each layer)`, child.items);
    }
  }
}
walk('', 'Top level', schema);

const EXAMPLE = `# Normal heartbeats of ECG5000 (UCR archive): learn to reconstruct them, then score the rest.
$schema: ../schemas/tsae.schema.json
name: ecg-normal-beats
description: LSTM autoencoder on normal heartbeats; abnormal beats should reconstruct badly.
data:
  path: data/ECG5000_TRAIN.txt   # relative to this file
  format: ucr                    # default for a non-.csv file
  layout: rows                   # each row is one beat of 140 steps
  label: 0                       # UCR keeps the class in column 0
  trainLabels: [1]               # train on class 1 (normal) only
  missing: error
windowing:
  length: 140                    # must equal the row length with layout rows
preprocessing:
  scaling: standard              # fitted on the training split only
  differencing: 0
split:
  validation: 0.2
  seed: 42
task:
  type: reconstruct
model:
  cell: lstm
  encoder:                       # widths shrink toward the bottleneck
    - units: 64
    - units: 32
  latent:
    size: 16                     # 140 values per window -> 16 units: 8.75:1
    activation: linear           # relu here can leave units dead at zero (TSAE101)
  bridge: repeat                 # the latent vector is repeated at every time step
  decoder:
    - units: 32
    - units: 64
  outputActivation: linear       # must reach the scaled range of the input
  reverseTarget: false
training:
  epochs: 30
  batchSize: 32
  optimizer: adam
  learningRate: 0.001
  lrDecay: {factor: 0.5, everyEpochs: 10}
  loss: mse
  shuffle: true
  earlyStopping: {patience: 5, minDelta: 0.0001}
  clipNorm: 0.2
  seed: 42`;

const page = `<!-- Generated by scripts/gen-config-doc.mjs from schemas/tsae.schema.json; do not edit by hand. -->
# The TSAE config format

A TSAE config describes one LSTM autoencoder experiment on a time series: the data file, how it is
cut into windows and scaled, the model, and how it is trained. It is a YAML file named
\`*.tsae.yaml\` / \`*.tsae.yml\`, or JSON with comments named \`*.tsae.json\`; both have the same
fields. [schemas/tsae.schema.json](../schemas/tsae.schema.json) is the source of truth for field
names, types, defaults and docs, and this page is generated from it.

Unknown keys are errors (TSAE002), so a typo never silently leaves a setting at its default. A
field left out takes the default shown; \`data.format\`, \`data.layout\` and \`name\` have
defaults that depend on other fields, as described.

## A complete, annotated example

\`\`\`yaml
${EXAMPLE}
\`\`\`

## Fields

${sections.join('\n\n')}

## Checks on the config itself

| code | when |
|---|---|
| [TSAE001](rules/TSAE001.md) | the file is not valid YAML or JSON |
| [TSAE002](rules/TSAE002.md) | a key is not part of the format |
| [TSAE003](rules/TSAE003.md) | a value has the wrong type, is not allowed, or is out of range |
| [TSAE004](rules/TSAE004.md) | a required field is missing |
| [TSAE005](rules/TSAE005.md) | \`data.path\` does not name a readable file |
| [TSAE006](rules/TSAE006.md) | a column named in the config is not in the CSV header |

The pitfall rules (TSAE1xx) and runtime detectors (TSAE2xx) have a page each under [rules/](rules/).
`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // a missing page counts as out of date
  }
  if (committed !== page) {
    console.error('docs/config.md is out of date: run `node scripts/gen-config-doc.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(target, page);
  console.log(`wrote ${target}`);
}
