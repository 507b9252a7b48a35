"""Inputs and expectations of kiln_run_addmul.onnxtxt, written to argv[1]."""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

out = sys.argv[1]
a = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5
b = np.array([1.0, -2.0, 0.5], np.float32)


def save(name, array):
    np.save(os.path.join(out, name), array)


save("a.npy", a)
save("b.npy", b)
save("sum.npy", a + b)
save("prod.npy", a * b)
bad = a + b
bad[1, 2] += 1.0
save("bad-sum.npy", bad)
save("a-transposed.npy", a.T.copy())
save("a-f64.npy", a.astype(np.float64))
# TensorProtos carry their name, which binds them to the input of that name.
onnx.save_tensor(numpy_helper.from_array(a, "A"), os.path.join(out, "a.pb"))
onnx.save_tensor(numpy_helper.from_array(b, "B"), os.path.join(out, "b.pb"))
open(os.path.join(out, "empty.pb"), "wb").close()
