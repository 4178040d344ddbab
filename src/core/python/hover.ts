// Hover in Python code: what a finding under the cursor means, and how much the model compresses
// a window when the cursor is on the bottleneck, the window length or the model definition.

import type { HoverInfo } from '../config/hover';
import { containsPosition } from '../config/text';
import { CONFIG_CHECKS, docUrl } from '../rules/docs';
import { rules } from '../rules/index';
import { describeCompression } from '../rules/tsae103-undersized-latent';
import type { Position, Range } from '../types';
import type { PythonLintResult } from './lint';

/** Where the compression ratio is worth showing: the latent, the window length, the feature count, the model. */
const COMPRESSION_PATHS = ['model.latent.size', 'model.latent', 'windowing.length', 'data.columns'];

export function pythonHover(result: PythonLintResult, position: Position): HoverInfo | undefined {
  const sections: string[] = [];
  let range: Range | undefined;
  const { description, compression } = result;
  if (compression) {
    const spans = COMPRESSION_PATHS.map((path) => description.spans.get(path)?.value).filter((r): r is Range => r !== undefined);
    const modelLine = description.modelRange && position.line === description.modelRange.start.line ? description.modelRange : undefined;
    const hit = spans.find((r) => containsPosition(r, position)) ?? modelLine;
    if (hit) {
      range = hit;
      sections.push(`**TSAE compression**: ${describeCompression(compression)}`);
    }
  }
  // Say what the code leaves open here, so a silent rule is not mistaken for a clean model.
  const here = [...description.unknown].filter(([, r]) => r && containsPosition(r, position));
  range ??= here[0]?.[1];
  const runTimeOnly = here.filter(([path]) => !description.unknownWhy.has(path)).map(([path]) => `\`${path}\``);
  if (runTimeOnly.length > 0) {
    sections.push(`**TSAE** cannot infer ${runTimeOnly.join(', ')} from the code here (it is only known at run time); the rules that need it stay silent.`);
  }
  for (const [path] of here) {
    const why = description.unknownWhy.get(path);
    if (why !== undefined) sections.push(`**TSAE** cannot express \`${path}\` of the code here: ${why}; the rules that need it stay silent.`);
  }
  for (const finding of result.findings) {
    if (!containsPosition(finding.range, position)) continue;
    range ??= finding.range;
    const rule = rules.find((r) => r.code === finding.code);
    const check = CONFIG_CHECKS.find((c) => c.code === finding.code);
    sections.push(
      [`**${finding.code}** ${rule?.title ?? check?.title ?? ''}`, rule?.summary ?? check?.summary ?? '', `[Documentation](${docUrl(finding.code)})`].filter(Boolean).join('\n\n'),
    );
  }
  return range && sections.length > 0 ? { range, markdown: sections.join('\n\n---\n\n') } : undefined;
}
