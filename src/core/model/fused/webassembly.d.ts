// The few WebAssembly globals the kernel loader uses. Node 20 provides them at run time, but the
// project compiles without the DOM lib (which is where TypeScript declares them).
declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  interface WebAssemblyInstantiatedSource {
    instance: Instance;
  }
  function instantiate(bytes: Uint8Array, imports?: Record<string, unknown>): Promise<WebAssemblyInstantiatedSource>;
}
