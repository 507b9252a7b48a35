#!/usr/bin/env bash
# GEMM/conv micro-benchmark: Kiln against oneDNN (Debian's libdnnl-dev) and
# the machine's measured FMA peak, at 1 and 2 threads, interleaved in one run.
#   bash bench/micro/run.sh [SPEC...]     (specs: see make_models.py)
# Prints per shape and thread count: median ms and GFLOP/s of Kiln and
# oneDNN (median of KILN_BENCH_ROUNDS (3) rounds of KILN_BENCH_RUNS runs
# each; in each round one process, dnnl_bench --kiln, alternates the two in
# blocks of runs), Kiln's % of the peak (median of readings taken before
# each round), and the Kiln/oneDNN time ratio: the median of the per-block
# ratios, which a shared machine's slow phases (that move both members of a
# pair alike) leave steady.
# Benchmarks only: nothing here is a test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
work=${KILN_BENCH_DIR:-$build/bench}/micro
runs=${KILN_BENCH_RUNS:-20}
# More, shorter rounds average out a shared machine's slow phases better.
rounds=${KILN_BENCH_ROUNDS:-3}
specs=("$@")
if ((${#specs[@]} == 0)); then
  specs=(matmul:1024:1024:1024 matmul:256:1024:1024 matmul:3136:64:576
    # ResNet-18's convolutions (batch 1, 224x224): conv1, then each stage's
    # 3x3 convs (stride 2 and 1) and 1x1 stride-2 downsamples.
    conv:3:64:224:224:7:7:2:3
    conv:64:64:56:56:3:3:1:1
    conv:64:128:56:56:3:3:2:1 conv:128:128:28:28:3:3:1:1 conv:64:128:56:56:1:1:2:0
    conv:128:256:28:28:3:3:2:1 conv:256:256:14:14:3:3:1:1 conv:128:256:28:28:1:1:2:0
    conv:256:512:14:14:3:3:2:1 conv:512:512:7:7:3:3:1:1 conv:256:512:14:14:1:1:2:0)
fi

if ! dpkg-query -W -f='${Status}' libdnnl-dev 2>/dev/null | grep -q "ok installed"; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    libdnnl-dev >/dev/null
fi
mkdir -p "$work"
cc -O2 -march=native -o "$work/peak" "$root/bench/micro/peak.c" -lpthread
c++ -O2 -std=c++17 -I"$root/runtime/include" -o "$work/dnnl_bench" \
  "$root/bench/micro/dnnl_bench.cpp" -ldnnl -ldl
/usr/bin/python3 "$root/bench/micro/make_models.py" "$work" "${specs[@]}"

# Parses a run's JSON once the run is over (a parser started in a pipe would
# compete with the timed threads).
json() {
  local out
  out=$(cat)
  python3 -c "import json,sys; print(json.loads(sys.argv[2])$1)" - "$out"
}
median() { python3 -c "import sys,statistics; print('%.4f' % statistics.median(map(float, sys.argv[1:])))" "$@"; }
flops() { # 2*M*N*K of a spec
  python3 - "$1" <<'PY'
import sys
k, *d = sys.argv[1].split(":"); d = list(map(int, d))
if k == "matmul":
    m, n, kk = d; print(2 * m * n * kk)
else:
    c, f, h, w, kh, kw, s, p = d
    oh, ow = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
    print(2 * f * oh * ow * c * kh * kw)
PY
}

declare -A peak
for t in 1 2; do
  peak[$t]=$("$work/peak" "$t" 1 | json "['gflops']")
done
echo "measured FMA peak: ${peak[1]} GFLOP/s (1 thread), ${peak[2]} GFLOP/s (2 threads)"
printf "%-32s %3s %9s %8s %9s %8s %7s %10s\n" shape thr kiln_ms kiln_gf dnnl_ms dnnl_gf "%peak" kiln/dnnl
for spec in "${specs[@]}"; do
  dir=$work/${spec//:/_}
  "$build/bin/kiln-compile" "$dir/model.onnx" -o "$dir/libmicro.so"
  f=$(flops "$spec")
  read -r -a args <<<"${spec//:/ }"
  for t in 1 2; do
    k=() d=() r=() pk=()
    for ((round = 1; round <= rounds; ++round)); do
      # The peak again before each round: a single reading at the start
      # was sometimes taken while the other vCPU was away (2 threads:
      # 172-252 GFLOP/s against 320-337 otherwise).
      pk+=("$("$work/peak" "$t" 0.3 | json "['gflops']")")
      out=$(OMP_NUM_THREADS=$t "$work/dnnl_bench" --kiln "$dir/libmicro.so" \
        "${args[@]}" "$runs")
      k+=("$(json "['kiln_median_ms']" <<<"$out")")
      d+=("$(json "['median_ms']" <<<"$out")")
      r+=("$(json "['paired_ratio']" <<<"$out")")
    done
    km=$(median "${k[@]}") dm=$(median "${d[@]}") rm=$(median "${r[@]}")
    pm=$(median "${pk[@]}")
    python3 - "$spec" "$t" "$km" "$dm" "$rm" "$f" "$pm" <<'PY'
import sys
spec, t, km, dm, rm, f, peak = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])
kg, dg = f / km / 1e6, f / dm / 1e6
print("%-32s %3s %9.3f %8.1f %9.3f %8.1f %6.1f%% %10.2f" %
      (spec, t, km, kg, dm, dg, 100 * kg / peak, rm))
PY
  done
done
