/** Learning-rate rules from MoCo: linear scaling with the batch size and a half-cycle cosine decay. */

/**
 * Base learning rate for `batchSize`: `baseLr * batchSize / baseBatch` (the paper: 0.015 at 128).
 *
 * @example
 * scaledLearningRate(64); // 0.0075
 */
export function scaledLearningRate(batchSize: number, baseLr = 0.015, baseBatch = 128): number {
  return (baseLr * batchSize) / baseBatch;
}

/**
 * Cosine schedule: `lr * 0.5 * (1 + cos(pi * step / totalSteps))`, per step rather than per epoch.
 *
 * @example
 * cosineLearningRate(0.03, 50, 100); // 0.015
 */
export function cosineLearningRate(lr: number, step: number, totalSteps: number): number {
  if (totalSteps <= 0) return lr;
  return lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps));
}
