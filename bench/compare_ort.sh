#!/usr/bin/env bash
# Kiln vs ONNX Runtime on the foundation models, side by side in one run.
#   bash bench/compare_ort.sh [MODEL...]   (default: all five)
# Exports the models with Debian's PyTorch, compiles them with Kiln, then for
# 1 and 2 threads runs KILN_BENCH_ROUNDS (3) rounds and prints the median of
# the per-round medians and the Kiln/ORT ratio. At 1 thread a round is one
# ort_bench.py --kiln: Kiln (through its C runtime API) and ORT in one
# process, alternating in blocks of runs, the ratio the median of per-block
# ratios, which a shared VM's minutes-long slow phases move little. At 2
# threads each library's pool threads keep spinning after its runs and the
# other's then waits on a descheduled worker (Kiln's 0.04 ms BatchNorm CNN
# took 5-12 ms next to ORT's pool), so a round alternates kiln-run --bench
# and ort_bench.py in separate processes and the ratio is of the medians.
# The peak resident memory each added by loading and running the model
# (VmHWM minus the resident size before) comes from runs of their own.
# Benchmarks only: nothing here is a test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
work=${KILN_BENCH_DIR:-$build/bench}
models=("$@")
((${#models[@]})) || models=(mlp bn_cnn resnet18 mobilenet_v2 transformer)
runs=${KILN_BENCH_RUNS:-20}
rounds=${KILN_BENCH_ROUNDS:-3}

python3 -c "import onnxruntime" 2>/dev/null || pip install -q onnxruntime numpy
mkdir -p "$work"
/usr/bin/python3 "$root/test/E2E/models/export.py" "$work" "${models[@]}" >/dev/null

median() { python3 -c "import sys,statistics; print('%.3f' % statistics.median(map(float, sys.argv[1:])))" "$@"; }
# json EXPR[:SPEC] TEXT: the value at EXPR (e.g. "['median_ms']") of the
# JSON TEXT, formatted by SPEC (e.g. ".1f") if given.
json() {
  local expr=${1%%:*} spec=
  [[ $1 == *:* ]] && spec=${1#*:}
  python3 -c "import json,sys; print(format(json.loads(sys.argv[1])$expr, '$spec'))" "$2"
}

printf "%-14s %7s %11s %11s %9s %10s %9s %9s\n" model threads kiln_ms ort_ms kiln/ort compile_s \
  kiln_MiB ort_MiB
for m in "${models[@]}"; do
  dir=$work/$m
  start=$(date +%s.%N)
  "$build/bin/kiln-compile" "$dir/model.onnx" -o "$dir/lib$m.so"
  compile=$(python3 -c "print('%.1f' % ($(date +%s.%N) - $start))")
  for t in 1 2; do
    k=() o=() r=()
    n=$runs
    # At 2 threads the runs are separate processes: a tiny model's 20 runs
    # (1 ms) would time mostly the pool's start. Run such models for at
    # least 200 ms, sized by Kiln's 1-thread median.
    if ((t == 2)); then
      n=$(python3 -c "import math; print(max($runs, math.ceil(200 / max($(median "${k1[@]}"), 1e-3))))")
    fi
    for ((round = 1; round <= rounds; ++round)); do
      # Each result is parsed after its run ends, so that no other process
      # competes with the timed threads.
      if ((t == 1)); then
        if ! out=$(python3 "$root/bench/ort_bench.py" "$dir/model.onnx" \
          "$dir/input_0.npy" --threads 1 --runs "$runs" \
          --kiln "$dir/lib$m.so" 2>"$work/ort_bench.err"); then
          cat "$work/ort_bench.err" >&2
          exit 1
        fi
        k+=("$(json "['kiln_median_ms']" "$out")")
        o+=("$(json "['median_ms']" "$out")")
        r+=("$(json "['paired_ratio']" "$out")")
      else
        out=$("$build/bin/kiln-run" "$dir/lib$m.so" --input "$dir/input_0.npy" \
          --threads "$t" --bench "$n" --json)
        k+=("$(json "['bench']['median_ms']" "$out")")
        out=$(python3 "$root/bench/ort_bench.py" "$dir/model.onnx" \
          "$dir/input_0.npy" --threads "$t" --runs "$n" 2>/dev/null)
        o+=("$(json "['median_ms']" "$out")")
        r+=("$(python3 -c "print(${k[-1]} / ${o[-1]})")")
      fi
    done
    ((t == 1)) && k1=("${k[@]}")
    out=$("$build/bin/kiln-run" "$dir/lib$m.so" --input "$dir/input_0.npy" \
      --threads "$t" --bench 5 --json)
    km_mem=$(json "['bench'].get('model_peak_mib', float('nan')):.1f" "$out")
    out=$(python3 "$root/bench/ort_bench.py" "$dir/model.onnx" "$dir/input_0.npy" \
      --threads "$t" --runs 5 2>/dev/null)
    om_mem=$(json ".get('model_peak_mib', float('nan')):.1f" "$out")
    printf "%-14s %7s %11s %11s %9s %10s %9s %9s\n" "$m" "$t" "$(median "${k[@]}")" \
      "$(median "${o[@]}")" "$(median "${r[@]}")" "$compile" "$km_mem" "$om_mem"
  done
done
