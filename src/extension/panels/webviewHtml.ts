// Renders the HTML shell for a webview of ours with a fresh nonce (see html.ts for the policy).

import * as vscode from 'vscode';
import { makeNonce, renderWebviewHtml } from './html';

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: 'dashboard' | 'runs' | 'compare' | 'timeline', title: string): string {
  const asset = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  return renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: asset(`${bundle}.js`),
    styleUri: asset(`${bundle}.css`),
    title,
  });
}
