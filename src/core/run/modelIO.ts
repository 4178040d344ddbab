// Saves and loads tfjs Layers models as `model.json` + `weights.bin` in a folder, the same
// layout tfjs-node's `file://` handler writes, but through the atomic writer and without
// needing tfjs-node (which cannot be installed everywhere).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from './atomicWrite';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** What TSAE adds to model.json's userDefinedMetadata: the epoch whose weights these are. */
export interface SavedModelMetadata {
  tsaeEpoch?: number;
}

export function folderSaveHandler(dir: string, metadata: SavedModelMetadata = {}): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      await fs.promises.mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
      const userDefined = { ...(artifacts.userDefinedMetadata ?? {}), ...metadata };
      if (Object.keys(userDefined).length > 0) modelJson.userDefinedMetadata = userDefined;
      // Weights first: a model.json that exists always points at complete weights.
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

export function folderLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonFile = path.join(dir, MODEL_JSON);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(await fs.promises.readFile(jsonFile, 'utf8')) as tf.io.ModelJSON;
      } catch (err) {
        throw new Error(`${jsonFile}: cannot read the saved model (${(err as Error).message})`);
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = await fs.promises.readFile(path.join(dir, p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

export async function saveModel(model: tf.LayersModel, dir: string, metadata: SavedModelMetadata = {}): Promise<void> {
  // A decoder fed initial states (bridge: initialState) makes tfjs warn that its keyword
  // arguments "will not be included in the serialized model". The states are still saved, as
  // inputs of the layer's node (the model tests compare outputs after a reload), so the warning
  // is wrong here and would alarm users in every such run's log; only that one is dropped.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].includes('non-serializable keyword arguments'))) warn(...args);
  };
  try {
    await model.save(folderSaveHandler(dir, metadata));
  } finally {
    console.warn = warn;
  }
}

export function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(folderLoadHandler(dir));
}

/**
 * Puts the weights saved in `dir` (model.json + weights.bin) into `model`, which must have the
 * same architecture: the same number of weights, in the same order, of the same shapes. Throws
 * naming the file and the first mismatch otherwise. Used to resume a run from its checkpoint.
 */
export async function restoreWeights(model: tf.LayersModel, dir: string): Promise<void> {
  const artifacts = await folderLoadHandler(dir).load!();
  const specs = artifacts.weightSpecs ?? [];
  const jsonFile = path.join(dir, MODEL_JSON);
  const expected = model.weights;
  if (specs.length !== expected.length) {
    throw new Error(`${jsonFile}: the saved model has ${specs.length} weights, the model built from the run's config has ${expected.length}`);
  }
  const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const needed = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (data.byteLength !== needed) {
    throw new Error(`${path.join(dir, WEIGHTS_BIN)}: holds ${data.byteLength} bytes, the saved model needs ${needed}`);
  }
  const named = tf.io.decodeWeights(data, specs);
  const tensors = specs.map((spec) => named[spec.name]);
  try {
    specs.forEach((spec, i) => {
      const shape = expected[i].shape;
      if (spec.shape.length !== shape.length || spec.shape.some((d, k) => d !== shape[k])) {
        throw new Error(`${jsonFile}: weight ${spec.name} has shape [${spec.shape}], the model built from the run's config needs [${shape}]`);
      }
    });
    model.setWeights(tensors);
  } finally {
    tf.dispose(Object.values(named));
  }
}
