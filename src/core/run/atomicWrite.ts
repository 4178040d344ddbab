// Every run artifact is written through here so a reader (the panels poll run folders, a crash
// may happen mid-write) never sees a half-written file: write a temp file in the same folder,
// fsync it, then rename over the target, which is atomic on one file system.
//
// The temp file is removed on every failure path (a full disk must not keep its space held by a
// half-written temp file). Its name carries the writer's pid, `<name>.tmp-<pid>-<hex>`, so a
// reader can tell a temp file whose writer died (it can never be renamed) from one in flight.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The file operations an atomic write needs; tests inject failing ones (ENOSPC). */
export interface AtomicWriteFs {
  open(file: string, flags: 'w'): Promise<{ writeFile(data: string | Uint8Array): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: true }): Promise<void>;
}

const nodeFs: AtomicWriteFs = {
  open: (file, flags) => fs.promises.open(file, flags),
  rename: (from, to) => fs.promises.rename(from, to),
  rm: (file, options) => fs.promises.rm(file, options),
};

const TEMP_MARK = '.tmp-';
const TEMP_NAME = /\.tmp-(\d+)-[0-9a-f]+$/;

export function tempFileName(file: string, pid = process.pid): string {
  return path.join(path.dirname(file), `${path.basename(file)}${TEMP_MARK}${pid}-${randomBytes(4).toString('hex')}`);
}

/** The pid of the process that wrote temp file `name`, or undefined when `name` is not one of ours. */
export function tempFileWriter(name: string): number | undefined {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The file a temp file was going to replace (`summary.json.tmp-12-ab` -> `summary.json`). */
export function tempFileTarget(name: string): string {
  return name.slice(0, name.lastIndexOf(TEMP_MARK));
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, io: AtomicWriteFs = nodeFs): Promise<void> {
  const tmp = tempFileName(file);
  try {
    const handle = await io.open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await io.rename(tmp, file);
  } catch (err) {
    // open may have created the file before failing; rm with force ignores a missing one.
    await io.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

export function writeJsonAtomic(file: string, value: unknown, io?: AtomicWriteFs): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(value), io);
}
