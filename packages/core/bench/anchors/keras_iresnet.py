"""Keras anchor for `pnpm bench core --anchors`: the same IResNet-18 as ours, timed the same way.

Network (identical to createBackbone({arch: 'iresnet18', widths: [32, 64, 128, 256], embeddingDim: 128})):
stem conv3x3/1 (32, no bias) + BN + ReLU; 4 stages of 2 basic blocks, widths 32/64/128/256, the first block of
every stage stride 2 with a 1x1 conv + BN projection; block = conv3x3 -> BN -> ReLU -> conv3x3 -> BN, + shortcut,
ReLU; global average pool; Dense 128 (2,833,888 parameters); then a Dense `classes` softmax head.
BN: momentum 0.9, epsilon 1e-5. Training: softmax cross-entropy on fixed random labels, SGD lr 0.01 momentum 0.9,
`train_on_batch` (Keras' compiled train step). Inference: the backbone in inference mode, `predict_on_batch`.
Timing: `warmup` steps, then the median of `steps`; inference: one warm-up batch, median of `infer-runs`.

Prints one JSON line (the last line of stdout) in the shape of our benchmark's per-backend result.
Install: python3 -m pip install "tensorflow-cpu==2.21.*"
"""
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def build(size, classes):
    import keras
    from keras import layers

    init = keras.initializers.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=0)

    def conv(x, filters, k, s, name):
        return layers.Conv2D(filters, k, strides=s, padding="same", use_bias=False,
                             kernel_initializer=init, name=name)(x)

    def bn(x, name):
        return layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)(x)

    def block(x, name, width, stride):
        a = layers.ReLU(name=f"{name}_1_relu")(bn(conv(x, width, 3, stride, f"{name}_1_conv"), f"{name}_1_norm"))
        b = bn(conv(a, width, 3, 1, f"{name}_2_conv"), f"{name}_2_norm")
        shortcut = x
        if stride != 1 or x.shape[-1] != width:
            shortcut = bn(conv(x, width, 1, stride, f"{name}_shortcut_conv"), f"{name}_shortcut_norm")
        return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_add")([b, shortcut]))

    image = keras.Input((size, size, 3), name="image")
    x = layers.ReLU(name="stem_relu")(bn(conv(image, 32, 3, 1, "stem_conv"), "stem_norm"))
    for stage, width in enumerate([32, 64, 128, 256]):
        for i in range(2):
            x = block(x, f"stage{stage + 1}_block{i + 1}", width, 2 if i == 0 else 1)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    emb = layers.Dense(128, name="embedding_projection")(x)
    backbone = keras.Model(image, emb, name="iresnet18")
    logits = layers.Dense(classes, name="classifier")(emb)
    model = keras.Model(image, logits)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return backbone, model


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="64,112")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--infer-runs", type=int, default=10)
    p.add_argument("--classes", type=int, default=100)
    args = p.parse_args()
    try:
        import numpy as np
        import tensorflow as tf
        import keras
    except ImportError as e:
        print(json.dumps({"backend": "keras", "status": "skipped",
                          "reason": f"{e}; install: python3 -m pip install 'tensorflow-cpu==2.21.*'"}))
        return
    rng = np.random.default_rng(0)
    results = []
    params = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        backbone, model = build(size, args.classes)
        params = {"backbone": int(backbone.count_params()), "withHead": int(model.count_params())}
        images = rng.random((args.batch, size, size, 3), dtype=np.float32)
        labels = rng.integers(0, args.classes, size=(args.batch,)).astype(np.int32)
        for i in range(args.warmup):
            t = time.perf_counter()
            model.train_on_batch(images, labels)
            print(f"[keras {size}px] warm-up step {i + 1}/{args.warmup}: {(time.perf_counter() - t) * 1000:.0f} ms",
                  file=sys.stderr)
        times, cpu_times, loss = [], [], float("nan")
        for _ in range(args.steps):
            c, t = time.process_time(), time.perf_counter()
            loss = float(model.train_on_batch(images, labels))
            times.append((time.perf_counter() - t) * 1000)
            cpu_times.append((time.process_time() - c) * 1000)
        print(f"[keras {size}px] train: {' '.join(f'{t:.0f}' for t in times)} ms (loss {loss:.3f})", file=sys.stderr)
        infer = []
        for i in range(args.infer_runs + 1):
            t = time.perf_counter()
            out = backbone.predict_on_batch(images)
            np.asarray(out)
            if i > 0:
                infer.append((time.perf_counter() - t) * 1000)
        train_ms, infer_ms = statistics.median(times), statistics.median(infer)
        results.append({
            "inputSize": size,
            "trainMsPerStep": train_ms,
            "trainMsAll": times,
            "trainCpuMsPerStep": statistics.median(cpu_times),
            "inferImagesPerSec": args.batch / (infer_ms / 1000),
            "inferMsPerBatch": infer_ms,
            "finalLoss": loss,
        })
        keras.backend.clear_session()
    print(json.dumps({
        "backend": "keras",
        "status": "ok",
        "threads": f"TensorFlow {tf.__version__}, Keras {keras.__version__}, default thread pools ({os.cpu_count()} logical cores)",
        "params": params,
        "results": results,
    }))


if __name__ == "__main__":
    main()
