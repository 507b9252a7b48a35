#!/usr/bin/env bash
# Every Kiln benchmark in one go: the foundation models against ONNX Runtime
# (compare_ort.sh) and the GEMM/conv micro-benchmark against oneDNN and the
# FMA peak (micro/run.sh). Each installs its own peers. Not a test.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
echo "== models: Kiln vs ONNX Runtime"
bash "$here/compare_ort.sh"
echo
echo "== micro-benchmark: Kiln vs oneDNN and the FMA peak"
bash "$here/micro/run.sh"
