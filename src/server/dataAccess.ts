// Which data files this server may read: any in a trusted workspace, only those inside the
// workspace folders in an untrusted one (see docs/rules/TSAE007.md). Set once at initialize;
// the client restarts the server when the user grants trust.

let roots: readonly string[] | undefined;

export function setDataRoots(value: readonly string[] | undefined): void {
  roots = value;
}

/** Undefined: no restriction. */
export function dataRoots(): readonly string[] | undefined {
  return roots;
}
