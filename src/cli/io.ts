// What every `tsae` subcommand shares: exit codes, output streams (injectable for tests) and
// the tool version.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const EXIT_OK = 0;
/** Findings at error level (lint), or a failed run (train, eval). */
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line itself; reported with the usage text and exit code 2. */
export class UsageError extends Error {}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
  };
}

/** Version from the package.json next to the bundle (dist/cli.js) or the sources (src/cli). */
export function toolVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (parsed.name === 'tsae' && typeof parsed.version === 'string') return parsed.version;
      } catch {
        // An unreadable manifest on the way up is not ours; keep looking.
      }
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** What every subcommand does when its arguments ask for help (usage, exit 0) or are wrong (why and usage, exit 2). */
export function exitForUsage(command: string, parsed: { help: true } | { error: string }, usage: string, io: CliIo): number {
  if ('help' in parsed) {
    io.stdout(usage);
    return EXIT_OK;
  }
  io.stderr(`tsae ${command}: ${parsed.error}\n\n${usage}`);
  return EXIT_USAGE;
}
