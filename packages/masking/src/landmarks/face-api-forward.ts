/**
 * face-api's tiny face detector and 68-point landmark nets, run on their loaded weights with tfjs's fused ops.
 *
 * Same layers, weights and post-processing as face-api (the tests compare both on photos), about a third of the
 * ops: face-api subtracts the mean colour through a three-way concat (1.4-2 ms per call on wasm, as much as all of
 * a net's convolutions), pads crops with another concat, and spends 3-5 ops per layer on bias, padding and leaky
 * ReLU that one fused convolution does. Here the net input is read straight from the image bytes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FaceApi } from './face-api.js';
import { type BoundingBox, boxIou, type RgbImage } from './types.js';

/** The tiny face detector's mean colour and NMS threshold (face-api's `tinyFaceDetector/const.ts`; anchors: net.config). */
const DETECTOR_MEAN_RGB = [117.001, 114.697, 97.404] as const;
const DETECTOR_IOU_THRESHOLD = 0.4;
/** The 68-point nets' mean colour and input size (face-api's `faceFeatureExtractor`). */
const LANDMARK_MEAN_RGB = [122.782, 117.001, 104.298] as const;
const LANDMARK_INPUT = 112;

/** Where a crop sits on the square face-api pads it to. */
export interface SquareLayout {
  /** Side of the square: the crop's longer side. */
  readonly side: number;
  /** Border left of and above the crop (face-api's `padToSquare`). */
  readonly left: number;
  readonly top: number;
}

/**
 * Where face-api's `padToSquare` puts a `width` x `height` crop: the border after it (`centred: false`, the
 * detector), or split around it with the extra pixel of an odd difference after (`centred: true`, the landmark
 * nets).
 *
 * @example
 * squareLayout(110, 130, true); // { side: 130, left: 10, top: 0 }
 */
export function squareLayout(width: number, height: number, centred: boolean): SquareLayout {
  const side = Math.max(width, height);
  const border = (size: number) => (centred ? side - size - Math.round((side - size) / 2) : 0);
  return { side, left: border(width), top: border(height) };
}

/**
 * Writes into `out` (at `offset`) the net input face-api makes of the whole-pixel `box` of `image`: the crop
 * padded to a square with black ({@link squareLayout}), resized to `size` x `size` as tf.image.resizeBilinear
 * does (no corner alignment, no half-pixel centres), then (pixel - mean) / 255. Read straight from the image
 * bytes: face-api's tensors for the same (a float copy of the whole photo, a concat per pad and per mean
 * subtraction) cost more than the detector's convolutions on wasm.
 */
export function writeNetInput(
  image: RgbImage,
  box: BoundingBox,
  centred: boolean,
  size: number,
  meanRgb: readonly number[],
  out: Float32Array,
  offset = 0,
): SquareLayout {
  const { x, y, width, height } = box;
  if (
    ![x, y, width, height].every(Number.isInteger) ||
    width < 1 ||
    height < 1 ||
    x < 0 ||
    y < 0 ||
    x + width > image.width ||
    y + height > image.height
  ) {
    throw new Error(
      `face-api net input: box ${JSON.stringify(box)} must be whole pixels inside the ${image.width}x${image.height} image (use clipBox)`,
    );
  }
  const layout = squareLayout(width, height, centred);
  const { side, left, top } = layout;
  const src = image.data;
  const ratio = side / size;
  // byte offset of a square position in the image (-1: black border), per column and per row
  const columnOffset = (c: number) => (c >= left && c < left + width ? (x + c - left) * 3 : -1);
  const rowOffset = (r: number) => (r >= top && r < top + height ? (y + r - top) * image.width * 3 : -1);
  // per output column: the two source columns and the weight of the second (as resizeBilinear computes them)
  const col0 = new Int32Array(size);
  const col1 = new Int32Array(size);
  const colFrac = new Float64Array(size);
  for (let c = 0; c < size; c++) {
    const f = ratio * c;
    const lo = Math.max(0, Math.floor(f));
    col0[c] = columnOffset(lo);
    col1[c] = columnOffset(Math.min(side - 1, Math.ceil(f)));
    colFrac[c] = f - lo;
  }
  const [m0, m1, m2] = meanRgb;
  const value = (row: number, col: number, ch: number) => (row < 0 || col < 0 ? 0 : src[row + col + ch]);
  let o = offset;
  for (let r = 0; r < size; r++) {
    const f = ratio * r;
    const lo = Math.max(0, Math.floor(f));
    const v = f - lo;
    const row0 = rowOffset(lo);
    const row1 = rowOffset(Math.min(side - 1, Math.ceil(f)));
    for (let c = 0; c < size; c++, o += 3) {
      const u = colFrac[c];
      const a = col0[c];
      const b = col1[c];
      if (row0 >= 0 && row1 >= 0 && a >= 0 && b >= 0) {
        // inside the crop: the four neighbours, each channel unrolled
        const tl = row0 + a;
        const tr = row0 + b;
        const bl = row1 + a;
        const br = row1 + b;
        let upper = src[tl] + (src[tr] - src[tl]) * u;
        let lower = src[bl] + (src[br] - src[bl]) * u;
        out[o] = (upper + (lower - upper) * v - m0) / 255;
        upper = src[tl + 1] + (src[tr + 1] - src[tl + 1]) * u;
        lower = src[bl + 1] + (src[br + 1] - src[bl + 1]) * u;
        out[o + 1] = (upper + (lower - upper) * v - m1) / 255;
        upper = src[tl + 2] + (src[tr + 2] - src[tl + 2]) * u;
        lower = src[bl + 2] + (src[br + 2] - src[bl + 2]) * u;
        out[o + 2] = (upper + (lower - upper) * v - m2) / 255;
      } else {
        // touching the black border
        for (let ch = 0; ch < 3; ch++) {
          const upper = value(row0, a, ch) + (value(row0, b, ch) - value(row0, a, ch)) * u;
          const lower = value(row1, a, ch) + (value(row1, b, ch) - value(row1, a, ch)) * u;
          out[o + ch] = (upper + (lower - upper) * v - meanRgb[ch]) / 255;
        }
      }
    }
  }
  return layout;
}

interface ConvParams {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
}
interface SeparableParams {
  depthwise_filter: tf.Tensor4D;
  pointwise_filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}
type Activation = 'linear' | 'relu' | 'leakyrelu';

// face-api's separable conv (depthwise, pointwise, + bias) with the activation fused into the pointwise conv
function separable(x: tf.Tensor4D, p: SeparableParams, stride: number, activation: Activation): tf.Tensor4D {
  const depthwise = tf.depthwiseConv2d(x, p.depthwise_filter, stride, 'same');
  const out = tf.fused.conv2d({
    x: depthwise,
    filter: p.pointwise_filter,
    strides: 1,
    pad: 'valid',
    bias: p.bias,
    activation,
    leakyreluAlpha: 0.1,
  });
  depthwise.dispose();
  return out;
}

/** One detection of the tiny detector, in pixels of the image. */
export interface TinyDetection {
  readonly box: BoundingBox;
  readonly score: number;
}

/**
 * face-api's `TinyFaceDetector.locateFaces`: the same boxes and scores, in pixels of the image (leaky ReLU and bias
 * fused into the convolutions, YOLO decoding and non-maximum suppression in JS).
 *
 * @example
 * const faces = await locateTinyFaces(net, image, { inputSize: 96, scoreThreshold: 0.5 }); // [{ box, score }]
 */
export async function locateTinyFaces(
  net: FaceApi,
  image: RgbImage,
  options: { inputSize: number; scoreThreshold: number },
): Promise<TinyDetection[]> {
  const [found] = await locateTinyFacesBatch(net, [image], options);
  return found;
}

/**
 * {@link locateTinyFaces} on several images (of any sizes) in one forward pass of `images.length` net inputs:
 * per image the same detections as one at a time. Batches cost less per image (tfjs-node: 0.8 instead of 2.2 CPU
 * ms at 96 px and 8 images; wasm 1.3 instead of 2).
 *
 * @example
 * const [facesA, facesB] = await locateTinyFacesBatch(net, [a, b], { inputSize: 96, scoreThreshold: 0.5 });
 */
export async function locateTinyFacesBatch(
  net: FaceApi,
  images: readonly RgbImage[],
  options: { inputSize: number; scoreThreshold: number },
): Promise<TinyDetection[][]> {
  const { inputSize, scoreThreshold } = options;
  const p = net.params as Record<string, ConvParams & SeparableParams>;
  if (!p) throw new Error('locateTinyFaces: load the tiny face detector first');
  if (images.length === 0) return [];
  const anchors = net.config.anchors as { x: number; y: number }[];
  const stride = inputSize * inputSize * 3;
  const pixels = new Float32Array(images.length * stride);
  const sides = images.map((image, i) => {
    const whole = { x: 0, y: 0, width: image.width, height: image.height };
    return writeNetInput(image, whole, false, inputSize, DETECTOR_MEAN_RGB, pixels, i * stride).side;
  });
  const output = tf.tidy(() => {
    let out: tf.Tensor4D = tf.fused.conv2d({
      x: tf.tensor4d(pixels, [images.length, inputSize, inputSize, 3]),
      filter: p.conv0.filters,
      strides: 1,
      pad: 'valid',
      bias: p.conv0.bias,
      activation: 'leakyrelu',
      leakyreluAlpha: 0.1,
    });
    for (const layer of ['conv1', 'conv2', 'conv3', 'conv4', 'conv5']) {
      out = tf.maxPool(out, 2, 2, 'same');
      out = separable(out, p[layer], 1, 'leakyrelu');
    }
    out = tf.maxPool(out, 2, 1, 'same');
    if (p.conv6) out = separable(out, p.conv6, 1, 'leakyrelu');
    if (p.conv7) out = separable(out, p.conv7, 1, 'leakyrelu');
    return tf.fused.conv2d({ x: out, filter: p.conv8.filters, strides: 1, pad: 'valid', bias: p.conv8.bias });
  });
  const cells = output.shape[1];
  const data = await output.data();
  output.dispose();
  const perImage = cells * cells * anchors.length * 5;
  return images.map((image, i) =>
    decodeTinyYolo(
      data.subarray(i * perImage, (i + 1) * perImage),
      cells,
      anchors,
      image,
      inputSize / sides[i],
      scoreThreshold,
    ),
  );
}

// YOLO decoding as face-api's TinyYolov2Base.extractBoxes: relative to the unpadded image, then NMS
function decodeTinyYolo(
  data: Float32Array | Int32Array | Uint8Array,
  cells: number,
  anchors: readonly { x: number; y: number }[],
  image: RgbImage,
  scale: number,
  scoreThreshold: number,
): TinyDetection[] {
  const blob = Math.max(Math.round(image.width * scale), Math.round(image.height * scale));
  const fx = blob / Math.round(image.width * scale);
  const fy = blob / Math.round(image.height * scale);
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const found: TinyDetection[] = [];
  const stride = anchors.length * 5;
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < anchors.length; a++) {
        const at = (row * cells + col) * stride + a * 5;
        const score = sigmoid(data[at + 4]);
        if (scoreThreshold && score <= scoreThreshold) continue;
        const cx = ((col + sigmoid(data[at])) / cells) * fx;
        const cy = ((row + sigmoid(data[at + 1])) / cells) * fy;
        const w = ((Math.exp(data[at + 2]) * anchors[a].x) / cells) * fx;
        const h = ((Math.exp(data[at + 3]) * anchors[a].y) / cells) * fy;
        found.push({
          box: {
            x: (cx - w / 2) * image.width,
            y: (cy - h / 2) * image.height,
            width: w * image.width,
            height: h * image.height,
          },
          score,
        });
      }
    }
  }
  return nonMaxSuppression(found, DETECTOR_IOU_THRESHOLD);
}

// face-api's greedy NMS: best score first, drop boxes overlapping a kept one by IoU > threshold
function nonMaxSuppression(found: TinyDetection[], iouThreshold: number): TinyDetection[] {
  const order = found.map((_, i) => i).sort((a, b) => found[b].score - found[a].score);
  const kept: TinyDetection[] = [];
  for (const i of order) {
    if (kept.every((k) => boxIou(k.box, found[i].box) <= iouThreshold)) kept.push(found[i]);
  }
  return kept;
}

/** A face to find landmarks in: a whole-pixel box of an image (see `clipBox`). */
export interface FaceCrop {
  readonly image: RgbImage;
  readonly box: BoundingBox;
}

/**
 * face-api's `FaceLandmark68Net` / `FaceLandmark68TinyNet` on the whole-pixel face boxes of an image, in one
 * batch: for each box its 68 points as `[x0, y0, x1, y1, ...]` in image pixels. They are mapped back as face-api
 * does, taking half the border off, which for an odd border puts them half a pixel from where the crop sat: the
 * shipped matchers were trained and calibrated on exactly these points.
 *
 * @example
 * const [points] = await landmarks68(net, image, [{ x: 60, y: 70, width: 110, height: 130 }]);
 */
export function landmarks68(
  net: FaceApi,
  image: RgbImage,
  boxes: readonly BoundingBox[],
): Promise<Float32Array[]> {
  return landmarks68Batch(
    net,
    boxes.map((box) => ({ image, box })),
  );
}

/**
 * {@link landmarks68} on faces of several images in one forward pass: per face the same points as one image at a
 * time. Batches cost less per face on tfjs-node (3.1 instead of 5.3 CPU ms at 8 faces, one thread), not on wasm.
 *
 * @example
 * const [pointsA, pointsB] = await landmarks68Batch(net, [{ image: a, box: boxA }, { image: b, box: boxB }]);
 */
export async function landmarks68Batch(net: FaceApi, crops: readonly FaceCrop[]): Promise<Float32Array[]> {
  const blocks = net.faceFeatureExtractor?.params as
    | Record<string, Record<string, ConvParams & SeparableParams>>
    | undefined;
  const fc = net.params?.fc as { weights: tf.Tensor2D; bias: tf.Tensor1D } | undefined;
  if (!blocks || !fc) throw new Error('landmarks68: load the 68-point landmark net first');
  if (crops.length === 0) return [];
  const stride = LANDMARK_INPUT * LANDMARK_INPUT * 3;
  const pixels = new Float32Array(crops.length * stride);
  const sides = crops.map(
    ({ image, box }, i) =>
      writeNetInput(image, box, true, LANDMARK_INPUT, LANDMARK_MEAN_RGB, pixels, i * stride).side,
  );
  const output = tf.tidy(() => {
    let x = tf.tensor4d(pixels, [crops.length, LANDMARK_INPUT, LANDMARK_INPUT, 3]);
    const names = Object.keys(blocks).sort(); // dense0, dense1, ...
    for (const name of names) x = denseBlock(x, blocks[name], name === names[0]);
    // the nets pool what is left (7x7 full, 14x14 tiny) to one feature vector
    const pooled = tf.avgPool(x, x.shape[1], 2, 'valid');
    return tf.fused.matMul({ a: tf.reshape(pooled, [crops.length, -1]), b: fc.weights, bias: fc.bias });
  });
  const data = (await output.data()) as Float32Array;
  output.dispose();
  return crops.map(({ box }, i) => {
    const points = data.slice(i * 136, (i + 1) * 136);
    const side = sides[i];
    const dx = box.x - (side - box.width) / 2;
    const dy = box.y - (side - box.height) / 2;
    for (let k = 0; k < 136; k += 2) {
      points[k] = points[k] * side + dx;
      points[k + 1] = points[k + 1] * side + dy;
    }
    return points;
  });
}

// face-api's denseBlock3/4: out1 = conv0(x) (stride 2), then each conv adds to the running sum of its inputs
function denseBlock(
  x: tf.Tensor4D,
  block: Record<string, ConvParams & SeparableParams>,
  first: boolean,
): tf.Tensor4D {
  const out1 = first
    ? tf.fused.conv2d({
        x,
        filter: block.conv0.filters,
        strides: 2,
        pad: 'same',
        bias: block.conv0.bias,
        activation: 'relu',
      })
    : separable(x, block.conv0, 2, 'relu');
  let sum = out1;
  let input = out1;
  // conv1, conv2, ... after conv0
  for (const name of Object.keys(block).sort().slice(1)) {
    sum = tf.add(sum, separable(input, block[name], 1, 'linear'));
    input = tf.relu(sum);
  }
  return input;
}
