// "Open as TSAE Config": the description read from Python code written out as a *.tsae.yaml.
// Every value says where it came from (file:line) or, when the code does not determine it, is
// left empty with a "not inferred" comment, so the config linter points at each one to fill in
// before the model can be trained and diagnosed here.

import * as path from 'node:path';
import type { PythonDescription } from './describe';

interface Field {
  /** Dotted config path. */
  path: string;
  /** Required fields without a default are left empty when unknown; the others note the TSAE default. */
  required?: boolean;
  why?: string;
}

const MODEL_LAYER_FIELDS = ['units', 'activation', 'recurrentActivation', 'dropout', 'recurrentDropout', 'bidirectional'];

/** The YAML text of a config for `description`, read from `sourceFile` (used for names and line references). */
export function configYamlFromPython(description: PythonDescription, sourceFile: string): string {
  const base = path.basename(sourceFile);
  const where = (p: string): string | undefined => {
    const span = description.spans.get(p);
    return span ? `${base}:${span.value.start.line + 1}` : undefined;
  };
  const value = (p: string): unknown => {
    let current: unknown = description.value;
    for (const segment of p.split('.')) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
    return current;
  };
  const lines: string[] = [
    `# Written by "TSAE: Open as TSAE Config" from ${base} (${description.framework === 'pytorch' ? 'PyTorch' : description.framework === 'keras' ? 'Keras' : 'no model found'}).`,
    '# Each value names the line it was read from. Values marked "not inferred" are not determined',
    '# by the code: fill them in (empty ones are required) before training; the linter points at each.',
    `name: ${yamlString(base.replace(/\.(py|ipynb)$/i, ''))}`,
  ];
  const emit = (indent: string, key: string, field: Field): void => {
    const v = value(field.path);
    if (v !== undefined) {
      const from = where(field.path);
      lines.push(`${indent}${key}: ${yamlValue(v)}${from ? `  # ${from}` : '  # library default'}`);
      return;
    }
    const unknownAt = description.unknown.get(field.path);
    const at = unknownAt ? ` (${base}:${unknownAt.start.line + 1})` : '';
    const why = description.unknownWhy.get(field.path) ?? field.why ?? 'not determined by the code';
    lines.push(field.required ? `${indent}${key}:  # not inferred${at}: ${why}` : `${indent}# ${key}: not inferred${at}: ${why}; the TSAE default applies`);
  };

  lines.push('data:');
  // A placeholder rather than nothing, so the rest of the config still resolves and is checked.
  lines.push(`  path: data.csv  # not inferred: the data file ${base} reads (TSAE005 until it names a real file)`);
  const columns = value('data.columns');
  if (Array.isArray(columns)) {
    lines.push(`  columns: ${yamlValue(columns)}  # ${columns.length} feature${columns.length === 1 ? '' : 's'} (${where('data.columns') ?? base}): use the CSV column names`);
  } else lines.push('  # columns: not inferred: every numeric column is used');
  lines.push('windowing:');
  emit('  ', 'length', { path: 'windowing.length', required: true });
  emit('  ', 'stride', { path: 'windowing.stride' });
  lines.push('preprocessing:');
  emit('  ', 'scaling', { path: 'preprocessing.scaling', why: 'no scikit-learn scaler in the code' });
  if (value('preprocessing.range') !== undefined) emit('  ', 'range', { path: 'preprocessing.range' });
  if (value('task.type') === 'seq2seq') {
    lines.push('task:');
    lines.push('  type: seq2seq');
    lines.push('  targetColumns:  # not inferred: name the predicted columns');
  }
  lines.push('model:');
  emit('  ', 'cell', { path: 'model.cell' });
  for (const side of ['encoder', 'decoder'] as const) {
    const layers = value(`model.${side}`);
    if (!Array.isArray(layers) || layers.length === 0) {
      lines.push(`  ${side}:  # not inferred: no ${side} layers recognised`);
      continue;
    }
    lines.push(`  ${side}:`);
    layers.forEach((_, index) => {
      MODEL_LAYER_FIELDS.forEach((key, k) => {
        const indent = k === 0 ? '    - ' : '      ';
        emit(indent, key, { path: `model.${side}.${index}.${key}`, required: key === 'units' });
      });
    });
    if (side === 'encoder') {
      lines.push('  latent:');
      emit('    ', 'size', { path: 'model.latent.size', required: true });
      emit('    ', 'activation', { path: 'model.latent.activation' });
      emit('    ', 'dropout', { path: 'model.latent.dropout' });
      emit('  ', 'bridge', { path: 'model.bridge', why: 'how the code reaches the decoder was not recognised' });
    }
  }
  emit('  ', 'outputActivation', { path: 'model.outputActivation' });
  emit('  ', 'reverseTarget', { path: 'model.reverseTarget' });
  emit('  ', 'stateful', { path: 'model.stateful' });
  lines.push('training:');
  for (const key of ['epochs', 'batchSize', 'optimizer', 'learningRate', 'loss', 'lossReduction', 'targetReduction', 'shuffle']) {
    emit('  ', key, { path: `training.${key}` });
  }
  return `${emptySectionsAsMappings(lines).join('\n')}\n`;
}

/** A section whose fields are all commented out would read as null: write it as `{}`. */
function emptySectionsAsMappings(lines: string[]): string[] {
  return lines.map((line, i) => {
    const header = /^(\s*)(\w+):$/.exec(line);
    if (!header) return line;
    const depth = header[1].length;
    for (let j = i + 1; j < lines.length; j++) {
      const indent = /^\s*/.exec(lines[j])![0].length;
      if (indent <= depth && !lines[j].trimStart().startsWith('#')) break;
      if (!lines[j].trimStart().startsWith('#')) return line;
    }
    return `${line} {}`;
  });
}

function yamlValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(yamlValue).join(', ')}]`;
  if (typeof v === 'string') return yamlString(v);
  return String(v);
}

function yamlString(s: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(s) && !/^(true|false|null|yes|no|on|off)$/i.test(s) ? s : JSON.stringify(s);
}

/** Where to write the config for a Python file: beside it, `model.py` -> `model.tsae.yaml`, never over an existing file. */
export function configPathFor(sourceFile: string, exists: (file: string) => boolean): string {
  const stem = sourceFile.replace(/\.(py|ipynb)$/i, '');
  for (let n = 1; ; n++) {
    const candidate = `${stem}${n === 1 ? '' : `-${n}`}.tsae.yaml`;
    if (!exists(candidate)) return candidate;
  }
}
