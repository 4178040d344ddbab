// Every run artifact is written through here so a reader (the panels poll run folders, a crash
// may happen mid-write) never sees a half-written file: write a temp file in the same folder,
// fsync it, then rename over the target, which is atomic on one file system.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await fs.promises.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(value));
}
