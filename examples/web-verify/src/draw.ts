/** Photos in and out of canvases. */
import { decodeImage, rgbFromPixels } from '@mfr/core';
import type { BoundingBox, RgbImage } from '@mfr/masking';

/** A chosen or dropped file, decoded to RGB pixels. */
export async function readFileImage(file: File): Promise<RgbImage> {
  return decodeImage(new Uint8Array(await file.arrayBuffer()), file.name);
}

/** The pixels of a canvas (e.g. a webcam frame), as RGB. */
export function imageFromCanvas(canvas: HTMLCanvasElement): RgbImage {
  return rgbFromPixels(
    canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height),
    'webcam frame',
  );
}

/** Draws an image scaled into the canvas, with the face found on it boxed. */
export function drawFace(canvas: HTMLCanvasElement, image: RgbImage, box?: BoundingBox): void {
  const rgba = new ImageData(image.width, image.height);
  for (let i = 0; i < image.width * image.height; i++) {
    rgba.data[4 * i] = image.data[3 * i];
    rgba.data[4 * i + 1] = image.data[3 * i + 1];
    rgba.data[4 * i + 2] = image.data[3 * i + 2];
    rgba.data[4 * i + 3] = 255;
  }
  const scale = Math.min(canvas.width / image.width, canvas.height / image.height);
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const layer = new OffscreenCanvas(image.width, image.height);
  layer.getContext('2d')!.putImageData(rgba, 0, 0);
  ctx.drawImage(layer, 0, 0, image.width * scale, image.height * scale);
  if (box) {
    ctx.strokeStyle = '#2a7';
    ctx.lineWidth = 2;
    ctx.strokeRect(box.x * scale, box.y * scale, box.width * scale, box.height * scale);
  }
}
