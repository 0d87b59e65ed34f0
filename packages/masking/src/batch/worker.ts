/**
 * Child process of `maskDataset({ workers: n })`: its own tfjs engine and models, one batch of images per message.
 * Processes, not worker threads: tfjs-node's native binding keeps process-wide state that two threads running ops
 * at once can corrupt, and TensorFlow sizes its op thread pool once per process.
 */
import { initBackend } from '@mfr/core';
import { createLandmarker } from '../landmarks/create-landmarker.js';
import { createVerifier } from '../verify/verifier.js';
import { type ProcessContext, processImages } from './process-images.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

function main(): void {
  if (!process.send) throw new Error('batch worker: must run as a child process of maskDataset');
  const send = (m: FromWorker) => process.send?.(m);
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let ctx: ProcessContext | null = null;
  // the parent went away (finished, or killed): nothing more will arrive, and no one reads the results
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (m: ToWorker) => {
    if (m.type === 'init') {
      try {
        const backend = await initBackend(m.init.backend ? { backend: m.init.backend as 'wasm' } : {});
        const landmarker = await createLandmarker(m.init.landmarker);
        const verifier = m.init.verifier ? await createVerifier(m.init.verifier) : null;
        ctx = { ...m.init, landmarker, verifier };
        send({ type: 'ready', backend, cpuMs: cpuMs() });
      } catch (error) {
        send({ type: 'failed', error: (error as Error).message });
      }
      return;
    }
    if (m.type === 'stop') {
      ctx?.landmarker.dispose();
      ctx?.verifier?.dispose();
      process.disconnect();
      return;
    }
    if (!ctx) throw new Error('batch worker: a batch arrived before init');
    const results = await processImages(ctx, m.paths);
    send({ type: 'done', id: m.id, results, cpuMs: cpuMs() });
  });
}

main();
