#!/usr/bin/env python3
"""ONNX models of the micro-benchmark shapes, with constant weights.

usage: make_models.py OUT_DIR SPEC...
  SPEC = matmul:M:N:K                  Y[M,N] = X[M,K] @ W[K,N]
       | conv:C:F:H:W:KH:KW:STRIDE:PAD  Y = Conv(X[1,C,H,W], W[F,C,KH,KW], B)
Writes OUT_DIR/NAME/model.onnx and input_0.npy (NAME = the spec, ':' -> '_').
Runs under Debian's /usr/bin/python3 (python3-onnx, python3-numpy).
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def model(spec):
    kind, *dims = spec.split(":")
    dims = [int(d) for d in dims]
    rng = np.random.default_rng(0)
    if kind == "matmul" and len(dims) == 3:
        m, n, k = dims
        x = rng.standard_normal((m, k)).astype(np.float32)
        w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
        nodes = [helper.make_node("MatMul", ["X", "W"], ["Y"], name="matmul")]
        inits = [numpy_helper.from_array(w, "W")]
        out = [m, n]
    elif kind == "conv" and len(dims) == 8:
        c, f, h, wd, kh, kw, s, p = dims
        x = rng.standard_normal((1, c, h, wd)).astype(np.float32)
        w = (rng.standard_normal((f, c, kh, kw)) / np.sqrt(c * kh * kw)).astype(
            np.float32)
        b = rng.standard_normal(f).astype(np.float32)
        nodes = [helper.make_node("Conv", ["X", "W", "B"], ["Y"], name="conv",
                                  strides=[s, s], pads=[p, p, p, p])]
        inits = [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")]
        out = [1, f, (h + 2 * p - kh) // s + 1, (wd + 2 * p - kw) // s + 1]
    else:
        sys.exit(f"make_models.py: bad spec '{spec}'")
    graph = helper.make_graph(
        nodes, kind, [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                                    list(x.shape))],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, out)], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m, x


def main():
    out_dir, specs = sys.argv[1], sys.argv[2:]
    for spec in specs:
        m, x = model(spec)
        d = os.path.join(out_dir, spec.replace(":", "_"))
        os.makedirs(d, exist_ok=True)
        onnx.save(m, os.path.join(d, "model.onnx"))
        np.save(os.path.join(d, "input_0.npy"), x)


if __name__ == "__main__":
    main()
