// Starts and stops a real VS Code (code-server, installed by scripts/setup.mjs) for the demo and the
// end-to-end suites: 127.0.0.1 only, no auth, throwaway user data, its own process group so stop()
// takes the extension host and the language server with it.
// See ../shared/recipes/vscode-e2e.md for why each flag and setting is there.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const codeServerBin = join(repoRoot, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');

/** Settings that keep the workbench quiet and offline: no walkthrough, gallery, telemetry or update checks. */
const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Trust enabled and never asked about: the folder stays in restricted mode (isTrusted === false). */
const untrustedSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function tail(file, lines) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Every file under dir (the extension host's logs live several folders down in the user data dir). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

async function waitForHealth(port, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it answered /healthz. Log tail:\n${tail(logFile, 30)}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer http://127.0.0.1:${port}/healthz within ${timeoutMs} ms. Log tail:\n${tail(logFile, 30)}`);
}

/**
 * @param {object} options
 * @param {string} options.workspace folder to open (absolute path)
 * @param {'trusted'|'untrusted'} [options.trust] 'trusted' (default) disables workspace trust, so everything runs
 * @param {Record<string,string>} [options.env] extra environment for the server and so the extension host
 * @param {Record<string,unknown>} [options.settings] extra user settings
 * @param {boolean} [options.keepDir] keep the throwaway dir (logs) after stop
 * @param {string} [options.installExtension] extension folder to install as a user would (linked
 *   into the extensions dir before start) instead of loading it as a development extension
 */
export async function startCodeServer({ workspace, trust = 'trusted', env = {}, settings = {}, keepDir = false, installExtension }) {
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${codeServerBin}. Run \`node scripts/setup.mjs test\` (needs the npm registry) first.`);
  }
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) throw new Error(`workspace folder ${workspace} does not exist`);

  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'tsae-code-server-'));
  const userData = join(dir, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(join(dir, 'extensions'));
  if (installExtension) {
    // A fresh extensions dir registers every <publisher>.<name>-<version> folder it finds on start.
    const manifest = JSON.parse(readFileSync(join(installExtension, 'package.json'), 'utf8'));
    symlinkSync(installExtension, join(dir, 'extensions', `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
  }
  const trusted = trust !== 'untrusted';
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...(trusted ? {} : untrustedSettings), ...settings }, null, 2));
  // Without an explicit config file code-server writes ~/.config/code-server/config.yaml with a password.
  writeFileSync(join(dir, 'config.yaml'), `bind-addr: ${authority}\nauth: none\ncert: false\n`);

  const logFile = join(dir, 'server.log');
  const logFd = openSync(logFile, 'a');
  const args = [
    '--config',
    join(dir, 'config.yaml'),
    '--bind-addr',
    authority,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    join(dir, 'extensions'),
    workspace,
  ];
  const child = spawn(codeServerBin, args, {
    cwd: repoRoot,
    detached: true, // own process group: stop() kills the extension host and language server too
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg-config'), XDG_DATA_HOME: join(dir, 'xdg-data'), ...env },
  });
  closeSync(logFd);

  // The installed extension is a link to the checkout: unlink it first so no removal can reach through it.
  const removeDir = () => {
    for (const name of existsSync(join(dir, 'extensions')) ? readdirSync(join(dir, 'extensions')) : []) {
      const entry = join(dir, 'extensions', name);
      if (lstatSync(entry).isSymbolicLink()) unlinkSync(entry);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // A test runner or demo that dies must not leave a server behind. Signals do not run 'exit'
  // handlers, so Ctrl+C, SIGTERM and SIGHUP (the terminal closed) get their own: signal the whole
  // group, then exit as the signal would.
  const onExit = () => killGroup('SIGKILL');
  const onSignal = (signal) => {
    killGroup('SIGTERM');
    if (!keepDir) removeDir();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      process.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      killGroup('SIGKILL'); // stragglers that ignored SIGTERM (extension host children)
      if (!keepDir) removeDir();
    })();
    return stopped;
  };

  try {
    await waitForHealth(port, child, logFile, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    port,
    authority,
    dir,
    logFile,
    workspace,
    /**
     * The workbench URL; with extensionDevelopmentPath the extension loads from that folder,
     * with extensionTestsPath the extension host runs that module's run() and then exits.
     */
    url({ extensionDevelopmentPath, extensionTestsPath, folder = workspace } = {}) {
      const payload = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
      const query = `folder=${encodeURIComponent(folder)}` + (payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
      return `http://${authority}/?${query}`;
    },
    /** The last lines of the server's own log. */
    logTail(lines = 40) {
      return tail(logFile, lines);
    },
    /** The extension host logs (remote side), newest content last; where activation errors show up. */
    extensionHostLog() {
      return filesUnder(join(userData, 'logs'))
        .filter((f) => /exthost/i.test(f) && f.endsWith('.log'))
        .map((f) => `== ${f}\n${readFileSync(f, 'utf8')}`)
        .join('\n');
    },
    stop,
  };
}
