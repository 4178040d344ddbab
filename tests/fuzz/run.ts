// `npm run fuzz [-- --cases N --seed S]`: the long fuzz run. Prints crashes, hangs, the slowest
// inputs, p50/p99 didChange latency, the server's peak RSS and CPU time per request, then the
// loader fuzz; exits 1 when anything crashed, hung or disagreed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specialConfigs, specialDataFiles } from './inputs';
import { formatLoaderReport, runLoaderFuzz } from './loaderFuzz';
import { formatLspReport, runLspFuzz } from './lspFuzz';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

async function main(): Promise<number> {
  const cases = arg('cases', 10_000);
  const loaderCases = arg('loader-cases', Math.ceil(cases / 5));
  const seed = arg('seed', 1);
  const dir = mkdtempSync(join(tmpdir(), 'tsae-fuzz-'));
  try {
    const dataFiles = specialDataFiles(join(dir, 'data'));
    const total = specialConfigs(dataFiles).length + cases;
    const lsp = await runLspFuzz({
      cases: total,
      seed,
      hangMs: 30_000,
      dataFiles,
      onProgress: (done, report) => process.stderr.write(`  ${done}/${total} cases, ${report.crashes.length} crashes, ${report.hangs.length} hangs\n`),
    });
    console.log(formatLspReport(lsp));
    const loader = await runLoaderFuzz({ cases: loaderCases, seed: seed + 1, dir: join(dir, 'loader'), hangMs: 30_000 });
    console.log(formatLoaderReport(loader));
    const failed = lsp.crashes.length + lsp.hangs.length + lsp.internalErrors.length + loader.crashes.length + loader.hangs.length + loader.disagreements.length;
    return failed > 0 ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
