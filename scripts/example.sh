#!/usr/bin/env bash
# Quick start: build Kiln, compile the bundled digits CNN into a model
# library, build the C program that calls it through its generated header,
# and classify the bundled samples (predictions, accuracy, latency).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
"$root/scripts/bootstrap.sh"

out=$build/examples/digits
mkdir -p "$out"
echo "== kiln-compile examples/digits/digits.onnx -o $out/libdigits.so"
"$build/bin/kiln-compile" "$root/examples/digits/digits.onnx" -o "$out/libdigits.so"
cc -std=c99 -O2 -D_POSIX_C_SOURCE=199309L -I"$out" \
  "$root/examples/digits/classify.c" -L"$out" -ldigits -Wl,-rpath,"$out" \
  -o "$out/classify"
echo "== $out/classify examples/digits/samples/labels.txt"
"$out/classify" "$root/examples/digits/samples/labels.txt"
