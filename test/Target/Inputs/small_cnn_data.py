"""Inputs of small_cnn.onnxtxt: X [1,1,6,6], W [2,1,3,3], B [2], G [3,8]."""
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(0)
for name, shape in [("x", (1, 1, 6, 6)), ("w", (2, 1, 3, 3)), ("b", (2,)),
                    ("g", (3, 8))]:
    np.save(f"{out}/{name}.npy", rng.standard_normal(shape).astype(np.float32))
