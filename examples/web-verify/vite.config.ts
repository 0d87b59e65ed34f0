import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { faceApiModelDir, humanModelsDir } from '@mfr/masking/node';
import { SHIPPED_MODEL } from '@mfr/siamese';
import { shippedModelDir } from '@mfr/siamese/node';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

// What the page loads, served beside it (nothing comes from the internet): URL folder -> files on disk
function servedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const add = (urlDir: string, dir: string, keep: (name: string) => boolean) => {
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const path = join(d, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (keep(name)) files.set(`${urlDir}/${relative(dir, path).split('\\').join('/')}`, path);
      }
    };
    walk(dir);
  };
  // the face finder's nets (tiny face detector, SSD MobileNet v1, 68-point landmarks) and the recognition net
  // whose descriptor the shipped model fuses with faceres
  add('models/face-api', faceApiModelDir(), (n) =>
    /^(tiny_face_detector|ssd_mobilenetv1|face_landmark_68|face_recognition)_model/.test(n),
  );
  // the frozen embedder of the shipped model
  add('models/human', humanModelsDir(), (n) => /^faceres\.(json|bin)$/.test(n));
  // the shipped Siamese head and its calibration
  add(`models/${SHIPPED_MODEL}`, shippedModelDir(), (n) => /\.(json|bin)$/.test(n));
  add('wasm', wasmDir, (n) => n.endsWith('.wasm'));
  return files;
}

/** Copies the models and the wasm binaries into the build, and serves them in `vite dev`. */
function modelFiles(): Plugin {
  const files = servedFiles();
  return {
    name: 'mfr-model-files',
    generateBundle() {
      for (const [fileName, path] of files)
        this.emitFile({ type: 'asset', fileName, source: readFileSync(path) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = files.get((req.url ?? '').split('?')[0].replace(/^\//, ''));
        if (!path) return next();
        res.setHeader(
          'Content-Type',
          path.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        );
        res.end(readFileSync(path));
      });
    },
  };
}

export default defineConfig({
  plugins: [modelFiles()],
  // one tfjs-core for our packages, face-api and the backends
  resolve: {
    dedupe: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-layers'],
    alias: {
      '@mediapipe/face_detection': fileURLToPath(new URL('./src/mediapipe-runtime.ts', import.meta.url)),
      '@mediapipe/face_mesh': fileURLToPath(new URL('./src/mediapipe-runtime.ts', import.meta.url)),
    },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  preview: { port: 4173 },
});
