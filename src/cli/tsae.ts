#!/usr/bin/env node
// The `tsae` command (bundled to dist/cli.js): dispatches to one module per subcommand. train
// and eval load tfjs, so they are required only when asked for; that also keeps `tsae lint`
// working in a build where they are absent.

import { runExport } from './export';
import { runLint } from './lint';
import { runRuns } from './runs';
import { EXIT_OK, EXIT_USAGE, processIo, toolVersion } from './io';

const USAGE = `Usage: tsae <command> [options]

Commands:
  lint PATH...     check configs for mistakes (tsae lint --help)
  train CONFIG     train the autoencoder a config describes (tsae train --help)
  eval RUN         score data with a trained run (tsae eval --help)
  diagnose RUN     verify what caused a run's findings with short trials (tsae diagnose --help)
  runs [DIR]       list runs with their status, epochs and key figures (tsae runs --help)
  export CONFIG    write a PyTorch training script for a config (tsae export --help)

Options:
  -h, --help       show this help
  -v, --version    show the version
`;

type Runner = (argv: string[]) => Promise<number>;

/**
 * Loads a subcommand bundled only when its source exists. esbuild leaves an unresolvable
 * require inside try/catch as a runtime require, which then fails with MODULE_NOT_FOUND.
 */
const RUNNERS = { train: 'runTrain', eval: 'runEval', diagnose: 'runDiagnose' } as const;

function loadOptional(name: keyof typeof RUNNERS): Runner | undefined {
  try {
    // Lazy on purpose: lint, runs and the other tfjs-free commands must start without loading tfjs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded: Record<string, unknown> = name === 'train' ? require('./train') : name === 'eval' ? require('./eval') : require('./diagnose');
    const runner = loaded[RUNNERS[name]];
    return typeof runner === 'function' ? (runner as Runner) : undefined;
  } catch (error) {
    const missing = error instanceof Error && (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && error.message.includes(`'./${name}'`);
    if (missing) return undefined;
    throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.stderr(USAGE);
      return EXIT_USAGE;
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE);
      return EXIT_OK;
    case '-v':
    case '--version':
      io.stdout(`${toolVersion()}\n`);
      return EXIT_OK;
    case 'lint':
      return runLint(rest, io);
    case 'runs':
      return runRuns(rest, io);
    case 'export':
      return runExport(rest, io);
    case 'train':
    case 'eval':
    case 'diagnose': {
      const runner = loadOptional(command);
      if (!runner) {
        io.stderr(`tsae ${command} is not available in this build\n`);
        return EXIT_USAGE;
      }
      return runner(rest);
    }
    default:
      io.stderr(`tsae: unknown command ${command}\n\n${USAGE}`);
      return EXIT_USAGE;
  }
}

if (require.main === module) {
  // `tsae eval RUN DATA | head` closes the pipe early: stop quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tsae: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
