#!/usr/bin/env python3
"""The course pack's evaluator models for HW6 and HW10: small CNNs (torch seed fixed; the HW6 feature
extractor random, the detector a fixed colour heuristic, the HW10 classifier trained briefly on the
pack's painted class images), exported to ONNX, written as base64 into packages/course-pack/src/evaluator-models.ts so that
the compiled CLI and launcher carry them without reading files beside themselves.

Run (torch and onnx, e.g. from the machine's local wheel mirror in a venv):
  python3 packages/course-pack/models/make_evaluators.py

They stand in for the course's real evaluators (an Inception-v3 feature extractor, an anime-face
detector, a defended CIFAR-10 classifier): the same inputs and outputs at a fraction of the size, so
that the whole pipeline runs on any machine. A course swaps in its own .onnx files in evaluation/.
"""
import base64
import hashlib
import io
import os

import torch
from torch import nn

torch.manual_seed(2023)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "evaluator-models.ts")


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))


class Features(nn.Module):
    """HW6 stand-in for Inception's pool features: [batch, 3, 64, 64] in [-1, 1] -> [batch, 64].

    Random weights; the outputs are scaled so that FIDs land in the range of the course's baselines.
    """

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(block(3, 8), block(8, 16), block(16, 32), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, 64)

    def forward(self, x):
        return torch.relu(self.head(self.body(x))) * 5000


class Detector(nn.Module):
    """HW6 stand-in for the anime-face detector: [batch, 3, 64, 64] in [0, 1] -> [batch, 1] probability.

    Not learnt and not random: a colour heuristic with fixed weights (a face is a skin-toned middle,
    red well above blue), so that detection rates of the pack's painted faces mean something.
    """

    def __init__(self):
        super().__init__()
        self.skin = nn.Conv2d(3, 1, 1, bias=False)
        with torch.no_grad():
            self.skin.weight.copy_(torch.tensor([1.0, 0.0, -1.0]).view(1, 3, 1, 1))
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        middle = x[:, :, 20:44, 20:44]
        return torch.sigmoid((self.pool(self.skin(middle)).flatten(1) - 0.1) * 20)


class Classifier(nn.Module):
    """HW10 stand-in for the defended CIFAR-10 model: [batch, 3, 32, 32] normalised -> [batch, 10] logits.

    Trained for a few seconds on painted class images (trained_classifier), not on CIFAR-10.
    """

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(block(3, 16), block(16, 32), nn.AdaptiveAvgPool2d(2), nn.Flatten())
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        return self.head(self.body(x))


def painted_objects(count, generator):
    """Python twin of paintObject in image-homeworks.ts: class-dependent colour and stripes, with noise."""
    classes = torch.randint(0, 10, (count,), generator=generator)
    hue = classes.float() / 10 * 2 * torch.pi
    base = torch.stack([128 + 90 * torch.cos(hue), 128 + 90 * torch.cos(hue + 2.1), 128 + 90 * torch.cos(hue + 4.2)], 1)
    period = (3 + classes).float().view(-1, 1, 1)
    phase = torch.rand(count, 1, 1, generator=generator) * period
    y, x = torch.meshgrid(torch.arange(32.0), torch.arange(32.0), indexing="ij")
    stripe = torch.sin((x + y + phase) / period * torch.pi) * 40
    images = base.view(-1, 3, 1, 1) + stripe.unsqueeze(1) + torch.randn(count, 3, 32, 32, generator=generator) * 12
    return images.clamp(0, 255).round(), classes


CIFAR_MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
CIFAR_STD = torch.tensor([0.2023, 0.1994, 0.201]).view(1, 3, 1, 1)


def trained_classifier():
    """Trained briefly on painted objects, so that clean images are mostly right and an attack has work to do."""
    model = Classifier()
    generator = torch.Generator().manual_seed(10)
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(150):
        images, classes = painted_objects(128, generator)
        loss = nn.functional.cross_entropy(model((images / 255 - CIFAR_MEAN) / CIFAR_STD), classes)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    images, classes = painted_objects(1000, generator)
    with torch.no_grad():
        accuracy = (model((images / 255 - CIFAR_MEAN) / CIFAR_STD).argmax(1) == classes).float().mean().item()
    print("classifier accuracy on fresh painted objects", accuracy)
    return model


def export(model, shape, output_name):
    model.eval()
    buffer = io.BytesIO()
    torch.onnx.export(
        model,
        torch.zeros(1, *shape),
        buffer,
        input_names=["images"],
        output_names=[output_name],
        dynamic_axes={"images": {0: "batch"}, output_name: {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    return buffer.getvalue()


models = {
    "hw6Features": export(Features(), (3, 64, 64), "features"),
    "hw6Detector": export(Detector(), (3, 64, 64), "face"),
    "hw10Classifier": export(trained_classifier(), (3, 32, 32), "logits"),
}
with open(OUT, "w") as out:
    out.write("/**\n * Generated by packages/course-pack/models/make_evaluators.py (torch " + torch.__version__ + "); do not edit.\n")
    out.write(" * The HW6 and HW10 evaluator models (see that script for what each is), as base64 ONNX.\n */\n")
    for name, data in models.items():
        out.write(f"/** sha256 {hashlib.sha256(data).hexdigest()}, {len(data)} bytes. */\n")
        out.write(f"export const {name} = '{base64.b64encode(data).decode()}';\n")
for name, data in models.items():
    print(name, len(data), "bytes")
