/** Registers the gradient kernels that tfjs-backend-wasm lacks. Filled in by the wasm-kernels work. */
export function registerWasmTrainingKernels(): void {}
