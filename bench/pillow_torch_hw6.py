#!/usr/bin/env python3
"""The HW6 path the Python way, for bench/images.ts: read the upload (tarfile, in memory), decode with
Pillow (convert('RGB')), preprocess with numpy as task.yaml declares it, run the feature extractor in
torch on the CPU (the same weights, read from the task's ONNX file), and compute the FID against the
task's statistics with scipy.linalg.sqrtm as pytorch-fid does. Prints one JSON line with the time of
each stage, imports excluded.

  python3 bench/pillow_torch_hw6.py ARCHIVE FEATURES.onnx MU.npy SIGMA.npy
"""
import io
import json
import sys
import tarfile
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from PIL import Image
from scipy import linalg
from torch import nn


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))


class Features(nn.Module):
    """The architecture of make_evaluators.py's Features; weights come from the ONNX file."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(block(3, 8), block(8, 16), block(16, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, 64)

    def forward(self, x):
        return torch.relu(self.head(self.body(x))) * 5000


def frechet(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


archive, model_path, mu_path, sigma_path = sys.argv[1:5]
model = Features()
weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in onnx.load(model_path).graph.initializer}
model.load_state_dict(weights)
model.eval()

started = time.perf_counter()
with tarfile.open(archive, "r:gz") as tar:
    files = {m.name.lstrip("./"): tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
images = np.stack([np.asarray(Image.open(io.BytesIO(files[f"{i}.jpg"])).convert("RGB")) for i in range(1, len(files) + 1)])
decoded = time.perf_counter()
x = (images.astype(np.float32) / 255 - 0.5) / 0.5
x = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
with torch.no_grad():
    features = torch.cat([model(x[i : i + 100]) for i in range(0, len(x), 100)]).numpy().astype(np.float64)
featured = time.perf_counter()
fid = frechet(np.mean(features, axis=0), np.cov(features, rowvar=False), np.load(mu_path), np.load(sigma_path))
done = time.perf_counter()
print(
    json.dumps(
        {
            "ms": (done - started) * 1000,
            "decodeMs": (decoded - started) * 1000,
            "featuresMs": (featured - decoded) * 1000,
            "fidMs": (done - featured) * 1000,
            "fid": fid,
            "images": len(images),
        }
    )
)
