#!/usr/bin/env bash
# Fuzzes the ONNX importer with libFuzzer for SECONDS (default 300): builds
# kiln-import-fuzzer in build-fuzz with clang-22 (ASan + libFuzzer), seeds the
# corpus with the ONNX backend test models and test/fuzz/regressions/, and
# copies any crash/timeout/oom input into test/fuzz/regressions/ (which
# test/fuzz/regressions.test then runs through kiln-compile). Not part of CI.
set -euo pipefail
seconds=${1:-300}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KILN_FUZZ_BUILD_DIR:-$root/build-fuzz}
regressions=$root/test/fuzz/regressions
jobs=${KILN_FUZZ_JOBS:-2}

if [[ ! -f $build/build.ninja ]]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DKILN_BUILD_FUZZERS=ON
fi
nice -n 10 ninja -C "$build" -j"$jobs" kiln-import-fuzzer

corpus=$build/corpus
artifacts=$build/artifacts
mkdir -p "$corpus" "$artifacts" "$regressions"
shopt -s nullglob
for model in /usr/share/libonnx-testdata/data/*/test_*/model.onnx; do
  # One flat directory: name the seed after its test.
  cp -n "$model" "$corpus/$(basename "$(dirname "$model")").onnx"
done
for input in "$regressions"/*; do
  cp -n "$input" "$corpus/"
done

status=0
"$build/bin/kiln-import-fuzzer" "$corpus" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 || status=$?

found=0
for artifact in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
  cp "$artifact" "$regressions/"
  echo "fuzz.sh: kept $(basename "$artifact") in test/fuzz/regressions/"
  found=1
done
if ((found)); then
  echo "fuzz.sh: reproduce with: $build/bin/kiln-import-fuzzer FILE"
  echo "fuzz.sh: minimize with: $build/bin/kiln-import-fuzzer -minimize_crash=1 -runs=10000 FILE"
fi
exit "$status"
