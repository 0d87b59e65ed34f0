/**
 * @mfr/contrastive — MoCo v2 pre-training on masked and unmasked faces.
 *
 * @example
 * const moco = createMoCo({ backbone: () => createBackbone({ arch: 'resnet18', inputSize: 64 }), queueSize: 4096 });
 */
export * from './augment/augment_batch.js';
export * from './augment/color_jitter.js';
export * from './augment/gaussian_blur.js';
export * from './augment/grayscale.js';
export * from './augment/horizontal_flip.js';
export * from './augment/random_resized_crop.js';
export * from './data/batches.js';
export * from './data/images.js';
export * from './data/mask_manifest.js';
export * from './moco/loss.js';
export * from './moco/moco.js';
export * from './moco/momentum.js';
export * from './moco/projection_head.js';
export * from './moco/queue.js';
export * from './moco/shuffle_bn.js';
export * from './train/checkpoint.js';
export * from './train/export.js';
export * from './train/schedule.js';
export * from './train/sgd.js';
export * from './train/trainer.js';
export * from './train/validation.js';
