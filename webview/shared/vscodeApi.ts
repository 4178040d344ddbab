// The webview's side of the message channel. Incoming messages are validated with the shared
// guards and dropped when malformed; outgoing ones are typed.

import { isHostToWebview, type HostToWebview, type WebviewToHost } from '../../src/core/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called only once per page. */
const api = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

export function onHostMessage(handler: (message: HostToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostToWebview(event.data)) {
      console.warn('TSAE: ignoring a malformed message from the extension', event.data);
      return;
    }
    handler(event.data);
  });
}

/** For pages with their own message types (the timeline): validated with `guard`, dropped when malformed. */
export function onMessage<T>(guard: (v: unknown) => v is T, handler: (message: T) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!guard(event.data)) {
      console.warn('TSAE: ignoring a malformed message from the extension', event.data);
      return;
    }
    handler(event.data);
  });
}

export function postTo<T>(message: T): void {
  api.postMessage(message);
}

export function getState(): unknown {
  return api.getState();
}

export function setState(state: unknown): void {
  api.setState(state);
}
