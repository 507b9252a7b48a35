#!/usr/bin/env python3
"""Time an ONNX model with onnxruntime (CPU) as a baseline for Kiln.

usage: ort_bench.py MODEL.onnx [INPUT.npy ...] [--threads N] [--runs N]
                    [--warmup N] [--check OUTPUT.npy ...] [--rtol R] [--atol A]

Inputs are bound to the model's graph inputs in order; if none are given,
MODEL_DIR/input_0.npy, input_1.npy, ... are used.  The session uses
intra_op_num_threads=--threads, inter_op_num_threads=1, sequential execution
and ORT_ENABLE_ALL graph optimizations.

After --warmup untimed runs, each of --runs session.run() calls is timed on
its own (perf_counter_ns) and stdout gets exactly one JSON line:

    {"median_ms": ..., "min_ms": ..., "max_ms": ..., "model_peak_mib": ...}

model_peak_mib is the process's peak resident memory (VmHWM) minus what was
resident just before the session was created (onnxruntime and numpy already
imported, inputs loaded): what loading and running the model added, as
kiln-run --bench reports it.

Everything else (settings, check results) goes to stderr, so several
invocations can be interleaved with other benchmarks by a driver that parses
stdout.  --check OUTPUT.npy (once per graph output, in order) compares the
outputs of the first run with np.allclose(rtol, atol); on mismatch the exit
status is 1 (timings are still printed).

Needs onnxruntime + numpy (the pip python3 on PATH, not /usr/bin/python3).
"""
import argparse
import glob
import json
import os
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort


def load_inputs(model_path, paths):
    if not paths:
        d = os.path.dirname(os.path.abspath(model_path))
        paths = sorted(glob.glob(os.path.join(d, "input_*.npy")),
                       key=lambda p: int(os.path.basename(p)[6:-4]))
        if not paths:
            sys.exit(f"no INPUT.npy given and no input_*.npy next to {model_path}")
    return paths, [np.load(p) for p in paths]


def proc_status_kib(field):
    """A /proc/self/status field in KiB (VmRSS, VmHWM), or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("inputs", nargs="*", metavar="INPUT.npy")
    ap.add_argument("--threads", type=int, default=1, help="intra_op_num_threads (default 1)")
    ap.add_argument("--runs", type=int, default=50, help="timed runs (default 50)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed runs first (default 5)")
    ap.add_argument("--check", action="append", default=[], metavar="OUTPUT.npy",
                    help="expected output, once per graph output in order")
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--atol", type=float, default=1e-4)
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be >= 1")

    in_paths, arrays = load_inputs(args.model, args.inputs)
    baseline_kib = proc_status_kib("VmRSS")
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(args.model, so, providers=["CPUExecutionProvider"])

    sin = sess.get_inputs()
    if len(arrays) != len(sin):
        sys.exit(f"model has {len(sin)} inputs, got {len(arrays)} .npy files")
    feed = {}
    for meta, arr, p in zip(sin, arrays, in_paths):
        want = [d if isinstance(d, int) else None for d in meta.shape]
        if len(want) != arr.ndim or any(w is not None and w != s for w, s in zip(want, arr.shape)):
            sys.exit(f"{p}: shape {list(arr.shape)} does not match input "
                     f"{meta.name!r} {meta.shape}")
        feed[meta.name] = arr

    outs = sess.run(None, feed)
    for _ in range(max(0, args.warmup - 1)):
        sess.run(None, feed)

    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter_ns()
        sess.run(None, feed)
        times.append((time.perf_counter_ns() - t0) / 1e6)

    rc = 0
    print(f"ort {ort.__version__} {os.path.basename(args.model)} threads={args.threads} "
          f"runs={args.runs} warmup={args.warmup}", file=sys.stderr)
    if args.check:
        if len(args.check) > len(outs):
            sys.exit(f"{len(args.check)} --check files but model has {len(outs)} outputs")
        for i, p in enumerate(args.check):
            exp = np.load(p)
            got = outs[i]
            if got.shape != exp.shape:
                print(f"check {p}: FAIL shape {list(got.shape)} vs {list(exp.shape)}",
                      file=sys.stderr)
                rc = 1
                continue
            diff = np.abs(got.astype(np.float64) - exp.astype(np.float64))
            rel = diff / np.maximum(np.abs(exp.astype(np.float64)), 1e-12)
            ok = bool(np.allclose(got, exp, rtol=args.rtol, atol=args.atol))
            print(f"check {p}: {'ok' if ok else 'FAIL'} max_abs_err={diff.max():.3g} "
                  f"max_rel_err={rel.max():.3g} (rtol={args.rtol}, atol={args.atol})",
                  file=sys.stderr)
            rc |= 0 if ok else 1

    result = {"median_ms": round(statistics.median(times), 4),
              "min_ms": round(min(times), 4),
              "max_ms": round(max(times), 4)}
    peak_kib = proc_status_kib("VmHWM")
    if baseline_kib is not None and peak_kib is not None:
        result["model_peak_mib"] = round((peak_kib - baseline_kib) / 1024, 1)
    print(json.dumps(result))
    return rc


if __name__ == "__main__":
    sys.exit(main())
