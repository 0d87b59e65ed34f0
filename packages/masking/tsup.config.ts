import { packageBuild } from '../../tsup.base';

// the batch worker is its own entry: maskDataset({ workers }) starts it as a child process
export default packageBuild([
  'src/index.ts',
  'src/node.ts',
  'src/batch/worker.ts',
  'src/platform/node.ts',
  'src/platform/browser.ts',
]);
