import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, escapeHtml, makeNonce, renderWebviewHtml } from '../../src/extension/panels/html';

describe('webview HTML shell', () => {
  const shell = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: makeNonce(),
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.css',
    title: 'TSAE: <run> "x"',
  };

  test('the policy is strict: nonce scripts, nothing remote, no eval', () => {
    const csp = contentSecurityPolicy(shell.cspSource, 'abc123');
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-abc123' https:\/\/file\+\.vscode-resource\.vscode-cdn\.net;/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    assert.doesNotMatch(csp, /\*/);
  });

  test('every render gets a fresh nonce, used by the only script tag', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    assert.equal(nonces.size, 50);
    assert.ok([...nonces].every((n) => /^[A-Za-z0-9_-]{16,}$/.test(n)));
    const html = renderWebviewHtml(shell);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${shell.nonce}"`));
    // The policy sits in an attribute, so its quotes are entity-escaped; the browser decodes them.
    const content = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    const decoded = content.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    assert.equal(decoded, contentSecurityPolicy(shell.cspSource, shell.nonce));
  });

  test('no inline handlers, no remote URLs, and the title is escaped', () => {
    const html = renderWebviewHtml(shell);
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    for (const url of html.match(/(?:src|href)="([^"]+)"/g) ?? []) assert.ok(url.includes(shell.cspSource), url);
    assert.ok(html.includes('TSAE: &#60;run&#62; &#34;x&#34;'));
    assert.equal(escapeHtml(`<a href='x'>&`), '&#60;a href=&#39;x&#39;&#62;&#38;');
  });
});
