"""PyTorch anchor for `pnpm bench core --anchors`: the same IResNet-18 as ours, timed the same way.

Network (identical to createBackbone({arch: 'iresnet18', widths: [32, 64, 128, 256], embeddingDim: 128}), see
keras_iresnet.py): stem conv3x3/1 + BN + ReLU, 4 stages x 2 basic blocks (32/64/128/256, first block of each stage
stride 2 with a 1x1 conv + BN projection), global average pool, Linear 128 (2,833,888 parameters), Linear `classes`.
(3x3 stride-2 convs pad 1 on each side where TensorFlow's 'same' pads 0/1: same output sizes and FLOPs.)
BN momentum 0.1 (PyTorch's convention for Keras' 0.9), eps 1e-5. Training: cross-entropy on fixed random labels,
SGD lr 0.01 momentum 0.9. Inference: the backbone in eval mode under no_grad. Runs in both memory formats,
contiguous (NCHW) and channels_last, each with 1 and all intra-op threads, and reports each; the reported result
is the fastest training step of them (PyTorch's best).
Timing: `warmup` steps, then the median of `steps`; inference: one warm-up batch, median of `infer-runs`.

Prints one JSON line (the last line of stdout) in the shape of our benchmark's per-backend result.
Install: apt-get install -y python3-torch (Debian; it installs for /usr/bin/python3).
"""
import argparse
import json
import os
import statistics
import sys
import time


def build(size, classes):
    import torch
    from torch import nn

    def conv(cin, cout, k, s):
        c = nn.Conv2d(cin, cout, k, stride=s, padding=k // 2, bias=False)
        nn.init.kaiming_normal_(c.weight, mode="fan_out", nonlinearity="relu")
        return c

    def bn(c):
        return nn.BatchNorm2d(c, momentum=0.1, eps=1e-5)

    class Block(nn.Module):
        def __init__(self, cin, width, stride):
            super().__init__()
            self.conv1, self.bn1 = conv(cin, width, 3, stride), bn(width)
            self.conv2, self.bn2 = conv(width, width, 3, 1), bn(width)
            self.relu = nn.ReLU(inplace=True)
            self.shortcut = None
            if stride != 1 or cin != width:
                self.shortcut = nn.Sequential(conv(cin, width, 1, stride), bn(width))

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + (x if self.shortcut is None else self.shortcut(x)))

    layers = [conv(3, 32, 3, 1), bn(32), nn.ReLU(inplace=True)]
    cin = 32
    for width in [32, 64, 128, 256]:
        layers += [Block(cin, width, 2), Block(width, width, 1)]
        cin = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 128)]
    backbone = nn.Sequential(*layers)
    model = nn.Sequential(backbone, nn.Linear(128, classes))
    return backbone, model


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="64,112")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--infer-runs", type=int, default=10)
    p.add_argument("--classes", type=int, default=100)
    p.add_argument("--formats", default="contiguous,channels_last")
    p.add_argument("--threads", default=f"1,{os.cpu_count()}",
                   help="intra-op thread counts to try (default: 1 and all logical cores; PyTorch's own default "
                        "can be 1, and all cores can be slower on a busy machine)")
    args = p.parse_args()
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"backend": "pytorch", "status": "skipped",
                          "reason": f"{e}; install: apt-get install -y python3-torch (for /usr/bin/python3)"}))
        return
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    results, params = [], {}
    for size in [int(s) for s in args.sizes.split(",")]:
        per_format = {}
        for fmt, threads in [(f, int(t)) for f in args.formats.split(",") for t in args.threads.split(",")]:
            torch.set_num_threads(threads)
            memory_format = torch.channels_last if fmt == "channels_last" else torch.contiguous_format
            backbone, model = build(size, args.classes)
            model = model.to(memory_format=memory_format)
            params = {"backbone": sum(p.numel() for p in backbone.parameters())
                      + sum(b.numel() for n, b in backbone.named_buffers() if "running" in n),
                      "withHead": sum(p.numel() for p in model.parameters())
                      + sum(b.numel() for n, b in model.named_buffers() if "running" in n)}
            images = torch.rand((args.batch, 3, size, size), generator=gen).contiguous(memory_format=memory_format)
            labels = torch.randint(0, args.classes, (args.batch,), generator=gen)
            opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
            loss_fn = torch.nn.CrossEntropyLoss()
            model.train()

            def step():
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(model(images), labels)
                loss.backward()
                opt.step()
                return float(loss)

            for i in range(args.warmup):
                t = time.perf_counter()
                step()
                print(f"[pytorch {fmt} {threads}t {size}px] warm-up step {i + 1}/{args.warmup}: "
                      f"{(time.perf_counter() - t) * 1000:.0f} ms", file=sys.stderr)
            times, cpu_times, loss = [], [], float("nan")
            for _ in range(args.steps):
                c, t = time.process_time(), time.perf_counter()
                loss = step()
                times.append((time.perf_counter() - t) * 1000)
                cpu_times.append((time.process_time() - c) * 1000)
            print(f"[pytorch {fmt} {threads}t {size}px] train: {' '.join(f'{t:.0f}' for t in times)} ms (loss {loss:.3f})",
                  file=sys.stderr)
            backbone.eval()
            infer = []
            with torch.no_grad():
                for i in range(args.infer_runs + 1):
                    t = time.perf_counter()
                    backbone(images).numpy()
                    if i > 0:
                        infer.append((time.perf_counter() - t) * 1000)
            train_ms, infer_ms = statistics.median(times), statistics.median(infer)
            per_format[f"{fmt}/{threads}t"] = {
                "inputSize": size,
                "memoryFormat": f"{fmt}, {threads} thread(s)",
                "trainMsPerStep": train_ms,
                "trainMsAll": times,
                "trainCpuMsPerStep": statistics.median(cpu_times),
                "inferImagesPerSec": args.batch / (infer_ms / 1000),
                "inferMsPerBatch": infer_ms,
                "finalLoss": loss,
            }
        best = min(per_format.values(), key=lambda r: r["trainMsPerStep"])
        results.append({**best, "formats": per_format})
    print(json.dumps({
        "backend": "pytorch",
        "status": "ok",
        "threads": f"PyTorch {torch.__version__}, threads tried: {args.threads}",
        "params": params,
        "results": results,
    }))


if __name__ == "__main__":
    main()
