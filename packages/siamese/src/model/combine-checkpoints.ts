/** Node: several trained checkpoints (e.g. `mfr train` runs with other seeds) made into one averaging ensemble. */
import { resolve } from 'node:path';
import {
  configDifferences,
  ENSEMBLE_MEMBERS_SHARE,
  ensembleFromCheckpoints,
  readSiameseInfo,
  type SiameseCheckpointInfo,
} from './checkpoint.js';
import { type SaveSiameseOptions, saveSiameseEnsemble } from './save-siamese.js';

/** Options of {@link combineSiameseCheckpoints}. */
export interface CombineCheckpointsOptions extends SaveSiameseOptions {
  /** Metadata for the ensemble's `siamese.json` (the sources are recorded in `combinedFrom`). */
  meta?: Record<string, unknown>;
}

/**
 * Writes checkpoints that share their config (embedder, fused descriptors, adapter and head widths) as one
 * averaging ensemble in `out` (`member-1/`, ...; each member keeps its source's metadata and the source's path
 * in `from`). A calibration does not carry over: measure one for the ensemble (calibrate-matcher.ts).
 *
 * @example
 * await combineSiameseCheckpoints(['out/s0/best', 'out/s1/best', 'out/s2/best'], 'out/heads', { weights: 'float16' });
 */
export async function combineSiameseCheckpoints(
  dirs: readonly string[],
  out: string,
  options: CombineCheckpointsOptions = {},
): Promise<{ members: number; config: SiameseCheckpointInfo['config'] }> {
  if (dirs.length < 2)
    throw new Error(`combineSiameseCheckpoints: give two or more checkpoints, got ${dirs.length}`);
  if (dirs.some((d) => resolve(d) === resolve(out)))
    throw new Error(
      `combineSiameseCheckpoints: the output "${out}" is one of the checkpoints; write elsewhere`,
    );
  const checkpoints: { dir: string; info: SiameseCheckpointInfo }[] = [];
  for (const dir of dirs) {
    const info = await readSiameseInfo(dir);
    if (info.members) {
      throw new Error(
        `combineSiameseCheckpoints: "${dir}" is already an ensemble of ${info.members.length}; give its member folders instead`,
      );
    }
    checkpoints.push({ dir, info });
  }
  const { config } = checkpoints[0].info;
  for (const { dir, info } of checkpoints) {
    const differ = configDifferences(config, info.config);
    if (differ.length > 0) {
      throw new Error(
        `combineSiameseCheckpoints: "${dir}" differs from "${dirs[0]}" in ${differ.join(', ')}; ${ENSEMBLE_MEMBERS_SHARE}`,
      );
    }
  }
  const ensemble = await ensembleFromCheckpoints(checkpoints);
  try {
    const { meta, ...save } = options;
    await saveSiameseEnsemble(
      ensemble.members,
      out,
      { ...meta, combinedFrom: dirs.map((d) => resolve(d)) },
      {
        ...save,
        memberMeta: checkpoints.map(({ dir, info }) => ({ ...info.meta, from: resolve(dir) })),
      },
    );
  } finally {
    ensemble.dispose();
  }
  return { members: dirs.length, config };
}
