/**
 * Backend selection: the fastest tfjs backend that is installed and works here, in Node or in a browser.
 *
 * Order: tfjs-node-gpu > tfjs-node > webgpu > webgl > wasm > cpu. tfjs-node(-gpu) are tried only under Node and
 * only load when their native binding is present (see the README's "faster training" section). webgpu and
 * webgl are used when the page imported their packages (`import '@tensorflow/tfjs-backend-webgl'`), as tfjs
 * does. Override with `initBackend({ backend })` or, in Node, the `MFR_BACKEND` environment variable.
 *
 * @example
 * const name = await initBackend();          // e.g. 'wasm' in Node, 'webgl' in a page that imported it
 * const forced = await initBackend({ backend: 'cpu' });
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from './kernels/index.js';

/** The backends this toolkit knows, fastest first. */
export const BACKEND_PREFERENCE = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_PREFERENCE)[number];

export interface InitBackendOptions {
  /** Use exactly this backend (throws if it cannot start). Default: `MFR_BACKEND`, else the best available. */
  backend?: BackendName | 'tfjs-node' | 'tfjs-node-gpu';
  /** Print which backend was picked, and why others were skipped, to stderr. Default false. */
  verbose?: boolean;
  /** Called once with the backend picked and the reasons the faster ones were skipped (for callers' own logs). */
  onSelect?: (selection: BackendSelection) => void;
  /**
   * Where the wasm backend's `.wasm` files are served (a folder URL ending in `/`), for pages whose bundler does
   * not serve them beside the script. Default: tfjs-backend-wasm's own lookup.
   */
  wasmPaths?: string;
}

/** What {@link initBackend} picked, and why it passed over the faster backends. */
export interface BackendSelection {
  backend: BackendName;
  /** True when the backend was asked for (option or `MFR_BACKEND`), not picked by preference. */
  requested: boolean;
  /** `<backend>: <reason>` for each faster backend that could not start. */
  skipped: string[];
}

const ALIASES: Record<string, BackendName> = {
  'tfjs-node-gpu': 'tensorflow-gpu',
  'node-gpu': 'tensorflow-gpu',
  gpu: 'tensorflow-gpu',
  'tfjs-node': 'tensorflow',
  node: 'tensorflow',
  tensorflow: 'tensorflow',
  'tensorflow-gpu': 'tensorflow-gpu',
  webgpu: 'webgpu',
  webgl: 'webgl',
  wasm: 'wasm',
  cpu: 'cpu',
};

const isNode = () =>
  typeof process !== 'undefined' &&
  typeof (process as { versions?: { node?: string } }).versions?.node === 'string';

// Under Node only: a specifier in a variable, so that bundlers leave tfjs-node out of browser bundles.
async function importNodeOnly(specifier: string): Promise<unknown> {
  if (!isNode()) throw new Error('only runs under Node');
  return import(/* @vite-ignore */ specifier);
}

/** Normalises a backend name or alias (e.g. `tfjs-node`) to the name tfjs registers. */
export function normalizeBackendName(name: string): BackendName {
  const key = name.trim().toLowerCase();
  const resolved = ALIASES[key];
  if (!resolved) {
    throw new Error(`Unknown backend "${name}". Use one of: ${Object.keys(ALIASES).join(', ')}.`);
  }
  return resolved;
}

// Registers a backend's kernels with tfjs-core by importing its package; returns why it failed, if it did.
async function loadBackendPackage(name: BackendName, options: InitBackendOptions): Promise<string | null> {
  try {
    switch (name) {
      case 'tensorflow-gpu':
        // tfjs-node-gpu registers itself under the name 'tensorflow'
        await importNodeOnly('@tensorflow/tfjs-node-gpu');
        return null;
      case 'tensorflow':
        await importNodeOnly('@tensorflow/tfjs-node');
        return null;
      case 'webgpu':
      case 'webgl':
        return tf.findBackendFactory(name)
          ? null
          : `not registered (import '@tensorflow/tfjs-backend-${name}' before initBackend to use it)`;
      case 'wasm': {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
        registerWasmTrainingKernels();
        return null;
      }
      case 'cpu':
        await import('@tensorflow/tfjs-backend-cpu');
        return null;
    }
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

// tfjs-node and tfjs-node-gpu both register as 'tensorflow'
const registeredName = (name: BackendName) => (name === 'tensorflow-gpu' ? 'tensorflow' : name);

async function trySetBackend(name: BackendName, options: InitBackendOptions): Promise<string | null> {
  const loadError = await loadBackendPackage(name, options);
  if (loadError) return loadError;
  if (!tf.findBackendFactory(registeredName(name))) return 'package loaded but registered no backend';
  try {
    const ok = await tf.setBackend(registeredName(name));
    if (!ok) return 'setBackend returned false (initialisation failed)';
    await tf.ready();
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

/**
 * Picks and initialises a backend and returns its name ('tensorflow-gpu', 'tensorflow', 'wasm' or 'cpu').
 * Throws when a requested backend cannot start, naming the reason.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const requested = options.backend ?? (isNode() ? process.env.MFR_BACKEND : undefined);
  const log = (message: string) => {
    if (options.verbose) console.error(`[mfr] ${message}`);
  };
  if (requested) {
    const name = normalizeBackendName(requested);
    const error = await trySetBackend(name, options);
    if (error) throw new Error(`Backend "${name}" could not start: ${error}`);
    log(`backend: ${name} (requested)`);
    options.onSelect?.({ backend: name, requested: true, skipped: [] });
    return name;
  }
  const skipped: string[] = [];
  for (const name of BACKEND_PREFERENCE) {
    const error = await trySetBackend(name, options);
    if (!error) {
      log(`backend: ${name}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}`);
      options.onSelect?.({ backend: name, requested: false, skipped });
      return name;
    }
    skipped.push(`${name}: ${error}`);
  }
  throw new Error(`No tfjs backend could start:\n  ${skipped.join('\n  ')}`);
}

/** The name of the active backend, as {@link initBackend} reports it. */
export function currentBackend(): string {
  return tf.getBackend();
}
