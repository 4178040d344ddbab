import { inspectDataFile } from '../src/core/data/inspect';
import { proposeConfig } from '../src/core/config/fromData';
import { lintText } from '../src/core/lint';
import * as path from 'node:path';
import * as fs from 'node:fs';
(async () => {
  for (const f of process.argv.slice(2)) {
    const cfg = path.join(path.dirname(f), path.basename(f).replace(/\.[^.]+$/, '') + '.tsae.yaml');
    const p = proposeConfig(await inspectDataFile(f), cfg);
    const lint = lintText(p.text, { fileName: cfg });
    console.log('=====', f, JSON.stringify(p.choices));
    if (process.env.SHOW) console.log(p.text);
    if (process.env.OUT) fs.writeFileSync(path.join(process.env.OUT, path.basename(cfg)), p.text.replace(/path: .*/, 'path: ' + path.relative(process.env.OUT, f)));
    console.log(lint.findings.map((x) => `${x.code} ${x.severity} ${x.message}`).join('\n'));
  }
})();
