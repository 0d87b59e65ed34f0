/**
 * Dataset names -> folders. Known names (`lfw`, `yaleb`, `att`) live under the shared datasets folder:
 * `MFR_DATASETS` when set, else `<repo root>/../shared/datasets`. Anything else is taken as a folder path.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** How a dataset's masked probes are obtained. */
export type MaskSource = 'synthetic' | 'real' | 'none';

/** A dataset the benchmark can read: a folder with one sub-folder per identity. */
export interface DatasetRef {
  /** Short name used in reports and cache keys (`lfw`, or the folder's base name). */
  name: string;
  /** Folder of unmasked images, one sub-folder per identity. */
  root: string;
  /** Folder of REAL masked photos mirroring `root`'s identities, when the dataset has them. */
  maskedDir?: string;
  /**
   * Fraction of the shorter image side used for the centre-crop fallback when no face is detected.
   * Pre-aligned sets: LFW deep-funneled faces are ~120 px of 250 (0.55); AT&T and Yale B crops are the face (1).
   */
  fallbackCrop: number;
}

/** Known dataset names, their folder under the shared datasets folder and their centre-crop fallback. */
export const KNOWN_DATASETS: Readonly<Record<string, { folder: string; fallbackCrop: number }>> =
  Object.freeze({
    lfw: { folder: 'lfw/images', fallbackCrop: 0.55 },
    yaleb: { folder: 'yaleb', fallbackCrop: 1 },
    att: { folder: 'att', fallbackCrop: 1 },
  });

/**
 * The repository root: the nearest folder at or above `start` that holds `pnpm-workspace.yaml`
 * (falls back to `start` itself).
 *
 * @example
 * findRepoRoot(process.cwd()); // '/work/main'
 */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

/**
 * The folder that holds the known datasets: `env.MFR_DATASETS`, else `<repo root>/../shared/datasets`.
 *
 * @example
 * datasetsRoot(); // '/work/shared/datasets'
 */
export function datasetsRoot(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env;
  if (env.MFR_DATASETS) return resolve(env.MFR_DATASETS);
  return resolve(findRepoRoot(options.cwd), '..', 'shared', 'datasets');
}

/** Options of {@link resolveDataset}. */
export interface ResolveDatasetOptions {
  /** Base for relative paths and the repo-root search (default process.cwd()). */
  cwd?: string;
  /** Environment (default process.env), for MFR_DATASETS. */
  env?: NodeJS.ProcessEnv;
  /** A folder of real masked photos (`--masked-dir`), mirroring the identities of the dataset. */
  maskedDir?: string;
  /** The name in reports and cache keys (`--name`); default: see {@link datasetNameOf}. */
  name?: string;
}

/** Folder names that say what a folder holds, not whose faces: a dataset in one is named after its parent. */
const GENERIC_FOLDER_NAMES = new Set(['unmasked', 'masked', 'images']);

/**
 * The default report name of a dataset folder: its base name, or its parent's when the base name is generic
 * (`staff/unmasked` -> `staff`), so `<root>/unmasked` with `--masked-dir <root>/masked` reads as `<root>`.
 *
 * @example
 * datasetNameOf('/data/staff/unmasked'); // 'staff'
 * datasetNameOf('/data/my-faces');       // 'my-faces'
 */
export function datasetNameOf(root: string): string {
  const name = basename(root);
  return GENERIC_FOLDER_NAMES.has(name.toLowerCase()) ? basename(dirname(root)) : name;
}

/**
 * Resolves a dataset argument (a known name or a folder path) to a {@link DatasetRef}; throws naming the
 * argument when the folder does not exist.
 *
 * @example
 * resolveDataset('lfw').root;              // '/work/shared/datasets/lfw/images'
 * resolveDataset('./my-faces').name;       // 'my-faces'
 * resolveDataset('./staff/unmasked').name; // 'staff'
 * resolveDataset('./staff', { maskedDir: './staff-masked' }).maskedDir;
 */
export function resolveDataset(spec: string, options: ResolveDatasetOptions = {}): DatasetRef {
  const cwd = options.cwd ?? process.cwd();
  const known = KNOWN_DATASETS[spec];
  let ref: DatasetRef;
  if (known) {
    const root = join(datasetsRoot({ cwd, env: options.env }), known.folder);
    if (!isDir(root)) {
      throw new Error(
        `Dataset "${spec}": folder ${root} not found. Set MFR_DATASETS to the folder holding lfw/, yaleb/ and att/.`,
      );
    }
    ref = { name: options.name ?? spec, root, fallbackCrop: known.fallbackCrop };
  } else {
    const root = resolve(cwd, spec);
    if (!isDir(root)) {
      throw new Error(
        `Dataset "${spec}" is neither a known name (${Object.keys(KNOWN_DATASETS).join(', ')}) nor a folder.`,
      );
    }
    ref = { name: options.name ?? datasetNameOf(root), root, fallbackCrop: 1 };
  }
  if (options.maskedDir) {
    const maskedDir = resolve(cwd, options.maskedDir);
    if (!isDir(maskedDir)) throw new Error(`--masked-dir ${options.maskedDir}: folder not found.`);
    ref.maskedDir = maskedDir;
  }
  return ref;
}

/** Whether masked probes of this dataset are real photos or made by synthetic masking. */
export function maskSourceOf(dataset: DatasetRef, maskProbes = true): MaskSource {
  if (!maskProbes) return 'none';
  return dataset.maskedDir ? 'real' : 'synthetic';
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
