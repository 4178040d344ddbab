// Reads zip archives (a .vsix is one) without an unzip tool: the central directory lists the
// entries, each local entry is stored or deflated.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeader: number;
}

function centralDirectory(buf: Buffer, file: string): ZipEntry[] {
  // The end-of-central-directory record is in the last 64 KB + 22 bytes (its comment is at most 64 KB).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip archive (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      localHeader: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Entry names of a zip archive. */
export function zipEntries(file: string): string[] {
  return centralDirectory(fs.readFileSync(file), file).map((e) => e.name);
}

/** Extracts the entries under `prefix` (e.g. `extension/`) into `into`, without the prefix. */
export function extractZip(file: string, into: string, prefix = ''): number {
  const buf = fs.readFileSync(file);
  let written = 0;
  for (const entry of centralDirectory(buf, file)) {
    if (!entry.name.startsWith(prefix) || entry.name.endsWith('/')) continue;
    const target = path.resolve(into, entry.name.slice(prefix.length));
    if (!target.startsWith(path.resolve(into) + path.sep)) throw new Error(`${file}: entry ${entry.name} points outside the target folder`);
    const at = entry.localHeader;
    if (buf.readUInt32LE(at) !== 0x04034b50) throw new Error(`${file}: bad local header for ${entry.name}`);
    const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
    const raw = buf.subarray(start, start + entry.compressedSize);
    const data = entry.method === 0 ? raw : entry.method === 8 ? inflateRawSync(raw) : undefined;
    if (!data) throw new Error(`${file}: ${entry.name} uses compression method ${entry.method}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
    written++;
  }
  return written;
}

/** Packages the extension at `root` with vsce (as `npm run package` does) into `out`. */
export function packageVsix(root: string, out: string): void {
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: root, stdio: 'pipe' });
}
