import { packageBuild } from '../../tsup.base';

// the batch worker is its own entry: maskDataset({ workers }) starts it as a worker thread
export default packageBuild(['src/index.ts', 'src/batch/worker.ts']);
