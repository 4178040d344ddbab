#!/usr/bin/env node
// Installs what `npm test` and `npm run demo` need and is missing; quick when all is there.
// Uses only Node built-ins because it runs before node_modules exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args, opts = {}) {
  console.log(`[setup] ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}

/** node_modules is current when npm's hidden lockfile is newer than package-lock.json. */
function nodeModulesCurrent() {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return false;
  return statSync(hidden).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

export function ensureNodeModules() {
  if (nodeModulesCurrent()) return;
  // tfjs-node is optional and its install script downloads libtensorflow; npm skips it when that fails.
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function missingDebianPackages(packages) {
  return packages.filter((pkg) => {
    try {
      const out = execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return !out.includes('install ok installed');
    } catch {
      return true;
    }
  });
}

export function ensureDebianPackages(packages) {
  const missing = missingDebianPackages(packages);
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  const apt = (args) => run(sudo[0] ?? 'apt-get', sudo.length ? [...sudo.slice(1), 'apt-get', ...args] : args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}

const wanted = (process.argv[2] ?? 'test').split(',');
ensureNodeModules();
const manifest = JSON.parse(readFileSync(join(root, 'scripts', 'system-packages.json'), 'utf8'));
const packages = [...new Set(wanted.flatMap((w) => manifest[w] ?? []))];
if (process.platform === 'linux' && existsSync('/usr/bin/dpkg-query')) ensureDebianPackages(packages);
