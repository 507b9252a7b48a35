#!/usr/bin/env bash
# Kiln vs ONNX Runtime on the foundation models, side by side in one run.
#   bash bench/compare_ort.sh [MODEL...]   (default: all five)
# Exports the models with Debian's PyTorch, compiles them with Kiln, then for
# 1 and 2 threads alternates Kiln (kiln-run --bench) and ORT (ort_bench.py)
# for KILN_BENCH_ROUNDS (3) rounds and prints the median of the per-round
# medians and the ratio,
# and the peak resident memory each added by loading and running the model
# (VmHWM minus the resident size before; see ort_bench.py).
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

printf "%-14s %7s %11s %11s %9s %10s %9s %9s\n" model threads kiln_ms ort_ms kiln/ort compile_s \
  kiln_MiB ort_MiB
for m in "${models[@]}"; do
  dir=$work/$m
  start=$(date +%s.%N)
  "$build/bin/kiln-compile" "$dir/model.onnx" -o "$dir/lib$m.so"
  compile=$(python3 -c "print('%.1f' % ($(date +%s.%N) - $start))")
  for t in 1 2; do
    k=() o=() km_mem=() om_mem=()
    for ((round = 1; round <= rounds; ++round)); do
      # Each result is parsed after its run ends, so that no other process
      # competes with the timed threads.
      out=$("$build/bin/kiln-run" "$dir/lib$m.so" --input "$dir/input_0.npy" \
        --threads "$t" --bench "$runs" --json)
      k+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['bench']['median_ms'])" "$out")")
      km_mem+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['bench'].get('model_peak_mib', 'nan'))" "$out")")
      out=$(python3 "$root/bench/ort_bench.py" "$dir/model.onnx" "$dir/input_0.npy" \
        --threads "$t" --runs "$runs" 2>/dev/null)
      o+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['median_ms'])" "$out")")
      om_mem+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1]).get('model_peak_mib', 'nan'))" "$out")")
    done
    km=$(median "${k[@]}") om=$(median "${o[@]}")
    printf "%-14s %7s %11s %11s %9s %10s %9s %9s\n" "$m" "$t" "$km" "$om" \
      "$(python3 -c "print('%.2f' % ($km / $om))")" "$compile" \
      "$(median "${km_mem[@]}")" "$(median "${om_mem[@]}")"
  done
done
