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
