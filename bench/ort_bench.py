#!/usr/bin/env python3
"""Time an ONNX model with onnxruntime (CPU) as a baseline for Kiln.

usage: ort_bench.py MODEL.onnx [INPUT.npy ...] [--threads N] [--runs N]
                    [--warmup N] [--check OUTPUT.npy ...] [--rtol R] [--atol A]
                    [--kiln LIB]

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

--kiln LIB loads a Kiln model library of the same model into this process
(ctypes, the public runtime API, a session of --threads threads) and times
the two alternately, in blocks of at least 6 runs and 30 ms, of which the
runs in the first 2 and the first 10 ms are not counted (the other library's
pool threads still spin then; sleeping them off instead lets the VM's idle
CPUs slow down). The JSON line then also has
"kiln_median_ms" and "paired_ratio", the median of the per-block Kiln/ORT
ratios of median times: two libraries timed in one process, block by block,
see the same phase of a shared machine, whose speed moves for minutes at a
time (separate processes gave ratios 20% apart for the same code). Both run
the same inputs; Kiln's outputs are compared with ORT's (same --rtol/--atol),
and a mismatch is an error. Memory is not reported in this mode: the
process holds both models.

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


KILN_DTYPE_F32 = 1  # kiln_dtype_t (ONNX's TensorProto.FLOAT)


class KilnModel:
    """A Kiln model library run through its C runtime API (kiln/runtime.h)."""

    def __init__(self, path, threads, arrays):
        import ctypes as C

        class TensorDesc(C.Structure):
            _fields_ = [("name", C.c_char_p), ("dtype", C.c_int),
                        ("rank", C.c_int32), ("shape", C.POINTER(C.c_int64))]

        class Model(C.Structure):
            _fields_ = [("abi_version", C.c_uint32), ("name", C.c_char_p),
                        ("num_inputs", C.c_int32), ("inputs", C.POINTER(TensorDesc)),
                        ("num_outputs", C.c_int32), ("outputs", C.POINTER(TensorDesc))]

        class Tensor(C.Structure):
            _fields_ = [("dtype", C.c_int), ("rank", C.c_int32),
                        ("shape", C.POINTER(C.c_int64)), ("data", C.c_void_p)]

        class Options(C.Structure):
            _fields_ = [("num_threads", C.c_int32), ("profile", C.c_int32),
                        ("no_affinity", C.c_int32)]

        try:
            lib = C.CDLL(os.path.abspath(path))
        except OSError as e:
            sys.exit(f"{path}: cannot load: {e}")
        try:
            model = C.cast(lib.kiln_library_model, C.POINTER(Model)).contents
            create, self._run = lib.kiln_session_create, lib.kiln_session_run
        except AttributeError:
            sys.exit(f"{path}: not a Kiln model library")
        self._run.restype = C.c_void_p
        create.restype = C.c_void_p
        self._session = C.c_void_p()
        if create(C.byref(model), C.byref(Options(threads, 0, 0)),
                  C.byref(self._session)):
            sys.exit(f"{path}: cannot create a session")
        if model.num_inputs != len(arrays):
            sys.exit(f"{path}: {model.num_inputs} inputs, got {len(arrays)}")
        self._keep, self.outputs = [], []

        def bind(desc, arr):
            if desc.dtype != KILN_DTYPE_F32 or arr.dtype != np.float32:
                sys.exit(f"{path}: '{desc.name.decode()}' is not f32")
            shape = [desc.shape[d] for d in range(desc.rank)]
            if list(arr.shape) != shape:
                sys.exit(f"{path}: '{desc.name.decode()}' has shape {shape}, "
                         f"the input {list(arr.shape)}")
            self._keep.append(arr)
            return Tensor(desc.dtype, desc.rank, desc.shape,
                          arr.ctypes.data_as(C.c_void_p))

        ins = [bind(model.inputs[i], np.ascontiguousarray(a, np.float32))
               for i, a in enumerate(arrays)]
        outs = []
        for i in range(model.num_outputs):
            d = model.outputs[i]
            out = np.empty([d.shape[r] for r in range(d.rank)], np.float32)
            self.outputs.append(out)
            outs.append(bind(d, out))
        self._ins = (Tensor * len(ins))(*ins)
        self._outs = (Tensor * len(outs))(*outs)
        self._counts = (len(ins), len(outs))

    def __call__(self):
        if self._run(self._session, self._ins, self._counts[0], self._outs,
                     self._counts[1]):
            sys.exit("kiln_session_run failed")


def paired(ort_run, kiln_run, runs, block=6, skip=2, block_ms=30.0, skip_ms=10.0):
    """Median times of the two and the median per-block Kiln/ORT ratio.

    A block runs one library at least `block` times and `block_ms`; the runs
    that start within the first `skip` runs or `skip_ms` of it are not
    counted, so that the other library's pool threads have stopped spinning
    (a sub-millisecond model otherwise ran next to them for whole blocks)."""
    ort_t, kiln_t, ratios = [], [], []
    for _ in range(max(1, runs // (block - skip))):
        meds = []
        for fn, out in ((ort_run, ort_t), (kiln_run, kiln_t)):
            start = time.perf_counter_ns()
            kept, n = [], 0
            while True:
                t0 = time.perf_counter_ns()
                fn()
                t1 = time.perf_counter_ns()
                if n >= skip and (t0 - start) / 1e6 >= skip_ms:
                    kept.append((t1 - t0) / 1e6)
                n += 1
                if n >= block and len(kept) >= block - skip and \
                        (t1 - start) / 1e6 >= block_ms:
                    break
            out.extend(kept)
            meds.append(statistics.median(kept))
        ratios.append(meds[1] / meds[0])
    return ort_t, kiln_t, statistics.median(ratios)


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
    ap.add_argument("--kiln", metavar="LIB",
                    help="also time this Kiln model library, paired (see above)")
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

    kiln = None
    if args.kiln:
        kiln = KilnModel(args.kiln, args.threads, arrays)
        kiln()
        for i, (got, want) in enumerate(zip(kiln.outputs, outs)):
            if got.shape != want.shape or not np.allclose(
                    got, want, rtol=args.rtol, atol=args.atol):
                sys.exit(f"{args.kiln}: output {i} differs from onnxruntime's")
        for _ in range(max(0, args.warmup - 1)):
            kiln()

    if kiln:
        times, kiln_times, ratio = paired(lambda: sess.run(None, feed), kiln,
                                          args.runs)
    else:
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
    if kiln:
        result["kiln_median_ms"] = round(statistics.median(kiln_times), 4)
        result["paired_ratio"] = round(ratio, 4)
    peak_kib = proc_status_kib("VmHWM")
    if not kiln and baseline_kib is not None and peak_kib is not None:
        result["model_peak_mib"] = round((peak_kib - baseline_kib) / 1024, 1)
    print(json.dumps(result))
    return rc


if __name__ == "__main__":
    sys.exit(main())
