import type { Command } from 'commander';
import { printJsonResult } from '../cli-support/json-output.js';
import { mergeShards } from '../runner/merge-shards.js';

/**
 * Registers `mfr merge <dir>`: joins the shards of `mfr mask --shard` (an output folder) or `mfr bench --shard`
 * (a cache folder) into what one machine would have written (see `mergeShards`).
 *
 * @example
 * registerMergeCommand(program);
 * // mfr merge out/lfw-masked --json
 */
export function registerMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('Join the shards of mfr mask --shard or mfr bench --shard into one manifest / one cache.')
    .argument('<dir>', 'the <output-dir> of mfr mask --shard, or the --cache folder of mfr bench --shard')
    .option('--json', 'print one JSON summary object as the last line of stdout')
    .addHelpText(
      'after',
      `
Masking: every shard i of n must have finished (<dir>/.shards/i-of-n/done.json); the merge writes
<dir>/manifest.jsonl with one line per image (sorted), removes temp files of killed attempts and .shards/.
Benchmark cache: merges the masked-probe folders (masked/*/output) the same way and folds the shard files of the
embedding and face caches into the shared files. Running it again changes nothing. See docs/scale.md.

Examples:
  mfr merge out/lfw-masked
  mfr merge /shared/mfr-cache --json`,
    )
    .action(async (dir: string, options: { json?: boolean }) => {
      const r = await mergeShards(dir);
      const lines =
        r.kind === 'none' ? [`${dir}: nothing to merge (no shard files left)`] : [`${dir}: merged`];
      for (const m of r.masks) {
        const statuses = Object.entries(m.statuses)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ');
        lines.push(
          `  ${m.manifestPath}: ${m.images} images from ${m.shards} shards (${m.attempts} attempt manifests; ${statuses})`,
        );
        if (m.staleTempFiles.length > 0)
          lines.push(`  removed ${m.staleTempFiles.length} temp file(s) left by killed attempts`);
      }
      for (const c of r.caches)
        lines.push(`  ${c.path}: +${c.added} entries from ${c.files} shard files (${c.entries} in all)`);
      process.stderr.write(`${lines.join('\n')}\n`);
      if (options.json) {
        printJsonResult({
          dir,
          kind: r.kind,
          masks: r.masks.map((m) => ({
            folder: m.folder,
            shards: m.shards,
            attempts: m.attempts,
            images: m.images,
            statuses: m.statuses,
            staleTempFilesRemoved: m.staleTempFiles.length,
          })),
          caches: r.caches,
        });
      }
    });
}
