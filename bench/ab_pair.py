#!/usr/bin/env python3
"""A/B-time two Kiln model libraries of the same model, paired.

usage: ab_pair.py A.so B.so [INPUT.npy ...] [--threads N] [--runs N]

Both libraries run in this process through the C runtime API, alternating
in blocks (ort_bench.paired: at least 6 runs and 30 ms, the first 2 runs
and 10 ms not counted), so that both see the same phase of a shared
machine. Prints one JSON line: each library's median, and B/A as the median
of the per-block ratios. B's outputs must match A's (rtol 1e-3, atol 1e-4).
Benchmarks only: nothing here is a test.
"""
import argparse
import json
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_bench import KilnModel, paired  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("inputs", nargs="*")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=200)
    args = p.parse_args()
    arrays = [np.load(f) for f in args.inputs]
    a = KilnModel(args.a, args.threads, arrays)
    b = KilnModel(args.b, args.threads, arrays)
    for _ in range(3):
        a()
        b()
    for x, y in zip(a.outputs, b.outputs):
        if not np.allclose(y, x, rtol=1e-3, atol=1e-4):
            sys.exit("the libraries' outputs differ")
    a_t, b_t, ratio = paired(a, b, args.runs)
    print(json.dumps({"a_median_ms": statistics.median(a_t),
                      "b_median_ms": statistics.median(b_t),
                      "b_over_a": ratio}))


if __name__ == "__main__":
    main()
