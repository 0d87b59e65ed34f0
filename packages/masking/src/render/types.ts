/** An 8-bit RGB image, row-major, 3 bytes a pixel (the layout `@mfr/core` image helpers use). */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** A one-channel mask, row-major, 0 (outside) or 255 (inside). */
export interface BinaryMask {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Throws unless `image` is a well-formed RGB image (positive integer size, `width * height * 3` bytes).
 *
 * @example
 * assertRgbImage({ data: new Uint8Array(12), width: 2, height: 2 }, 'renderMask'); // ok
 */
export function assertRgbImage(image: RgbImage, caller: string): void {
  if (!image || !(image.data instanceof Uint8Array)) {
    throw new Error(`${caller}: image.data must be a Uint8Array of RGB bytes`);
  }
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`${caller}: image width and height must be positive integers, got ${width}x${height}`);
  }
  if (image.data.length !== width * height * 3) {
    throw new Error(
      `${caller}: image.data has ${image.data.length} bytes but a ${width}x${height} RGB image needs ${width * height * 3}; ` +
        'pass 3 channels (drop alpha, expand greyscale)',
    );
  }
}
