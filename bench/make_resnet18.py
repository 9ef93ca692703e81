#!/usr/bin/env python3
"""ResNet-18-shaped model and hidden data for the ONNX benchmark, plus the torch CPU baseline.

    make_resnet18.py OUT_DIR            writes OUT_DIR/model.onnx and OUT_DIR/bundle/{task.yaml,solution.csv,inputs.npy}
    make_resnet18.py OUT_DIR --torch    times torch on CPU over the same inputs and batches; prints one JSON line

The architecture is ResNet-18 (BasicBlock, [2, 2, 2, 2], 11 classes) with random weights; only the
shape of the work matters for a throughput comparison. With torch, the model is written out with
plain torch modules and exported (which folds each BatchNorm into its convolution); without torch,
the same graph (convolutions with bias, ReLU, max pool, residual adds, global average pool, Gemm) is
built with the onnx package alone, so the onnxruntime rows can be measured where torch cannot be
installed. Only the torch baseline needs torch.
"""
import json
import os
import resource
import sys
import time

import numpy as np

try:
    import torch
    from torch import nn
except ImportError:
    torch = None

IMAGES, SIZE, CLASSES, BATCH = 3000, 128, 11, 32
STAGES = [(64, 1), (128, 2), (256, 2), (512, 2)]


def onnx_graph_model(path):
    """ResNet-18 as torch exports it in eval mode, built node by node with onnx.helper."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(18)
    nodes, weights = [], []
    names = iter(range(1 << 30))

    def fresh(kind):
        return f"{kind}_{next(names)}"

    def conv(x, cin, cout, kernel, stride, pad):
        weight, bias, out = fresh("w"), fresh("b"), fresh("conv")
        scale = np.sqrt(2.0 / (cin * kernel * kernel))
        weights.append(numpy_helper.from_array((rng.standard_normal((cout, cin, kernel, kernel)) * scale).astype(np.float32), weight))
        weights.append(numpy_helper.from_array((rng.standard_normal(cout) * 0.01).astype(np.float32), bias))
        nodes.append(helper.make_node("Conv", [x, weight, bias], [out], kernel_shape=[kernel, kernel], strides=[stride, stride], pads=[pad] * 4))
        return out

    def op(kind, inputs, **attributes):
        out = fresh(kind.lower())
        nodes.append(helper.make_node(kind, inputs, [out], **attributes))
        return out

    x = op("Relu", [conv("input", 3, 64, 7, 2, 3)])
    x = op("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for cout, stride in STAGES:
        for block_stride in (stride, 1):
            y = op("Relu", [conv(x, cin, cout, 3, block_stride, 1)])
            y = conv(y, cout, cout, 3, 1, 1)
            shortcut = x if block_stride == 1 and cin == cout else conv(x, cin, cout, 1, block_stride, 0)
            x = op("Relu", [op("Add", [y, shortcut])])
            cin = cout
    x = op("Flatten", [op("GlobalAveragePool", [x])], axis=1)
    head_w, head_b = fresh("w"), fresh("b")
    weights.append(numpy_helper.from_array((rng.standard_normal((CLASSES, 512)) * 0.05).astype(np.float32), head_w))
    weights.append(numpy_helper.from_array(np.zeros(CLASSES, np.float32), head_b))
    nodes.append(helper.make_node("Gemm", [x, head_w, head_b], ["logits"], transB=1))
    graph = helper.make_graph(
        nodes, "resnet18",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", CLASSES])],
        weights,
    )
    # IR version 8 is what opset 17 shipped with (torch writes it too); newer onnx packages default to
    # an IR version that onnxruntime-node may not read yet.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return sum(int(np.prod(w.dims)) for w in weights)


if torch is not None:
    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.down = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            y = self.bn2(self.conv2(y))
            return torch.relu(y + (x if self.down is None else self.down(x)))


    class ResNet18(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
            layers, cin = [], 64
            for cout, stride in STAGES:
                layers += [Block(cin, cout, stride), Block(cout, cout, 1)]
                cin = cout
            self.layers = nn.Sequential(*layers)
            self.head = nn.Linear(512, CLASSES)

        def forward(self, x):
            return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(self.layers(self.stem(x)), 1), 1))


    def model():
        torch.manual_seed(18)
        return ResNet18().eval()


def inputs():
    return np.random.default_rng(18).standard_normal((IMAGES, 3, SIZE, SIZE), dtype=np.float32)


def write(out):
    os.makedirs(os.path.join(out, "bundle"), exist_ok=True)
    if torch is None:
        parameters, builder = onnx_graph_model(os.path.join(out, "model.onnx")), "onnx.helper"
    else:
        net = model()
        torch.onnx.export(net, (torch.randn(2, 3, SIZE, SIZE),), os.path.join(out, "model.onnx"), input_names=["input"], output_names=["logits"],
                          opset_version=17, dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, dynamo=False)
        parameters, builder = sum(p.numel() for p in net.parameters()), f"torch {torch.__version__}"
    np.save(os.path.join(out, "bundle", "inputs.npy"), inputs())
    rng = np.random.default_rng(7)
    with open(os.path.join(out, "bundle", "solution.csv"), "w") as handle:
        handle.write("Id,Category,Usage\n")
        for i in range(IMAGES):
            handle.write(f"{i:04d},{rng.integers(CLASSES)},{'Public' if i % 2 == 0 else 'Private'}\n")
    with open(os.path.join(out, "bundle", "task.yaml"), "w") as handle:
        handle.write(f"""slug: resnet-bench
title: ResNet-18 benchmark
format: onnx
id_column: Id
target_column: Category
metric: accuracy
labels: [{', '.join(str(i) for i in range(CLASSES))}]
model:
  input: {{ dtype: float32, shape: [3, {SIZE}, {SIZE}] }}
  max_seconds: 1200
  batch_size: {BATCH}
""")
    print(json.dumps({"parameters": parameters, "built_with": builder}))


def time_torch():
    net = model()
    data = torch.from_numpy(inputs())
    with torch.no_grad():
        net(data[:BATCH])  # warm-up, as onnxruntime's session creation is outside its loop too
        started = time.perf_counter()
        predictions = torch.cat([net(data[i:i + BATCH]).argmax(1) for i in range(0, IMAGES, BATCH)])
        elapsed = time.perf_counter() - started
    print(json.dumps({"ms": elapsed * 1000, "result": f"{IMAGES / elapsed:.1f} images/s, torch {torch.__version__}, {torch.get_num_threads()} threads, first predictions {predictions[:4].tolist()}",
                      "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    if "--torch" in sys.argv:
        time_torch()
    else:
        write(sys.argv[1])
