#!/usr/bin/env python3
"""Export reference models for Kiln's end-to-end tests.

usage: export.py [--detail] OUTDIR MODEL...
       MODEL in: mlp bn_cnn res_block tall_linear streamed_linear resnet18 mobilenet_v2 transformer
             (or "all")

Run with Debian's interpreter (torch 1.13 CPU, torchvision, onnx 1.12):

    /usr/bin/python3 test/E2E/models/export.py test/E2E/models mlp bn_cnn res_block tall_linear streamed_linear
    /usr/bin/python3 test/E2E/models/export.py /tmp/kiln-models resnet18 mobilenet_v2 transformer

For each MODEL this writes
    OUTDIR/MODEL/model.onnx     opset 17, static shapes, constant folding on
    OUTDIR/MODEL/input_0.npy    seeded random float32 input
    OUTDIR/MODEL/output_0.npy   torch's (eval-mode) output for that input
and prints the op types (with counts) of the exported graph.  --detail also
prints, per op type, the distinct attribute sets and input forms seen
(initializer / Constant / computed), which is what a compiler needs to handle.

All models use random weights (seeded), so outputs are reproducible but not
meaningful.  Everything runs on CPU.
"""
import argparse
import collections
import os
import sys

import numpy as np
import torch
import torch.nn as nn

import onnx
from onnx import helper, numpy_helper

OPSET = 17
SEED = 1234


# ----------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------
def _randomize_bn(model, gen):
    """Give every BatchNorm non-trivial affine params and running stats so that
    a wrong folding / wrong epsilon / swapped mean-var shows in the output."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            c = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(c, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(c, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(c, generator=gen) * 0.2)


def _randomize_params(model, gen):
    """Re-draw every parameter: matrices ~ N(0, 1/fan_in), norm scales ~ 1 +-,
    everything else (biases, norm shifts) small and non-zero."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            r = torch.randn(p.shape, generator=gen)
            if p.dim() >= 2:
                p.copy_(r / (p[0].numel() ** 0.5))
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * r)
            else:
                p.copy_(0.1 * r)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)


class BnCNN(nn.Module):
    """Small CNN whose BatchNorms survive export as BatchNormalization nodes.

    bn1 follows a Conv directly (torch's EVAL-mode exporter would fold it into
    the Conv; we export with TrainingMode.PRESERVE on an eval() module, which
    skips that peephole but still emits inference-mode BN with 1 output).
    bn2 follows a ReLU and bn3 is a BatchNorm1d after a Linear, so they cannot
    be folded by the exporter in any mode.
    """

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(32, eps=1e-3)
        self.pool = nn.MaxPool2d(2)
        self.conv3 = nn.Conv2d(32, 32, 3, padding=1, groups=32, bias=False)  # depthwise
        self.fc1 = nn.Linear(32, 64)
        self.bn3 = nn.BatchNorm1d(64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):                          # [1,3,32,32]
        x = torch.relu(self.bn1(self.conv1(x)))    # [1,16,32,32]
        x = self.bn2(torch.relu(self.conv2(x)))    # [1,32,16,16]  BN after ReLU
        x = self.pool(x)                           # [1,32,8,8]
        x = torch.relu(self.conv3(x)) + x          # residual add
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)  # [1,32]
        x = torch.relu(self.bn3(self.fc1(x)))      # BN1d after Linear
        return self.fc2(x)                         # [1,10]


class ResBlock(nn.Module):
    """Residual 3x3 convs at widths and sides Winograd F(4x4, 3x3) takes
    (12x12: 9 tiles, padded to 12 matmul rows; 10x10 on a 12x12 tile grid)
    next to one it does not (a stride of 2), with folded BatchNorm biases
    and a residual add + ReLU epilogue."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 32, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = nn.Conv2d(32, 32, 3)
        self.conv4 = nn.Conv2d(32, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):                              # [1,16,12,12]
        y = torch.relu(self.bn1(self.conv1(x)))        # [1,32,12,12]
        y = torch.relu(self.bn2(self.conv2(y)) + y)    # residual
        y = torch.relu(self.conv3(y))                  # [1,32,10,10]
        y = self.conv4(y)                              # [1,32,5,5]
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1))


class TallLinear(nn.Module):
    """Two linear layers over 196 rows (a 14x14 image's tokens): each matmul
    takes 6-row register tiles on 192 rows and one 4-row tile for the rest."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 64)

    def forward(self, x):                              # [196,64]
        return self.fc2(torch.relu(self.fc1(x)))       # [196,64]


class StreamedLinear(nn.Module):
    """A linear layer over 512 rows with a reduction of 192: its register
    tiles sum over all of it (cache tiles of 256 rows = 42 tiles of 6 and
    one of 4, each panel streamed from L2)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(192, 64)

    def forward(self, x):                              # [512,192]
        return torch.relu(self.fc(x))                  # [512,64]


def build(name):
    """Returns (model, example_input, export_kwargs)."""
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED + 1)
    extra = {}
    if name == "mlp":
        model = MLP()
        shape = (1, 784)
    elif name == "bn_cnn":
        model = BnCNN()
        _randomize_bn(model, gen)
        shape = (1, 3, 32, 32)
        extra["training"] = torch.onnx.TrainingMode.PRESERVE
    elif name == "res_block":
        model = ResBlock()
        _randomize_bn(model, gen)
        shape = (1, 16, 12, 12)
    elif name == "tall_linear":
        model = TallLinear()
        shape = (196, 64)
    elif name == "streamed_linear":
        model = StreamedLinear()
        shape = (512, 192)
    elif name == "resnet18":
        import torchvision
        model = torchvision.models.resnet18(weights=None)
        _randomize_bn(model, gen)   # folded Conv biases become non-zero, distinct
        shape = (1, 3, 224, 224)
    elif name == "mobilenet_v2":
        import torchvision
        model = torchvision.models.mobilenet_v2(weights=None)
        _randomize_bn(model, gen)
        shape = (1, 3, 224, 224)
    elif name == "transformer":
        layer = nn.TransformerEncoderLayer(d_model=256, nhead=4, batch_first=True)
        # enable_nested_tensor=False: no nested-tensor conversion (irrelevant
        # without a padding mask, but keeps torch from warning/trying).
        model = nn.TransformerEncoder(layer, num_layers=4, enable_nested_tensor=False)
        # TransformerEncoder deep-copies the layer, so all 4 layers would share
        # identical weights (and the exporter would dedupe them into one set of
        # initializers + Identity nodes).  Give every layer its own weights.
        _randomize_params(model, gen)
        shape = (1, 128, 256)
    else:
        raise ValueError(f"unknown model {name!r}")
    model.eval()
    x = torch.randn(*shape, generator=gen, dtype=torch.float32)
    return model, x, extra


# ----------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------
def export(name, outdir, detail=False):
    model, x, extra = build(name)
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")

    with torch.no_grad():
        ref = model(x)

    # torch 1.13's TransformerEncoderLayer takes a fused "fast path"
    # (aten::_transformer_encoder_layer_fwd, no ONNX symbolic) when the module
    # is in eval mode and autograd is off.  The fast path is skipped when grad
    # is enabled and parameters require grad, so export under enable_grad()
    # to get the plain MatMul/Softmax/LayerNormalization decomposition.
    with torch.enable_grad():
        for p in model.parameters():
            p.requires_grad_(True)
        torch.onnx.export(
            model, x, path,
            opset_version=OPSET,
            input_names=["input_0"], output_names=["output_0"],
            do_constant_folding=True,
            **extra)

    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    ops = collections.Counter(n.op_type for n in m.graph.node)
    bad = [o for o in ops if o.startswith("ATen") or o.startswith("_")]
    if bad:
        raise RuntimeError(f"{name}: exported graph has non-ONNX ops {bad}")
    if name == "bn_cnn":
        bns = [n for n in m.graph.node if n.op_type == "BatchNormalization"]
        if len(bns) < 3 or any(len(n.output) != 1 for n in bns) or any(
                a.name == "training_mode" and a.i != 0 for n in bns for a in n.attribute):
            raise RuntimeError("bn_cnn: expected >=3 inference-mode BatchNormalization "
                               f"nodes with 1 output, got {[(n.name, len(n.output)) for n in bns]}")

    np.save(os.path.join(d, "input_0.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(d, "output_0.npy"), ref.numpy().astype(np.float32))

    size = os.path.getsize(path)
    in_shape = [dd.dim_value for dd in m.graph.input[0].type.tensor_type.shape.dim]
    out_shape = [dd.dim_value for dd in m.graph.output[0].type.tensor_type.shape.dim]
    print(f"== {name}: {path} ({size / 1024:.1f} KiB, {len(m.graph.node)} nodes, "
          f"{len(m.graph.initializer)} initializers) input {in_shape} output {out_shape}")
    print("   ops:", ", ".join(f"{k}x{v}" for k, v in sorted(ops.items())))
    if detail:
        describe(m)
    return m


def _fmt_attr(a):
    v = helper.get_attribute_value(a)
    if isinstance(v, bytes):
        v = v.decode()
    elif isinstance(v, onnx.TensorProto):
        arr = numpy_helper.to_array(v)
        v = f"tensor{list(arr.shape)}" + (f"={arr.tolist()}" if arr.size <= 8 else "")
    elif isinstance(v, list) and v and isinstance(v[0], bytes):
        v = [s.decode() for s in v]
    return f"{a.name}={v}"


def describe(m):
    """Print distinct attribute sets and input forms per op type."""
    inits = {i.name: i for i in m.graph.initializer}
    consts = {}
    producer = {}
    for n in m.graph.node:
        for o in n.output:
            producer[o] = n.op_type
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    consts[n.output[0]] = numpy_helper.to_array(a.t)

    def form(name):
        if name == "":
            return "<none>"
        if name in inits:
            arr = numpy_helper.to_array(inits[name])
            s = f"init{list(arr.shape)}"
            return s + (f"={arr.tolist()}" if arr.size <= 4 else "")
        if name in consts:
            arr = consts[name]
            s = f"const{list(arr.shape)}"
            return s + (f"={arr.tolist()}" if arr.size <= 4 else "")
        if name in producer:
            return f"<{producer[name]}>"
        return "<graph input>"

    seen = collections.defaultdict(collections.Counter)
    for n in m.graph.node:
        if n.op_type == "Constant":
            continue
        attrs = ", ".join(_fmt_attr(a) for a in sorted(n.attribute, key=lambda a: a.name))
        ins = ", ".join(form(i) for i in n.input)
        seen[n.op_type][f"in({ins}) {{{attrs}}} -> {len(n.output)} out"] += 1
    for op in sorted(seen):
        for k, c in sorted(seen[op].items()):
            print(f"     {op:<20} x{c:<3} {k}")


MODELS = ["mlp", "bn_cnn", "res_block", "tall_linear", "streamed_linear", "resnet18",
          "mobilenet_v2", "transformer"]


def main():
    ap = argparse.ArgumentParser(
        usage="export.py [--detail] OUTDIR MODEL...",
        description="Export Kiln E2E reference models. MODEL: " + ", ".join(MODELS) + ", all")
    ap.add_argument("--detail", "--ops", action="store_true",
                    help="print per-op attribute sets and input forms")
    ap.add_argument("outdir")
    ap.add_argument("models", nargs="+", metavar="MODEL")
    args = ap.parse_args()
    names = MODELS if args.models == ["all"] else args.models
    for n in names:
        if n not in MODELS:
            ap.error(f"unknown model {n!r}; choose from {', '.join(MODELS)}")
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    for n in names:
        export(n, args.outdir, detail=args.detail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
