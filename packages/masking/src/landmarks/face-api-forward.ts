/**
 * face-api's tiny face detector and 68-point landmark nets, run on their loaded weights with tfjs's fused ops.
 *
 * Same layers, weights and post-processing as face-api (the tests compare both on photos), about a third of the
 * ops: face-api subtracts the mean colour through a three-way concat (1.4-2 ms per call on wasm, as much as all of
 * a net's convolutions), pads crops with another concat, and spends 3-5 ops per layer on bias, padding and leaky
 * ReLU that one fused convolution does. Here crops are cut and padded in one copy in JS.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FaceApi } from './face-api.js';
import type { BoundingBox, RgbImage } from './types.js';

/** The tiny face detector's mean colour and NMS threshold (face-api's `tinyFaceDetector/const.ts`; anchors: net.config). */
const DETECTOR_MEAN_RGB = [117.001, 114.697, 97.404] as const;
const DETECTOR_IOU_THRESHOLD = 0.4;
/** The 68-point nets' mean colour and input size (face-api's `faceFeatureExtractor`). */
const LANDMARK_MEAN_RGB = [122.782, 117.001, 104.298] as const;
const LANDMARK_INPUT = 112;

/** A face-api net input: pixels padded to a square, and where they sit in it. */
export interface SquareInput {
  /** float32 `[side, side, 3]`, 0-255, black around the crop. Caller disposes. */
  readonly tensor: tf.Tensor3D;
  readonly side: number;
  /** Size of the crop in it. */
  readonly width: number;
  readonly height: number;
  /** Border left of and above the crop: square point (x, y) is image point (x - left + box.x, y - top + box.y). */
  readonly left: number;
  readonly top: number;
}

/**
 * The whole-pixel `box` of `image` padded to a square with black, in one copy. The border goes where face-api's
 * `padToSquare` puts it: after the crop (`centred: false`, the detector), or split around it with the extra pixel
 * of an odd difference after (`centred: true`, the landmark nets).
 *
 * @example
 * const { tensor, side } = squareInput(image, { x: 60, y: 70, width: 110, height: 130 }, true); // 130 x 130
 */
export function squareInput(image: RgbImage, box: BoundingBox, centred: boolean): SquareInput {
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
      `squareInput: box ${JSON.stringify(box)} must be whole pixels inside the ${image.width}x${image.height} image (use clipBox)`,
    );
  }
  const side = Math.max(width, height);
  const border = (size: number) => (centred ? side - size - Math.round((side - size) / 2) : 0);
  const left = border(width);
  const top = border(height);
  let data: Float32Array;
  if (width === image.width && height === image.height && width === height) {
    data = Float32Array.from(image.data);
  } else {
    data = new Float32Array(side * side * 3);
    for (let row = 0; row < height; row++) {
      const from = ((y + row) * image.width + x) * 3;
      data.set(image.data.subarray(from, from + width * 3), ((top + row) * side + left) * 3);
    }
  }
  return { tensor: tf.tensor3d(data, [side, side, 3], 'float32'), side, width, height, left, top };
}

/** The whole image as the tiny detector's input (black border below or right of a non-square image). */
export function detectorSquare(image: RgbImage): SquareInput {
  return squareInput(image, { x: 0, y: 0, width: image.width, height: image.height }, false);
}

/** A face box as a 68-point net's input (centred on a black square). */
export function landmarkSquare(image: RgbImage, box: BoundingBox): SquareInput {
  return squareInput(image, box, true);
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

// as face-api's toBatchTensor + normalize: resized to the net's input, then (pixel - mean) / 255
function netInput(square: SquareInput, size: number, meanRgb: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const batch = tf.expandDims<tf.Tensor4D>(square.tensor, 0);
    const input = square.side === size ? batch : tf.image.resizeBilinear(batch, [size, size]);
    return tf.div(tf.sub(input, tf.tensor1d(meanRgb as number[])), 255);
  });
}

/** One detection of the tiny detector, in pixels of the image the square was made from. */
export interface TinyDetection {
  readonly box: BoundingBox;
  readonly score: number;
}

/**
 * face-api's `TinyFaceDetector.locateFaces` on a {@link detectorSquare}: the same boxes and scores, in pixels of
 * the image (leaky ReLU and bias fused into the convolutions, YOLO decoding and non-maximum suppression in JS).
 *
 * @example
 * const square = detectorSquare(image);
 * const faces = await locateTinyFaces(net, square, { inputSize: 96, scoreThreshold: 0.5 });
 * square.tensor.dispose();
 */
export async function locateTinyFaces(
  net: FaceApi,
  square: SquareInput,
  options: { inputSize: number; scoreThreshold: number },
): Promise<TinyDetection[]> {
  const { inputSize, scoreThreshold } = options;
  const image = square; // a detectorSquare's crop is the whole image
  const p = net.params as Record<string, ConvParams & SeparableParams>;
  if (!p) throw new Error('locateTinyFaces: load the tiny face detector first');
  const anchors = net.config.anchors as { x: number; y: number }[];
  const output = tf.tidy(() => {
    let out: tf.Tensor4D = tf.fused.conv2d({
      x: netInput(square, inputSize, DETECTOR_MEAN_RGB),
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

  // YOLO decoding as face-api's TinyYolov2Base.extractBoxes: relative to the unpadded image
  const scale = inputSize / square.side;
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
    if (kept.every((k) => boxIoU(k.box, found[i].box) <= iouThreshold)) kept.push(found[i]);
  }
  return kept;
}

function boxIoU(a: BoundingBox, b: BoundingBox): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * face-api's `FaceLandmark68Net` / `FaceLandmark68TinyNet` on {@link landmarkSquare}s in one batch: for each, the
 * 68 points as `[x0, y0, x1, y1, ...]` in pixels of its crop (add the box's corner for image pixels). They are
 * mapped back as face-api does, taking half the border off, which for an odd border puts them half a pixel from
 * where the crop sat: the shipped matchers were trained and calibrated on exactly these points.
 *
 * @example
 * const square = landmarkSquare(image, face.box);
 * const [points] = await landmarks68(net, [square]); // image pixels: points[2k] + box.x, points[2k + 1] + box.y
 * square.tensor.dispose();
 */
export async function landmarks68(net: FaceApi, squares: readonly SquareInput[]): Promise<Float32Array[]> {
  const blocks = net.faceFeatureExtractor?.params as
    | Record<string, Record<string, ConvParams & SeparableParams>>
    | undefined;
  const fc = net.params?.fc as { weights: tf.Tensor2D; bias: tf.Tensor1D } | undefined;
  if (!blocks || !fc) throw new Error('landmarks68: load the 68-point landmark net first');
  if (squares.length === 0) return [];
  const output = tf.tidy(() => {
    let x = tf.concat(squares.map((s) => netInput(s, LANDMARK_INPUT, LANDMARK_MEAN_RGB)));
    const names = Object.keys(blocks).sort(); // dense0, dense1, ...
    for (const name of names) x = denseBlock(x, blocks[name], name === names[0]);
    // the nets pool what is left (7x7 full, 14x14 tiny) to one feature vector
    const pooled = tf.avgPool(x, x.shape[1], 2, 'valid');
    return tf.fused.matMul({ a: tf.reshape(pooled, [squares.length, -1]), b: fc.weights, bias: fc.bias });
  });
  const data = (await output.data()) as Float32Array;
  output.dispose();
  return squares.map((s, i) => {
    const points = data.slice(i * 136, (i + 1) * 136);
    const dx = (s.side - s.width) / 2;
    const dy = (s.side - s.height) / 2;
    for (let k = 0; k < 136; k += 2) {
      points[k] = points[k] * s.side - dx;
      points[k + 1] = points[k + 1] * s.side - dy;
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
