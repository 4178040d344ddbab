// The HTML shell every TSAE webview gets: one stylesheet, one script, a strict Content Security
// Policy with a fresh nonce per render. No `vscode` import, so the tests check the policy itself.

import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** Only our own bundles (by nonce or by the webview resource origin); no eval, no remote anything. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return (
    ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource} 'unsafe-inline'`, `script-src 'nonce-${nonce}' ${cspSource}`, `font-src ${cspSource}`].join('; ') +
    ';'
  );
}

export interface WebviewShell {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

export function renderWebviewHtml(shell: WebviewShell): string {
  const csp = contentSecurityPolicy(shell.cspSource, shell.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(shell.styleUri)}">
<title>${escapeHtml(shell.title)}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${escapeHtml(shell.nonce)}" src="${escapeHtml(shell.scriptUri)}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
