/** Worker thread of `maskDataset({ workers: n })`: its own tfjs engine and models, one image per message. */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '@mfr/core';
import { createLandmarker } from '../landmarks/create-landmarker.js';
import { createVerifier } from '../verify/verifier.js';
import { type ProcessContext, processImage } from './process-image.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('batch worker: must run as a worker thread');
  const init = workerData as WorkerInit;
  const send = (m: FromWorker) => port.postMessage(m);
  let ctx: ProcessContext;
  try {
    const backend = await initBackend(init.backend ? { backend: init.backend as 'wasm' } : {});
    const landmarker = await createLandmarker(init.landmarker);
    const verifier = init.verifier ? await createVerifier(init.verifier) : null;
    ctx = { ...init, landmarker, verifier };
    send({ type: 'ready', backend });
  } catch (error) {
    send({ type: 'failed', error: (error as Error).message });
    return;
  }
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'stop') {
      ctx.landmarker.dispose();
      ctx.verifier?.dispose();
      port.close();
      return;
    }
    const { entry, timings } = await processImage(ctx, m.path);
    send({ type: 'done', id: m.id, entry, timings });
  });
}

void main();
