/**
 * Mask every face photo in a folder-per-identity set: `<input>/<person>/<photo>` -> `<output>/<person>/<photo>`
 * plus `<output>/manifest.jsonl` (one line per photo with its status). Run it again and it resumes.
 *
 *   pnpm --filter @mfr/example-mask-a-folder start -- <input dir> <output dir> [mask spec JSON]
 *   e.g. ... start -- ../../../shared/datasets/att out/att-masked '{"shape":"a","color":"white"}'
 */
import { pathToFileURL } from 'node:url';
import { initBackend } from '@mfr/core';
import { parseMaskSpec } from '@mfr/masking';
import { type MaskDatasetResult, maskDataset } from '@mfr/masking/node';

/** Options of {@link maskFolder}. */
export interface MaskFolderOptions {
  input: string;
  output: string;
  /** Mask description (see parseMaskSpec); default the paper's white type-a mask. */
  spec?: Record<string, unknown>;
  /** Seed of the masks (default 1). */
  seed?: number;
  /** Called after every photo. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Masks a folder and returns the counts per status.
 *
 * @example
 * const r = await maskFolder({ input: 'photos', output: 'out/masked' });
 * r.counts.masked; // photos written
 */
export async function maskFolder(options: MaskFolderOptions): Promise<MaskDatasetResult> {
  await initBackend();
  const spec = parseMaskSpec(options.spec ?? {});
  return maskDataset(options.input, options.output, spec, {
    seed: options.seed ?? 1,
    onProgress: (p) => options.onProgress?.(p.done, p.total),
  });
}

async function cli(): Promise<void> {
  const [input, output, specJson] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: main.ts <input dir> <output dir> [mask spec JSON]\n');
    process.exitCode = 2;
    return;
  }
  const result = await maskFolder({
    input,
    output,
    spec: specJson ? (JSON.parse(specJson) as Record<string, unknown>) : undefined,
    onProgress: (done, total) => process.stderr.write(`\r${done}/${total} photos`),
  });
  const { masked, noFace, notVerified, errors, skipped } = result.counts;
  process.stderr.write(
    `\n${masked} masked, ${noFace} without a detectable face, ${notVerified} not verified, ${errors} errors, ${skipped} already done\nmanifest: ${result.manifestPath}\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
}
