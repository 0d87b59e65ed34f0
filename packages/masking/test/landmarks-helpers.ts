/** Shared test inputs for the landmark / verify / batch tests: a few real faces from ../shared/datasets. */
import { fileURLToPath } from 'node:url';

export const DATASETS = fileURLToPath(new URL('../../../../shared/datasets/', import.meta.url));

/** 5 LFW + 3 AT&T faces (paths relative to DATASETS). */
export const FACES = [
  'lfw/images/Aaron_Eckhart/Aaron_Eckhart_0001.jpg',
  'lfw/images/AJ_Cook/AJ_Cook_0001.jpg',
  'lfw/images/Aaron_Peirsol/Aaron_Peirsol_0001.jpg',
  'lfw/images/Abdullah_Gul/Abdullah_Gul_0001.jpg',
  'lfw/images/Adam_Sandler/Adam_Sandler_0001.jpg',
  'att/s1/1.png',
  'att/s2/1.png',
  'att/s3/1.png',
];

/** A flat grey RGB image. */
export const greyImage = (width = 160, height = 160) => ({
  data: new Uint8Array(width * height * 3).fill(128),
  width,
  height,
});
