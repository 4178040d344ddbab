// Names in a runs folder: a run's folder `<YYYYMMDD-HHMMSS>-<name>` and the hidden staging folder
// `.staging-<pid>-<hex>` a run is written into before it gets its name (see RunFolder.create).
// No tfjs here: the readers (runs list, CLI, extension host) import it.

export const STAGING_PREFIX = '.staging-';

export function runFolderName(startedAt: Date, name: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${startedAt.getFullYear()}${p(startedAt.getMonth() + 1)}${p(startedAt.getDate())}-${p(startedAt.getHours())}${p(startedAt.getMinutes())}${p(startedAt.getSeconds())}`;
  const safe =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'run';
  return `${stamp}-${safe}`;
}

/** The pid of the process that made staging folder `name`, or undefined when it is not one. */
export function stagingFolderOwner(name: string): number | undefined {
  const m = /^\.staging-(\d+)-[0-9a-f]+$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
