/** Node: several trained checkpoints (e.g. `mfr train` runs with other seeds) made into one averaging ensemble. */
import { resolve } from 'node:path';
import { createGraphEmbedder } from '../embedders/graph-embedder.js';
import type { Embedder } from '../embedders/types.js';
import { loadSiamese, readSiameseInfo, type SiameseCheckpointInfo } from './checkpoint.js';
import { type SaveSiameseOptions, saveSiameseEnsemble } from './save-siamese.js';
import type { SiameseModel } from './siamese.js';

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
  const infos: SiameseCheckpointInfo[] = [];
  for (const dir of dirs) {
    const info = await readSiameseInfo(dir);
    if (info.members) {
      throw new Error(
        `combineSiameseCheckpoints: "${dir}" is already an ensemble of ${info.members.length}; give its member folders instead`,
      );
    }
    infos.push(info);
  }
  const { config } = infos[0];
  for (const [i, info] of infos.entries()) {
    const differ = (Object.keys({ ...config, ...info.config }) as (keyof typeof config)[]).filter(
      (k) => JSON.stringify(config[k]) !== JSON.stringify(info.config[k]),
    );
    if (differ.length > 0) {
      throw new Error(
        `combineSiameseCheckpoints: "${dirs[i]}" differs from "${dirs[0]}" in ${differ.join(', ')}; ` +
          'members of one ensemble share embedder, fused descriptors, adapter and head widths',
      );
    }
  }
  const shared: Embedder | undefined =
    config.backbone.kind === 'embedder' ? await createGraphEmbedder(config.backbone.spec) : undefined;
  const models: SiameseModel[] = [];
  try {
    for (const dir of dirs) models.push(await loadSiamese(dir, shared ? { embedder: shared } : {}));
    const { meta, ...save } = options;
    await saveSiameseEnsemble(
      models,
      out,
      { ...meta, combinedFrom: dirs.map((d) => resolve(d)) },
      {
        ...save,
        memberMeta: infos.map((info, i) => ({ ...info.meta, from: resolve(dirs[i]) })),
      },
    );
  } finally {
    for (const m of models) m.dispose();
    shared?.dispose();
  }
  return { members: dirs.length, config };
}
