/**
 * The verification page: a reference photo and a probe photo (file, drop or webcam), an optional synthetic mask
 * drawn on the probe in the page, then @mfr/siamese's matcher at the shipped model's FAR 1% threshold, on the
 * backend chosen with `?backend=webgl|webgpu|wasm|cpu`. Models load from files served with the page.
 * `window.mfr` exposes the same steps to scripts (the Playwright test drives it).
 */
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendName, initBackend, readImageFrom } from '@mfr/core';
import { createLandmarker, DEFAULT_MASK_SPEC, type Landmarker, maskImage, type RgbImage } from '@mfr/masking';
import { createMatcher, type Matcher, SHIPPED_MODEL, type Verification } from '@mfr/siamese';
import { drawFace, imageFromCanvas, readFileImage } from './draw.js';

const base = new URL('./', document.baseURI).href;
const models = {
  model: `${base}models/${SHIPPED_MODEL}`,
  embedderModels: `${base}models/human`,
  faceApi: `${base}models/face-api`,
};

/** What one verification reports, as plain JSON. */
export interface PageResult {
  backend: string;
  score: number | null;
  match: boolean;
  threshold: number;
  reason?: string;
  masked: boolean;
  /** Milliseconds: enrolling the reference, verifying the probe against it, drawing the mask. */
  timings: {
    enroll: number;
    verify: number;
    mask: number | null;
    detect: number;
    embed: number;
    head: number;
  };
  referenceBox: Verification['reference'];
  probeBox: Verification['probe'];
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => {
  $('status').textContent = text;
};

const requested = (new URLSearchParams(location.search).get('backend') ?? 'webgl') as BackendName;
$<HTMLSelectElement>('backend').value = requested;
$<HTMLSelectElement>('backend').addEventListener('change', (e) => {
  // a fresh page per backend: tfjs keeps weights on the backend they were loaded on
  location.search = `?backend=${(e.target as HTMLSelectElement).value}`;
});

let landmarker: Landmarker | null = null;

async function start(): Promise<{ matcher: Matcher; backend: string; loadMs: number }> {
  const t0 = performance.now();
  const backend = await initBackend({ backend: requested, wasmPaths: `${base}wasm/` });
  const matcher = await createMatcher({
    model: models.model,
    embedderModels: models.embedderModels,
    faceFinder: { modelDir: models.faceApi },
  });
  return { matcher, backend, loadMs: performance.now() - t0 };
}

async function putMask(probe: RgbImage): Promise<{ image: RgbImage; ms: number }> {
  const t0 = performance.now();
  landmarker ??= await createLandmarker({ kind: 'face68', modelDir: models.faceApi });
  const masked = await maskImage(probe, DEFAULT_MASK_SPEC, { landmarker, verifier: null, seed: 0 });
  if (!masked.image) throw new Error(`no face found on the probe to draw a mask on (${masked.status})`);
  return { image: masked.image, ms: performance.now() - t0 };
}

const ready = start();

async function verify(
  reference: RgbImage,
  probe: RgbImage,
  mask: boolean,
): Promise<{ result: PageResult; probe: RgbImage }> {
  const { matcher, backend } = await ready;
  const masked = mask ? await putMask(probe) : null;
  const probeImage = masked ? masked.image : probe;
  const t0 = performance.now();
  const enrolled = await matcher.enroll(reference);
  const t1 = performance.now();
  const r = await matcher.verify(enrolled, probeImage);
  const t2 = performance.now();
  return {
    probe: probeImage,
    result: {
      backend,
      score: r.score,
      match: r.match,
      threshold: r.threshold,
      ...(r.reason ? { reason: r.reason } : {}),
      masked: mask,
      timings: {
        enroll: t1 - t0,
        verify: t2 - t1,
        mask: masked ? masked.ms : null,
        detect: r.timings.detect,
        embed: r.timings.embed,
        head: r.timings.head,
      },
      referenceBox: enrolled.face,
      probeBox: r.probe,
    },
  };
}

function show(result: PageResult, reference: RgbImage, probe: RgbImage): void {
  drawFace($('reference-canvas'), reference, result.referenceBox?.box);
  drawFace($('probe-canvas'), probe, result.probeBox?.box);
  const decision = $('decision');
  decision.className = result.match ? 'match' : 'no-match';
  decision.textContent =
    result.score === null
      ? `No answer: ${result.reason}`
      : `${result.match ? 'Match' : 'No match'} — score ${result.score.toFixed(4)} (threshold ${result.threshold.toFixed(4)}, FAR 1%)`;
  const t = result.timings;
  const rows: [string, string][] = [
    ['backend', result.backend],
    ['enroll reference', `${t.enroll.toFixed(0)} ms`],
    [
      'verify probe',
      `${t.verify.toFixed(0)} ms (detect ${t.detect.toFixed(0)}, embed ${t.embed.toFixed(0)}, head ${t.head.toFixed(1)})`,
    ],
    ['synthetic mask', t.mask === null ? 'none' : `drawn in ${t.mask.toFixed(0)} ms`],
  ];
  $('details').replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      for (const text of [k, v]) tr.appendChild(document.createElement('td')).textContent = text;
      return tr;
    }),
  );
  $('result').hidden = false;
}

// --- the page's controls ---
const photos: { reference: RgbImage | null; probe: RgbImage | null } = { reference: null, probe: null };

function accept(which: 'reference' | 'probe', image: RgbImage): void {
  photos[which] = image;
  drawFace($(`${which}-canvas`), image);
  $<HTMLButtonElement>('verify').disabled = !(photos.reference && photos.probe);
}

for (const which of ['reference', 'probe'] as const) {
  $<HTMLInputElement>(which).addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) accept(which, await readFileImage(file));
  });
  const drop = $(`${which}-drop`);
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) accept(which, await readFileImage(file));
  });
}

$('webcam').addEventListener('click', async () => {
  const video = $<HTMLVideoElement>('video');
  try {
    if (!video.srcObject) {
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      video.hidden = false;
      $('webcam').textContent = 'take the photo';
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    accept('probe', imageFromCanvas(canvas));
  } catch (error) {
    status(`webcam: ${(error as Error).message}`);
  }
});

$('verify').addEventListener('click', async () => {
  if (!photos.reference || !photos.probe) return;
  status('verifying…');
  try {
    const { result, probe } = await verify(
      photos.reference,
      photos.probe,
      $<HTMLInputElement>('mask').checked,
    );
    show(result, photos.reference, probe);
    status('');
  } catch (error) {
    status(`error: ${(error as Error).message}`);
  }
});

ready.then(
  ({ backend, loadMs }) => status(`ready on ${backend} (models loaded in ${loadMs.toFixed(0)} ms)`),
  (error) => status(`cannot start: ${(error as Error).message}`),
);

// --- for scripts and the browser test ---
declare global {
  interface Window {
    mfr: {
      ready: Promise<{ backend: string; loadMs: number }>;
      verifyUrls(reference: string, probe: string, options?: { mask?: boolean }): Promise<PageResult>;
    };
  }
}
window.mfr = {
  ready: ready.then(({ backend, loadMs }) => ({ backend, loadMs })),
  async verifyUrls(referenceUrl, probeUrl, options = {}) {
    const [reference, probe] = await Promise.all([readImageFrom(referenceUrl), readImageFrom(probeUrl)]);
    const { result, probe: shown } = await verify(reference, probe, options.mask ?? false);
    show(result, reference, shown);
    return result;
  },
};
