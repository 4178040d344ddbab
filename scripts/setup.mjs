#!/usr/bin/env node
// Installs what `npm test` and `npm run demo` need and is missing; quick when all is there.
// Uses only Node built-ins because it runs before node_modules exists.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

function canSudoWithoutPassword() {
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function ensureDebianPackages(packages) {
  const missing = missingDebianPackages(packages);
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && !canSudoWithoutPassword()) {
    // Never prompt (CI has no stdin): say exactly what to run and stop.
    console.error(`[setup] missing system packages: ${missing.join(' ')}. Run as root:\n  apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`);
    process.exit(1);
  }
  const sudo = asRoot ? [] : ['sudo', '-n'];
  const apt = (args) => run(sudo[0] ?? 'apt-get', sudo.length ? [...sudo.slice(1), 'apt-get', ...args] : args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}

// code-server 4.100.3 is VS Code 1.100.3 and the last release that runs on Node 20. It lives in an
// ignored folder with its own package.json: a test tool, not a dependency of the extension.
export const CODE_SERVER_VERSION = '4.100.3';
export const codeServerDir = join(root, '.vscode-test', 'code-server');
const codeServerPackage = join(codeServerDir, 'node_modules', 'code-server', 'package.json');
const bundledRipgrep = join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');

function codeServerInstalled() {
  if (!existsSync(codeServerPackage) || !existsSync(bundledRipgrep)) return false;
  return JSON.parse(readFileSync(codeServerPackage, 'utf8')).version === CODE_SERVER_VERSION;
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the archive;
 * the machines we run on reach only npm and apt, so seed the cache with Debian's rg (same major).
 */
function seedRipgrepCache() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const cacheDir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = join(cacheDir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(archive)) return;
  if (!existsSync('/usr/bin/rg')) throw new Error('[setup] /usr/bin/rg is missing; install the Debian package ripgrep');
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'tsae-rg-'));
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  run('tar', ['czf', archive, '-C', staging, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

export function ensureCodeServer() {
  if (codeServerInstalled()) return;
  seedRipgrepCache();
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(
    join(codeServerDir, 'package.json'),
    JSON.stringify({ name: 'tsae-code-server', private: true, description: 'code-server for the TSAE end-to-end tests and demo (see scripts/setup.mjs)' }, null, 2) + '\n',
  );
  // node-gyp builds native modules (argon2, kerberos, node-pty); without nodedir it downloads the
  // Node headers from nodejs.org, which these machines cannot reach. Debian's nodejs ships them in /usr.
  // npm warns "Unknown env config nodedir" but passes it on to node-gyp, which is what matters.
  const env = { ...process.env };
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  // code-server's postinstall refuses to run as root under npm unless unsafe-perm is set (CI runs as root).
  env.npm_config_unsafe_perm = 'true';
  env.npm_config_yes = 'true';
  try {
    run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], { cwd: codeServerDir, env });
  } catch {
    // The end-to-end suites cannot run without it; they fail (not skip) with the same hint.
    console.error(
      `[setup] installing code-server ${CODE_SERVER_VERSION} failed (it needs the npm registry, build-essential, python3, libkrb5-dev and pkg-config; see npm's output above)`,
    );
    process.exit(1);
  }
  if (!codeServerInstalled()) {
    console.error(`[setup] code-server ${CODE_SERVER_VERSION} did not install into ${codeServerDir} (see the npm output above)`);
    process.exit(1);
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const wanted = (process.argv[2] ?? 'test').split(',');
  ensureNodeModules();
  const manifest = JSON.parse(readFileSync(join(root, 'scripts', 'system-packages.json'), 'utf8'));
  const packages = [...new Set(wanted.flatMap((w) => manifest[w] ?? []))];
  if (process.platform === 'linux' && existsSync('/usr/bin/dpkg-query')) ensureDebianPackages(packages);
  ensureCodeServer();
  console.log('[setup] ready');
}
