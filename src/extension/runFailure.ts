// The one-line text of a failed run, naming file, line and field as precisely as the worker's
// location allows. No `vscode` import, so it is unit-tested.

import * as path from 'node:path';
import type { ErrorLocation } from '../core/protocol/worker';

/** "file:line: field: message", as precise as the worker's location allows. */
export function describeFailure(message: string, location?: ErrorLocation): string {
  // Data errors already start with "file:line:column:"; do not say it twice.
  if (!location || message.includes(`${path.basename(location.file)}:`)) return message;
  const where = location.line !== undefined ? `${location.file}:${location.line}` : location.file;
  const field = location.field && !message.includes(location.field) ? `${location.field}: ` : '';
  return `${where}: ${field}${message}`;
}
